"""Naming an institution: one row per county and name, however often it is named."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from divisions.models import Division

from .models import Institution

NAME_LIMIT = 120


def institution_for(*, county: Division, name: str, field: str = "institution") -> Institution:
    """The county's institution of that name (created on first mention); the name is required."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({field: [_("Name the institution that made the demand.")]})
    institution, _created = Institution.objects.get_or_create(division=county, name=name[:NAME_LIMIT])
    return institution
