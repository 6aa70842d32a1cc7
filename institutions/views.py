"""The public notice page: every notice (通报) about a county's institutions, from whichever app."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from divisions.models import Division, Level

from .notices import notices_of


def notices(request, code: str):
    """Public (no login): the county's notices about institutions that kept placing demands on villages."""
    county = get_object_or_404(Division, pk=code.ljust(12, "0")[:12], level=Level.COUNTY)
    return render(request, "institutions/notices.html", {"county": county, "rows": notices_of(county)})
