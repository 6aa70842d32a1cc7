"""Write notifications (in the caller's transaction) and e-mail them (after commit).

Any app notifies through ``notify``: the rows are written with the change they
report, so a rollback takes them too; the e-mail goes to Celery after commit,
and ``send_emails`` (run by each app's sweep) retries whatever is still unsent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .models import Notification, target_type_of

if TYPE_CHECKING:
    from organisations.models import User

logger = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5


def _url_of(obj: models.Model) -> str:
    get_url = getattr(obj, "get_absolute_url", None)
    return str(get_url()) if callable(get_url) else ""


def notify(
    users: Iterable[User],
    *,
    kind: str,
    target: models.Model | None,
    subject: str,
    body: str = "",
    key: str = "",
    url: str = "",
) -> list[int]:
    """Create one notification per user (once per ``key``) about ``target``; e-mail after commit."""
    ids: list[int] = []
    target_type = target_type_of(target) if target is not None else ""
    target_id = str(target.pk) if target is not None else ""
    target_url = url or (_url_of(target) if target is not None else "")
    for user in {u.pk: u for u in users}.values():
        if key and Notification.objects.filter(user=user, dedupe_key=key).exists():
            continue
        try:
            with transaction.atomic():
                n = Notification.objects.create(
                    user=user,
                    kind=str(kind),
                    target_type=target_type,
                    target_id=target_id,
                    target_url=target_url[:300],
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
        org = n.user.organisation
        address = n.user.email or (org.email if org is not None else "")
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
