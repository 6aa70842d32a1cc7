"""Query parameters that hold a date, a number or a code: a bad value is a clear 400, never a 500.

Every page reads such parameters through these helpers; ``tests/test_url_sweep.py``
walks every URL with bad values for every parameter it reads.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import BadRequest, ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What each parameter means, for the message (the name itself is an address detail).
LABELS = {
    "as_of": gettext_lazy("the date the lists are shown as of"),
    "v": gettext_lazy("the version"),
    "a": gettext_lazy("the version compared from"),
    "b": gettext_lazy("the version compared to"),
    "parent": gettext_lazy("the parent division"),
    "village": gettext_lazy("the village"),
    "request": gettext_lazy("the access request"),
    "date_from": gettext_lazy("the start date"),
    "date_to": gettext_lazy("the end date"),
    "organisation": gettext_lazy("the organisation"),
    "on": gettext_lazy("the date of the account"),
    "baseline": gettext_lazy("the baseline date"),
}


def _label(name: str) -> str:
    return str(LABELS.get(name, name))


# Larger ids than a signed 64-bit column holds are refused before they reach the database.
MAX_ID = 2**63 - 1


# The dates a page or the API takes as a filter or an "as of": wide enough for any record, narrow
# enough that a year's or a period's arithmetic around them is still a date (0001-01-01 less a
# year is not).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def date_in_range(value: date) -> date:
    """``value`` if it lies in EARLIEST_DATE–LATEST_DATE, else a ValidationError in words (a DRF field validator too)."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("A date between %(first)s and %(last)s.") % {"first": EARLIEST_DATE, "last": LATEST_DATE}
        )
    return value


def date_param(request, name: str) -> date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        raise BadRequest(_("%(name)s must be a date such as 2026-12-01.") % {"name": _label(name)})
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise BadRequest(
            _("%(name)s must be a date between %(first)s and %(last)s.")
            % {"name": _label(name), "first": EARLIEST_DATE, "last": LATEST_DATE}
        )
    return value


def int_param(request, name: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise BadRequest(
            _("%(name)s must be a whole number from %(min)s to %(max)s.")
            % {"name": _label(name), "min": minimum, "max": maximum}
        )
    return int(raw)


def code_param(request, name: str, *, max_length: int = 12) -> str:
    """A division code (or its prefix): digits only."""
    raw = request.GET.get(name, "").strip()
    if raw and (not raw.isascii() or not raw.isdigit() or len(raw) > max_length):
        raise BadRequest(
            _("%(name)s must be a division code of at most %(n)s digits.")
            % {"name": _label(name), "n": max_length}
        )
    return raw


def posted_id(request, name: str) -> int:
    """A posted record id, or 0 (which matches no record) when it is not a whole number in range.

    For a form's hidden or chosen id: a tampered value then finds nothing (a 404 or
    the form's own message), never a server error.
    """
    raw = request.POST.get(name, "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and int(raw) <= MAX_ID else 0


def posted_count(request, name: str, *, maximum: int) -> int:
    """A form's posted count (of its rows), at most ``maximum``; 0 when it is not a whole number.

    The form writes it; a tampered one reads as nothing posted, and a huge one as
    ``maximum``, so the page never loops over what a client claims.
    """
    raw = request.POST.get(name, "").strip()
    return min(int(raw), maximum) if raw.isascii() and raw.isdigit() else 0
