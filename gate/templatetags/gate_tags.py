"""Template helpers of the gate: role panel figures, verdict and status badges."""

from django import template
from django.utils.translation import gettext_lazy as _

from ..selectors import panel_counts, sees_screening_scores

register = template.Library()

VERDICT_CLASSES = {"block": "danger", "flag": "warning", "listed": "success", "review": "secondary"}
STATUS_CLASSES = {
    "draft": "light text-dark border",
    "blocked": "danger",
    "in_review": "info text-dark",
    "awaiting_decision": "primary",
    "approved": "success",
    "rejected": "dark",
    "returned": "warning text-dark",
    "withdrawn": "secondary",
    "expired": "secondary",
    "pending": "light text-dark border",
    "in_progress": "info text-dark",
    "done": "success",
    "cancelled": "secondary",
}

# The fields of a list item a screening hit names (gate/retrieval.py FIELD_WEIGHTS).
FIELD_LABELS = {
    "name": _("item name"),
    "keywords": _("keywords"),
    "content": _("work content"),
    "category": _("category"),
    "responsible_department": _("responsible department"),
    "scope": _("scope"),
    "process": _("process"),
    "materials": _("materials"),
    "legal_basis": _("legal basis"),
}


@register.simple_tag
def gate_panel(user):
    return panel_counts(user)


@register.filter
def verdict_class(verdict: str) -> str:
    return VERDICT_CLASSES.get(verdict or "", "secondary")


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status or "", "secondary")


@register.filter
def field_label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


@register.filter
def sees_scores(user) -> bool:
    return sees_screening_scores(user)
