"""Who the gate notifies. The outbox itself is the shared ``notifications`` app."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from notifications.services import notify as _notify
from notifications.services import send_emails
from organisations.choices import Role
from organisations.models import User

from .models import SUBMITTERS, AccessRequest


def reviewers_of(county_id: str):
    return User.objects.filter(role=Role.COUNTY_REVIEWER, organisation__division_id=county_id, is_active=True)


def approvers_of(division_id: str, level: str = "county"):
    """Who decides a request filed to ``division_id`` at ``level`` (the county's approvers, or the province's admins)."""
    from .choices import LEVEL_RULES

    role = LEVEL_RULES[level].approver_role
    return User.objects.filter(role=role, organisation__division_id=division_id, is_active=True)


def submitters_of(request: AccessRequest):
    return User.objects.filter(organisation_id=request.organisation_id, role__in=SUBMITTERS, is_active=True)


def notify(
    users: Iterable[User],
    *,
    kind: str,
    request: AccessRequest | None,
    subject: str,
    body: str = "",
    key: str = "",
    url: str = "",
) -> list[int]:
    """Notify ``users`` about an access request (or about the gate in general).

    The link defaults to the request's page; pass ``url`` where the recipients
    cannot open it (townships are sent to their tasks of the request).
    """
    if not url and request is not None:
        url = reverse("gate:detail", args=[request.pk])
    return _notify(users, kind=kind, target=request, subject=subject, body=body, key=key, url=url)


__all__ = ["approvers_of", "notify", "reviewers_of", "send_emails", "submitters_of"]
