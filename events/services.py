"""Webhook endpoints and deliveries: registering, fanning events out, sending, retrying.

Contract, as in ``gate/services.py``: each change is one transaction that
locks what it changes and writes its audit event; slow I/O (the HTTP request)
never runs inside a transaction.

Delivery, end to end:

1. A published event commits (``audit.services.record_event``); after commit
   the fan-out task is sent (and runs every minute anyway, so Redis being
   down only delays it).
2. ``webhooks_fanout`` reads, for each active endpoint, the feed *as its
   owner sees it* (same scoping, same cursor) after the endpoint's cursor,
   creates one delivery per event (unique per endpoint and event), and moves
   the cursor, in one transaction per endpoint.
3. ``webhook_deliver`` claims a due delivery (a lease, so two workers never
   send it at once), POSTs it outside any transaction, and records the
   attempt. A failure is retried with exponential backoff (1, 3, 9, 27 ...
   minutes, at most 8 hours apart) until a day has passed since the first
   attempt; then the delivery fails and the endpoint is disabled, its owner
   told. A worker killed mid-send leaves the lease to run out; the sweep
   sends the delivery again with the same ``Webhook-Id``.

Delivery is at least once: receivers drop a ``Webhook-Id`` they have seen.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from audit.published import EVENT_TYPES, TYPE_PATTERN
from audit.services import record_event
from organisations.choices import Role
from organisations.models import User

from . import signing, transport
from .choices import DeliveryStatus
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .selectors import Cursor, feed_page, feed_tail

FANOUT_BATCH = 500
MAX_DELAY = timedelta(hours=8)


def _clean_types(types: list[str] | None) -> list[str]:
    """Registered types, or any well-formed one (apps publishing with ``publish=True`` register nothing)."""
    types = sorted(set(types or []))
    bad = [t for t in types if t not in EVENT_TYPES and not TYPE_PATTERN.match(t)]
    if bad:
        raise ValidationError({"event_types": _("Not an event type: %s") % ", ".join(bad)})
    return types


def _clean_url(url: str) -> str:
    try:
        transport.check_url(url)
    except transport.Refused as exc:
        raise ValidationError({"url": str(exc)}) from None
    return url


def _may_register(user: User) -> None:
    if not (user.is_superuser or user.role == Role.PORTAL_CLIENT):
        raise PermissionDenied(_("Only portal clients register webhooks."))


@transaction.atomic
def webhook_endpoint_create(
    *,
    user: User,
    url: str,
    event_types: list[str] | None = None,
    description: str = "",
    contact_email: str = "",
    from_now: bool = True,
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it and its secret (shown this once, stored encrypted).

    It receives the events committed from now on (``from_now``), or the whole
    feed its owner can see.
    """
    _may_register(user)
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(
        owner=user,
        url=_clean_url(url),
        event_types=_clean_types(event_types),
        description=description.strip(),
        contact_email=contact_email.strip(),
        secret_encrypted=signing.encrypt(secret),
    )
    if from_now:
        last = feed_tail(user)
        if last is not None:
            endpoint.cursor_txid, endpoint.cursor_id = last.txid, last.id
    endpoint.full_clean(exclude=["url"])
    endpoint.save()
    record_event(user, "webhooks.endpoint_create", obj=endpoint, division=_division(user), summary=url)
    return endpoint, secret


def _division(user: User) -> Any:
    organisation = user.organisation if user.organisation_id else None
    return organisation.division_id if organisation is not None else None


def _locked(user: User, endpoint_id: int) -> WebhookEndpoint:
    return WebhookEndpoint.objects.restrict(user, "change").select_for_update().get(pk=endpoint_id)


@transaction.atomic
def webhook_endpoint_update(
    *,
    user: User,
    endpoint_id: int,
    url: str | None = None,
    event_types: list[str] | None = None,
    description: str | None = None,
    contact_email: str | None = None,
    active: bool | None = None,
) -> WebhookEndpoint:
    """Change an endpoint; re-activating one resumes where its cursor stopped."""
    endpoint = _locked(user, endpoint_id)
    before = {"url": endpoint.url, "event_types": endpoint.event_types, "active": endpoint.active}
    if url is not None:
        endpoint.url = _clean_url(url)
    if event_types is not None:
        endpoint.event_types = _clean_types(event_types)
    if description is not None:
        endpoint.description = description.strip()
    if contact_email is not None:
        endpoint.contact_email = contact_email.strip()
    if active is not None and active != endpoint.active:
        endpoint.active = active
        endpoint.disabled_at = None if active else timezone.now()
        endpoint.disabled_reason = "" if active else _("Disabled by its owner.")
    endpoint.full_clean(exclude=["url"])
    endpoint.save()
    after = {"url": endpoint.url, "event_types": endpoint.event_types, "active": endpoint.active}
    record_event(
        user, "webhooks.endpoint_update", obj=endpoint, division=_division(user), before=before, after=after
    )
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, user: User, endpoint_id: int) -> None:
    endpoint = _locked(user, endpoint_id)
    record_event(
        user, "webhooks.endpoint_delete", obj=endpoint, division=_division(user), summary=endpoint.url
    )
    endpoint.delete()


@transaction.atomic
def webhook_secret_rotate(*, user: User, endpoint_id: int) -> str:
    """A new secret (shown once); the old one stops signing at once."""
    endpoint = _locked(user, endpoint_id)
    secret = signing.new_secret()
    endpoint.secret_encrypted = signing.encrypt(secret)
    endpoint.save(update_fields=["secret_encrypted", "updated"])
    record_event(user, "webhooks.secret_rotate", obj=endpoint, division=_division(user))
    return secret


@transaction.atomic
def webhook_delivery_replay(*, user: User, delivery_id: int) -> WebhookDelivery:
    """Send a delivery again now (a new attempt in its log), whatever its state."""
    delivery = (
        WebhookDelivery.objects.restrict(user, "change").select_for_update(of=("self",)).get(pk=delivery_id)
    )
    if (
        delivery.status == DeliveryStatus.SENDING
        and delivery.lease_until
        and delivery.lease_until > timezone.now()
    ):
        raise ValidationError(_("This delivery is being sent right now."))
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.first_attempt_at = None  # a replay gets its own day of retries
    delivery.save(update_fields=["status", "next_attempt_at", "first_attempt_at"])
    record_event(user, "webhooks.delivery_replay", obj=delivery, division=_division(user))
    _send_after_commit([delivery.pk])
    return delivery


# --- fan-out -----------------------------------------------------------------


def webhooks_fanout() -> int:
    """Turn new feed events into deliveries for every active endpoint; returns how many."""
    created = 0
    for endpoint_id in WebhookEndpoint.objects.filter(active=True).values_list("pk", flat=True):
        while True:
            n, more = _fanout_endpoint(endpoint_id)
            created += n
            if not more:
                break
    return created


@transaction.atomic
def _fanout_endpoint(endpoint_id: int) -> tuple[int, bool]:
    # skip_locked: a concurrent fan-out is already moving this endpoint's cursor.
    endpoint = (
        WebhookEndpoint.objects.select_for_update(skip_locked=True)
        .select_related("owner")
        .filter(pk=endpoint_id, active=True)
        .first()
    )
    if endpoint is None:
        return 0, False
    rows, more = feed_page(
        endpoint.owner,
        after=Cursor(endpoint.cursor_txid, endpoint.cursor_id),
        types=endpoint.event_types or None,
        limit=FANOUT_BATCH,
    )
    if not rows:
        return 0, False
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(endpoint=endpoint, event_id=e.pk, event_type=e.event_type, next_attempt_at=now)
            for e in rows
        ],
        ignore_conflicts=True,
    )
    endpoint.cursor_txid, endpoint.cursor_id = rows[-1].txid, rows[-1].pk
    endpoint.save(update_fields=["cursor_txid", "cursor_id"])
    ids = list(
        WebhookDelivery.objects.filter(
            endpoint=endpoint, event_id__in=[e.pk for e in rows], attempts=0, status=DeliveryStatus.PENDING
        ).values_list("pk", flat=True)
    )
    _send_after_commit(ids)
    return len(rows), more


def _send_after_commit(ids: list[int]) -> None:
    from villageburden.tasks import enqueue

    from .tasks import deliver

    for pk in ids:
        enqueue(deliver, pk)


# --- sending -----------------------------------------------------------------


def payload(event: AuditEvent, *, base_url: str = "") -> dict[str, Any]:
    """An event as the feed and the webhooks show it (one representation for both)."""
    return {
        "id": event.pk,
        "cursor": str(Cursor.of(event)),
        "type": event.event_type,
        "created": event.created.isoformat(),
        "division": event.division_id,
        "object": {
            "type": event.object_type,
            "id": event.object_id,
            "url": (base_url + event.object_url) if event.object_url else "",
        },
        "body": event.body or {},
    }


def _claim(delivery_id: int, *, force: bool = False) -> WebhookDelivery | None:
    """Take the delivery for one send, if it is due and no live worker holds it."""
    now = timezone.now()
    with transaction.atomic():
        due = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
            status=DeliveryStatus.SENDING, lease_until__lt=now
        )
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(due, pk=delivery_id, endpoint__active=True)
            .first()
        )
        if delivery is None:
            return None
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        delivery.first_attempt_at = delivery.first_attempt_at or now
        delivery.lease_until = now + timedelta(seconds=settings.WEBHOOKS_TIMEOUT_SECONDS * 3 + 30)
        delivery.save(update_fields=["status", "attempts", "first_attempt_at", "lease_until"])
        return delivery


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=3 ** max(attempts - 1, 0)), MAX_DELAY)


def webhook_deliver(*, delivery_id: int) -> WebhookDelivery | None:
    """Send one delivery if it is due; record the attempt. Returns the delivery, or None if not due."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    event = AuditEvent.objects.get(pk=delivery.event_id)
    body = json.dumps(payload(event, base_url=settings.WEBHOOKS_BASE_URL), ensure_ascii=False).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "VillageBurdenRegistry-Webhooks/1",
        "Webhook-Id": str(delivery.pk),
        "Webhook-Event": delivery.event_type,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signing.sign(signing.decrypt(endpoint.secret_encrypted), timestamp, body),
    }
    started = timezone.now()
    try:
        result = transport.post(endpoint.url, body, headers)
    except transport.Refused as exc:
        result = transport.Result(None, 0, "", f"refused: {exc}"[:300])
    return _record(delivery.pk, result, started)


@transaction.atomic
def _record(delivery_id: int, result: transport.Result, started: datetime) -> WebhookDelivery:
    delivery = (
        WebhookDelivery.objects.select_for_update(of=("self",)).select_related("endpoint").get(pk=delivery_id)
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started=started,
        duration_ms=result.duration_ms,
        status_code=result.status,
        response_excerpt=result.excerpt,
        error=result.error,
    )
    now = timezone.now()
    delivery.last_status_code = result.status
    delivery.lease_until = None
    if result.ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.SUCCEEDED, now, None
    else:
        retry_at = now + _backoff(delivery.attempts)
        first = delivery.first_attempt_at or started
        if retry_at - first <= settings.WEBHOOKS_RETRY_FOR:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.PENDING, retry_at
            _retry_after_commit(delivery.pk, retry_at - now)
        else:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            _disable(
                delivery.endpoint,
                _("Deliveries failed for a day (last: %s).") % (result.status or result.error),
            )
    delivery.save(
        update_fields=["status", "delivered_at", "next_attempt_at", "lease_until", "last_status_code"]
    )
    return delivery


def _retry_after_commit(delivery_id: int, delay: timedelta) -> None:
    """Schedule the retry on the broker; the sweep sends it anyway if this message is lost."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # in-process mode cannot wait: the sweep sends it when due

    from .tasks import deliver

    def send() -> None:
        try:
            deliver.apply_async(args=[delivery_id], countdown=int(delay.total_seconds()), retry=False)
        except Exception:  # broker down: the sweep picks it up
            pass

    transaction.on_commit(send)


def _disable(endpoint: WebhookEndpoint, reason: str) -> None:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if not endpoint.active:
        return
    endpoint.active, endpoint.disabled_at, endpoint.disabled_reason = False, timezone.now(), reason[:300]
    endpoint.save(update_fields=["active", "disabled_at", "disabled_reason", "updated"])
    record_event(
        None, "webhooks.endpoint_disable", obj=endpoint, division=_division(endpoint.owner), summary=reason
    )
    recipients = sorted({e for e in (endpoint.contact_email, endpoint.owner.email) if e})
    if recipients:
        from villageburden.tasks import enqueue

        from .tasks import mail_disabled

        enqueue(mail_disabled, endpoint.pk, recipients)


def webhooks_sweep() -> dict[str, int]:
    """Fan out new events and send every due delivery (every minute under beat; also by hand)."""
    fanned = webhooks_fanout()
    now = timezone.now()
    due = WebhookDelivery.objects.filter(endpoint__active=True).filter(
        Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.SENDING, lease_until__lt=now)
    )
    sent = 0
    for pk in due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:FANOUT_BATCH]:
        if webhook_deliver(delivery_id=pk) is not None:
            sent += 1
    return {"fanned_out": fanned, "sent": sent}
