"""A change against the baseline, in words: counts and hours, absolute and %."""

from django import template
from django.utils.html import format_html

register = template.Library()


def _signed(value, pct) -> str:
    text = f"{value:+g}"
    return f"{text} ({pct:+.1f}%)" if pct is not None else text


@register.simple_tag
def change(change):
    """``-3 (−50.0%) · -12 h (−52.0%)``, red when the burden went up, green when it went down."""
    tone = "text-danger" if change.hours > 0 or (change.hours == 0 and change.count > 0) else "text-success"
    return format_html(
        '<span class="{}">{} · {} h</span>',
        tone,
        _signed(change.count, change.count_pct),
        _signed(change.hours, change.hours_pct),
    )
