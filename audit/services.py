"""Writing audit events. Call inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from django.db import models

from . import context
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
) -> AuditEvent:
    """Append one event. ``actor`` is a user, or None for the system."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    division_id = getattr(division, "pk", division)
    if division_id is None and obj is not None:
        division_id = getattr(obj, "division_id", None)
    return AuditEvent.objects.create(
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
        ip_address=context.client_ip.get(),
        request_id=context.request_id.get(),
    )
