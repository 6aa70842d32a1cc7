"""Rectification deadlines: remind the township before an item is due, escalate to the county after.

The shared rule (``villageburden.deadlines.deadline_notify``, as the gate's sweep
uses it): on the working day before ``due_on`` the township that owns the item is
reminded; once it has passed, the township and the county's approver (the county
Party committee and government, who 督促整改 — seed 002 §3(8)) are told, each
once per item (the outbox keeps the key). The first escalation is also recorded
on the item (``escalated_on``) and in the audit trail, and counted in the figures.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from organisations.choices import Role
from organisations.models import User
from villageburden.deadlines import deadline_notify

from ..choices import NotificationKind, RectificationStatus
from ..models import Rectification


def _township_staff(item: Rectification):
    users = User.objects.filter(role=Role.TOWNSHIP_STAFF, is_active=True)
    if item.owner_id is not None:
        return users.filter(organisation_id=item.owner_id)
    return users.filter(organisation__division_id=item.village_id[:9] + "000")


def _county_approvers(item: Rectification):
    return User.objects.filter(
        role=Role.COUNTY_APPROVER, is_active=True, organisation__division_id=item.village_id[:6] + "000000"
    )


def rectification_deadlines_send(*, today: date | None = None) -> dict[str, int]:
    """Reminders and escalations for every open item; returns messages written and items escalated."""
    today = today or timezone.localdate()
    sent = escalated = 0
    with transaction.atomic():
        items = (
            Rectification.objects.select_for_update()
            .select_related("village")
            .filter(status=RectificationStatus.OPEN)
            .order_by("due_on", "pk")
        )
        for item in items:
            township = list(_township_staff(item))
            words = {"village": item.village.name, "what": item.message, "due": item.due_on}
            sent += deadline_notify(
                target=item,
                url=reverse("signage:village", args=[item.village_id]),
                due=item.due_on,
                today=today,
                remind=township,
                escalate=[*township, *_county_approvers(item)],
                reminder_kind=NotificationKind.RECTIFY_DUE,
                escalation_kind=NotificationKind.RECTIFY_LATE,
                reminder_subject=_("Plaque rectification due %(due)s: %(village)s — %(what)s") % words,
                escalation_subject=_("Plaque rectification overdue (due %(due)s): %(village)s — %(what)s")
                % words,
                reminder_key=f"rectify-remind:{item.pk}",
                escalation_key=f"rectify-late:{item.pk}",
            )
            if item.due_on < today and item.escalated_on is None:
                item.escalated_on = today
                item.save(update_fields=["escalated_on", "updated"])
                record_event(
                    None,
                    "signage.rectification_escalate",
                    obj=item,
                    division=item.village_id,
                    summary=item.message,
                )
                escalated += 1
    return {"sent": sent, "escalated": escalated}
