"""A change against the baseline, in words: counts and hours, absolute and %; a row's basis in the reader's language."""

import re

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

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


_AMOUNT = re.compile(r"(\d+(?:\.\d+)?) (min|h)\b")


@register.filter
def basis(text) -> str:
    """A row's basis ("20 min × 12 / year", "1 h (default) × 1") with its units in the reader's language.

    The sources write the basis with English units (the API keeps them); a page translates them here.
    """
    units = {"min": _("%(n)s min"), "h": _("%(n)s h")}
    text = _AMOUNT.sub(lambda m: units[m[2]] % {"n": m[1]}, str(text))
    return text.replace("/ year", _("/ year")).replace("(default)", _("(default)"))
