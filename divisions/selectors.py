"""Reading divisions as other apps need them."""

from __future__ import annotations

from .models import Division


def division_for_code(code: str | None) -> Division | None:
    """The division a typed code names: 2 to 12 ASCII digits, padded with zeros (``150223`` is 旗 150223000000).

    None for anything else (letters, full-width digits, more than 12 digits) or a code no division has.
    """
    code = (code or "").strip()
    if not code.isascii() or not code.isdigit() or len(code) > 12:
        return None
    return Division.objects.filter(pk=code.ljust(12, "0")).first()
