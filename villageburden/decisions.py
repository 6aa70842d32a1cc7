"""Decisions with reasons: one shape for every approval the product records.

A county approves an access request, the year's forms plan or a township's
assessment method; a province approves a new working mechanism. Each decision
is a row that says who decided, what, when and why — the reason is required
and kept in words (seed 004: every approval is reasoned and traceable). An app
keeps its own decisions table (what is decided differs) on this abstract model
and checks reasons with :func:`clean_reason`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REASON_LIMIT = 2000


class DecisionBase(models.Model):
    """Who decided, the outcome (the app gives its choices), the reason and when."""

    outcome = models.CharField(gettext_lazy("decision"), max_length=10)
    reason = models.TextField(gettext_lazy("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(gettext_lazy("decided at"), default=timezone.now)

    class Meta:
        abstract = True


def clean_reason(reason: str | None, *, field: str = "reason", limit: int = REASON_LIMIT) -> str:
    """The reason of a decision: required, trimmed, at most ``limit`` characters (Chinese error per field)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: [_("A reason is required.")]})
    if len(reason) > limit:
        raise ValidationError(
            {
                field: [
                    _("At most %(limit)s characters (this has %(length)s).")
                    % {"limit": limit, "length": len(reason)}
                ]
            }
        )
    return reason
