"""Scheduled work: expiry, deadline reminders and escalation, and the record of refused attempts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from organisations.models import User
from villageburden.deadlines import deadline_notify

from .. import notify as n
from ..choices import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    NotificationKind,
    RequestStatus,
)
from ..models import AccessRequest
from ._common import (
    RENEWAL_NOTICE_DAYS,
    _bump,
    _snapshot,
)


def refusal_record(*, user: User, action: str, request_id: int | None, error: Exception) -> None:
    """Attribute a refused attempt (DESIGN §3.3), in its own transaction: the refused one rolled back."""
    with transaction.atomic():
        req = AccessRequest.objects.filter(pk=request_id).first() if request_id else None
        record_event(
            user,
            "gate.refused",
            obj=req,
            # Without a request, the attempt belongs to the user's own jurisdiction.
            division=req.division_id if req else getattr(user.organisation, "division_id", None),
            # Words for people; the machine-readable code and the attempted step beside them.
            summary=str(error)[:1000],
            after={"code": getattr(error, "code", type(error).__name__), "attempted": action},
        )


# --- the sweep: deadlines, expiry, the e-mail outbox ------------------------------------------


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def access_requests_expire(*, today: date | None = None) -> int:
    """Approved requests past their end date become expired (each in its own transaction)."""
    today = _today(today)
    count = 0
    for pk in AccessRequest.objects.filter(
        status=RequestStatus.APPROVED, approved_until__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            req = AccessRequest.objects.select_for_update().get(pk=pk)
            if req.status != RequestStatus.APPROVED or not req.approved_until or req.approved_until >= today:
                continue
            before = _snapshot(req)
            _bump(req, None, status=RequestStatus.EXPIRED)
            record_event(
                None,
                "gate.request.expire",
                obj=req,
                division=req.division,
                before=before,
                after=_snapshot(req),
            )
            count += 1
    return count


def deadline_reminders_send(*, today: date | None = None) -> int:
    """Remind before a review or decision deadline, escalate after it, and ask for renewals."""
    today = _today(today)
    sent = 0
    with transaction.atomic():
        for req in AccessRequest.objects.filter(status=RequestStatus.IN_REVIEW, review_due__isnull=False):
            done = set(req.opinions.filter(round=req.round).values_list("reviewer_kind", flat=True))
            waiting = [u for u in n.reviewers_of(req.division_id) if u.reviewer_kind not in done]
            review_due = cast(date, req.review_due)  # filtered on review_due__isnull=False
            words = {"number": req.number, "due": req.review_due}
            sent += deadline_notify(
                target=req,
                url=reverse("gate:detail", args=[req.pk]),
                due=review_due,
                today=today,
                remind=waiting,
                escalate=[*waiting, *n.approvers_of(req.division_id, req.level)],
                reminder_kind=NotificationKind.REMINDER,
                escalation_kind=NotificationKind.ESCALATION,
                reminder_subject=_("Review due %(due)s: %(number)s") % words,
                escalation_subject=_("Review overdue: %(number)s (due %(due)s)") % words,
                reminder_key=f"review-remind:{req.pk}:{req.round}",
                escalation_key=f"review-late:{req.pk}:{req.round}",
            )
        for req in AccessRequest.objects.filter(
            status=RequestStatus.AWAITING_DECISION, decision_due__isnull=False
        ):
            approvers = list(n.approvers_of(req.division_id, req.level))
            decision_due = cast(date, req.decision_due)  # filtered on decision_due__isnull=False
            words = {"number": req.number, "due": req.decision_due}
            sent += deadline_notify(
                target=req,
                url=reverse("gate:detail", args=[req.pk]),
                due=decision_due,
                today=today,
                remind=approvers,
                escalate=[
                    *approvers,
                    *n.reviewers_of(req.division_id).filter(organisation__kind="organisation_dept"),
                ],
                reminder_kind=NotificationKind.REMINDER,
                escalation_kind=NotificationKind.ESCALATION,
                reminder_subject=_("Decision due %(due)s: %(number)s") % words,
                escalation_subject=_("Decision overdue: %(number)s (due %(due)s)") % words,
                reminder_key=f"decision-remind:{req.pk}:{req.round}",
                escalation_key=f"decision-late:{req.pk}:{req.round}",
            )
        horizon = today + timedelta(days=RENEWAL_NOTICE_DAYS)
        for req in AccessRequest.objects.filter(
            status=RequestStatus.APPROVED, approved_until__gte=today, approved_until__lte=horizon
        ).exclude(renewals__status__in=[*EDITABLE_STATUSES, *OPEN_STATUSES, RequestStatus.APPROVED]):
            sent += len(
                n.notify(
                    n.submitters_of(req),
                    kind=NotificationKind.RENEWAL,
                    request=req,
                    subject=_("%(number)s: the approval ends on %(date)s; renew it if the task continues")
                    % {"number": req.number, "date": req.approved_until},
                    key=f"renew:{req.pk}:{req.approved_until}",
                )
            )
    return sent


def gate_sweep(*, today: date | None = None) -> dict[str, int]:
    """Everything the periodic job does (Celery beat, or ``manage.py gate_reminders``)."""
    expired = access_requests_expire(today=today)
    reminders = deadline_reminders_send(today=today)
    emailed = n.send_emails()
    return {"expired": expired, "reminders": reminders, "emailed": emailed}
