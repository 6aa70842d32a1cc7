"""Rectification deadlines through the shared rule: the township is reminded before, the county told after, once each."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from notifications.models import Notification
from signage import services
from signage.models import Rectification
from villageburden.workdays import add_working_days

from .fixtures_signage import plaque_data

pytestmark = pytest.mark.django_db


def _one_item(world) -> Rectification:
    services.village_plaque_record(
        user=world.user("township"), village=world.village_a1, data=plaque_data(languages=["zh"])
    )
    return Rectification.objects.filter(status="open").order_by("pk").first()


def test_township_is_reminded_the_working_day_before_and_once(world, rules):
    item = _one_item(world)
    eve = add_working_days(item.due_on, -1)
    assert services.rectification_deadlines_send(today=add_working_days(item.due_on, -3))["sent"] == 0
    services.signage_sweep(today=eve)
    reminders = Notification.objects.about(item).filter(kind="rectify_due")
    assert set(reminders.values_list("user__username", flat=True)) == {"township"}
    services.signage_sweep(today=eve)
    assert reminders.count() == 1
    # The other township and the county are not bothered before the deadline.
    assert not Notification.objects.about(item).filter(user=world.user("township_b")).exists()
    assert not Notification.objects.about(item).filter(user=world.user("approver")).exists()


def test_after_the_deadline_the_county_is_told_and_the_item_escalated_once(world, rules):
    item = _one_item(world)
    late = add_working_days(item.due_on, 2)
    out = StringIO()
    call_command("signage_sweep", "--today", late.isoformat(), stdout=out)
    assert "escalated" in out.getvalue()
    told = Notification.objects.about(item).filter(kind="rectify_late")
    assert {"township", "approver"} <= set(told.values_list("user__username", flat=True))
    assert "逾期" in told.get(user=world.user("approver")).subject
    item.refresh_from_db()
    assert item.escalated_on == late
    before = told.count()
    assert services.signage_sweep(today=late)["escalated"] == 0
    assert told.count() == before
