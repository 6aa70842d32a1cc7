"""Reading the register of institutions."""

from __future__ import annotations

from django.db.models import QuerySet

from divisions.models import Division

from .models import Institution


def institutions_of(county: Division | str) -> QuerySet[Institution]:
    """The institutions named in a county, by name."""
    county_id = county.pk if isinstance(county, Division) else county
    return Institution.objects.filter(division_id=county_id)


def institutions_visible_to(user) -> QuerySet[Institution]:
    """The institutions of the user's jurisdiction (all for a superuser, none without a jurisdiction)."""
    if user.is_superuser:
        return Institution.objects.all()
    prefix = getattr(user, "jurisdiction_prefix", "")
    return (
        Institution.objects.filter(division__code__startswith=prefix)
        if prefix
        else Institution.objects.none()
    )
