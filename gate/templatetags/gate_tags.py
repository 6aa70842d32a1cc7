"""Template helpers of the gate: role panel figures, verdict and status badges."""

from django import template

from ..selectors import panel_counts

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


@register.simple_tag
def gate_panel(user):
    return panel_counts(user)


@register.filter
def verdict_class(verdict: str) -> str:
    return VERDICT_CLASSES.get(verdict or "", "secondary")


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status or "", "secondary")
