"""Deadlines in working days, reminders and escalations, expiry, renewal, e-mail outbox, broker outage."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from gate import services
from gate.models import AccessRequest
from notifications.models import Notification
from villageburden.workdays import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def test_working_days_skip_weekends_and_holidays():
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Friday → Monday
    assert not is_working_day(date(2026, 10, 1))  # National Day
    assert is_working_day(date(2026, 10, 10))  # a Saturday worked in exchange
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 11, 23), -1) == date(2026, 11, 20)
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 27)) == 5


def test_review_reminder_once_then_escalation(world, make_request):
    req = make_request("in_review")
    services.access_request_review(
        user=world.user("reviewer_org"), request_id=req.pk, opinion="agree", reason="ok"
    )
    req.refresh_from_db()
    Notification.objects.all().delete()
    services.deadline_reminders_send(today=req.review_due)
    services.deadline_reminders_send(today=req.review_due)
    reminded = set(Notification.objects.filter(kind="reminder").values_list("user__username", flat=True))
    assert reminded == {"reviewer_civil", "reviewer_agri"}
    assert Notification.objects.filter(kind="reminder").count() == 2
    services.deadline_reminders_send(today=req.review_due + timedelta(days=1))
    escalated = set(Notification.objects.filter(kind="escalation").values_list("user__username", flat=True))
    assert {"approver", "reviewer_civil", "reviewer_agri"} <= escalated and "reviewer_org" not in escalated


def test_decision_escalation(world, make_request):
    req = make_request("awaiting_decision")
    services.deadline_reminders_send(today=req.decision_due + timedelta(days=3))
    assert Notification.objects.about(req).filter(kind="escalation", user=world.user("approver")).exists()


def test_renewal_notice_and_expiry(world, make_request):
    req = make_request("approved")
    AccessRequest.objects.filter(pk=req.pk).update(approved_until=timezone.localdate() + timedelta(days=10))
    services.deadline_reminders_send()
    assert Notification.objects.about(req).filter(kind="renewal", user=world.user("submitter")).exists()
    result = services.gate_sweep(today=timezone.localdate() + timedelta(days=11))
    assert result["expired"] == 1
    req.refresh_from_db()
    assert req.status == "expired"


def test_sweep_command(world, make_request):
    make_request("in_review")
    call_command("gate_reminders", "--today", (timezone.localdate() + timedelta(days=30)).isoformat())
    assert Notification.objects.filter(kind="escalation").exists()


def test_notifications_are_emailed_from_the_outbox(world, make_request, django_capture_on_commit_callbacks):
    for name in ("reviewer_org", "reviewer_civil", "reviewer_agri"):
        user = world.user(name)
        user.email = f"{name}@example.org"
        user.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_request("in_review")
    assert {m.to[0] for m in mail.outbox} >= {"reviewer_org@example.org", "reviewer_civil@example.org"}
    assert not Notification.objects.filter(
        user__email__endswith="example.org", emailed_at__isnull=True
    ).exists()


def test_the_flow_works_when_the_broker_is_down(
    world, make_request, django_capture_on_commit_callbacks, settings
):
    from villageburden.celery import app

    user = world.user("reviewer_org")
    user.email = "org@example.org"
    user.save()
    old = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        with django_capture_on_commit_callbacks(execute=True):
            req = make_request("in_review")
    finally:
        app.conf.task_always_eager, app.conf.broker_url = old
    assert req.status == "in_review"
    pending = Notification.objects.about(req).get(user=user)
    assert pending.emailed_at is None and not mail.outbox
    services.gate_sweep()
    pending.refresh_from_db()
    assert pending.emailed_at is not None and mail.outbox[0].to == ["org@example.org"]


def test_beat_schedule_is_registered():
    import gate.tasks  # noqa: F401
    from villageburden.celery import app

    assert app.conf.beat_schedule["gate-sweep"]["task"] == "gate.tasks.gate_sweep_task"


def test_propose_standing_assist_task_for_the_assist_list(world, make_request):
    from catalogs.models import ChangeProposal

    req = make_request("approved", frequency="standing")
    proposal = services.access_request_propose_listing(
        user=world.user("submitter"), request_id=req.pk, reason="常态化协助事项，建议纳入协助清单"
    )
    assert isinstance(proposal, ChangeProposal) and proposal.item_data["name"] == req.title
    req.refresh_from_db()
    assert req.listing_proposed_at is not None
    from gate.exceptions import InvalidTransition

    with pytest.raises(InvalidTransition):
        services.access_request_propose_listing(
            user=world.user("submitter"), request_id=req.pk, reason="again"
        )
