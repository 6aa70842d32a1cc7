"""Reading the audit trail: the auditor's filters, and what each reader may see of each field.

Who needs what (MLPS 2.0 level 3 separates audit from security administration):
the auditor reviews *what* was done, by whom, to what, where and when; the
superuser (system and security administrator) investigates *from where*. So
IP addresses and the usernames typed in failed logins (often a password typed
into the wrong box, or a colleague's name) are masked for the auditor, on the
page and in the CSV alike, and shown in clear only to superusers.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .labels import action_label, object_type_label
from .models import AuditEvent

FAILED_LOGIN = "auth.login_failed"


@dataclass(frozen=True)
class AuditFilters:
    date_from: date | None = None
    date_to: date | None = None
    actor: str = ""
    organisation: int | None = None
    action: str = ""
    obj: str = ""


def sees_in_clear(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def events_for(user, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The events of the user's jurisdiction, filtered; days are local (Asia/Shanghai) days."""
    qs = AuditEvent.objects.restrict(user).select_related("division", "actor__organisation")
    tz = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(created__gte=datetime.combine(filters.date_from, time.min, tzinfo=tz))
    if filters.date_to:
        qs = qs.filter(created__lt=datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=tz))
    if filters.actor:
        qs = qs.filter(
            Q(actor_name__icontains=filters.actor) | Q(actor__display_name__icontains=filters.actor)
        )
    if filters.organisation:
        qs = qs.filter(actor__organisation_id=filters.organisation)
    if filters.action:
        qs = (
            qs.filter(action__startswith=filters.action)
            if filters.action.endswith(".")
            else qs.filter(action=filters.action)
        )
    if filters.obj:
        qs = qs.filter(Q(object_repr__icontains=filters.obj) | Q(object_id=filters.obj))
    return qs


def mask_ip(value: str | None) -> str:
    if not value:
        return ""
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return "***"
    if ip.version == 4:
        a, b, _c, _d = value.split(".")
        return f"{a}.{b}.*.*"
    return ":".join(ip.exploded.split(":")[:2]) + ":*"


def mask_name(value: str) -> str:
    return (value[:1] + "***") if value else ""


def _summary(event: AuditEvent, clear: bool) -> str:
    if event.action == FAILED_LOGIN and not clear:
        # The typed username is the only content of this summary.
        typed = event.summary.removeprefix("username=")
        return "username=" + mask_name(typed)
    return event.summary


def rows(events, *, clear: bool):
    """What the page and the CSV show: the same columns, the same masking, local time."""
    for e in events:
        org = e.actor.organisation if e.actor_id and e.actor and e.actor.organisation_id else None
        yield {
            "time": timezone.localtime(e.created).strftime("%Y-%m-%d %H:%M:%S"),
            "actor": e.actor_name,
            "organisation": org.name if org else "",
            "action": action_label(e.action),
            "action_code": e.action,
            "object_type": object_type_label(e.object_type),
            "object": e.object_repr,
            "division": e.division.name if e.division_id and e.division else (e.division_id or ""),
            "summary": _summary(e, clear),
            "ip_address": (e.ip_address or "") if clear else mask_ip(e.ip_address),
            "request_id": e.request_id,
        }
