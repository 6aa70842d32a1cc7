"""In-app notifications (rows written in the transaction) and their e-mail (after commit)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from organisations.choices import Role
from organisations.models import User

from .models import SUBMITTERS, AccessRequest, Notification

logger = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5


def reviewers_of(county_id: str):
    return User.objects.filter(role=Role.COUNTY_REVIEWER, organisation__division_id=county_id, is_active=True)


def approvers_of(county_id: str):
    return User.objects.filter(role=Role.COUNTY_APPROVER, organisation__division_id=county_id, is_active=True)


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
) -> list[int]:
    """Create one notification per user (once per ``key``) and e-mail them after commit."""
    ids: list[int] = []
    for user in {u.pk: u for u in users}.values():
        if key and Notification.objects.filter(user=user, dedupe_key=key).exists():
            continue
        try:
            with transaction.atomic():
                n = Notification.objects.create(
                    user=user,
                    kind=kind,
                    request=request,
                    subject=str(subject)[:200],
                    body=str(body),
                    dedupe_key=key,
                )
        except IntegrityError:  # a concurrent sweep wrote the same reminder
            continue
        ids.append(n.pk)
    if ids:
        from villageburden.tasks import enqueue

        from .tasks import send_notification_emails

        enqueue(send_notification_emails, ids)
    return ids


def send_emails(ids: list[int] | None = None) -> int:
    """E-mail the given (or every pending) notification; the row is the outbox."""
    qs = Notification.objects.filter(emailed_at__isnull=True, email_attempts__lt=MAX_EMAIL_ATTEMPTS)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    sent = 0
    for n in qs.select_related("user__organisation").order_by("pk")[:500]:
        address = n.user.email or (n.user.organisation.email if n.user.organisation_id else "")
        if not address:
            Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
            continue
        try:
            send_mail(n.subject, n.body or n.subject, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:
            logger.warning("e-mail for notification %s failed", n.pk, exc_info=True)
            Notification.objects.filter(pk=n.pk).update(email_attempts=n.email_attempts + 1)
            continue
        Notification.objects.filter(pk=n.pk).update(
            emailed_at=timezone.now(), email_attempts=n.email_attempts + 1
        )
        sent += 1
    return sent
