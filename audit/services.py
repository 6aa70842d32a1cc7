"""Writing audit events. Call inside the transaction of the change it records.

``record_event`` is the one write point for the audit trail and for the events
published to portals (the feed and the webhooks): see ``audit/published.py``.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from . import context, published
from .models import AuditEvent


def record_event(
    actor: Any,
    action: str,
    *,
    obj: models.Model | None = None,
    division: Any = None,
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
    publish: bool | None = None,
    body: dict | None = None,
    url: str | None = None,
    organisation: Any = None,
) -> AuditEvent:
    """Append one event. ``actor`` is a user, or None for the system.

    The event is also published to portals (``/api/v1/events/``, webhooks)
    when ``action`` is registered in ``audit.published`` or ``publish=True``;
    ``body`` (compact, no personal data), ``url`` (the object's API path) and
    ``organisation`` (the object's owner, for objects departments and
    portals see only when they are their own) override what the registration
    builds. ``publish=False`` keeps a registered action internal.
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    division_id = getattr(division, "pk", division)
    if division_id is None and obj is not None:
        division_id = getattr(obj, "division_id", None)
    entry = published.EVENT_TYPES.get(action)
    event_type = ""
    if publish or (publish is None and entry is not None):
        event_type = action
        if body is None:
            body = (
                entry.body(obj, after or {}, summary) if entry and obj is not None else {"summary": summary}
            )
        if url is None:
            url = published.object_url(obj, entry)
        if organisation is None:
            organisation = published.owning_organisation(obj, entry)
    event = AuditEvent.objects.create(
        actor=user,
        actor_name=(user.get_username() if user else (str(actor) if actor else "system"))[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        division_id=division_id,
        summary=summary,
        before=before,
        after=after,
        event_type=event_type,
        object_url=(url or "")[:300] if event_type else "",
        body=body if event_type else None,
        organisation_id=getattr(organisation, "pk", organisation) if event_type else None,
        ip_address=context.client_ip.get(),
        request_id=context.request_id.get(),
    )
    if event_type:
        _announce_after_commit()
    return event


def _announce_after_commit() -> None:
    """Once per transaction: after it commits, let the webhooks pick up its events.

    The feed needs nothing (it reads the table); webhook deliveries are created
    by the fan-out task, which also runs every minute, so a lost message (Redis
    down, a callback dropped with a savepoint) only delays a delivery.
    """
    from django.apps import apps

    if not apps.is_installed("events"):
        return
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(f is _send_fanout for _sids, f, _robust in conn.run_on_commit):
        return
    transaction.on_commit(_send_fanout)


def _send_fanout() -> None:
    from events.tasks import fanout_soon

    fanout_soon()
