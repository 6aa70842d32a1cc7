"""Reading the lists as they stand: the contract the access gate relies on."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from divisions.models import Division, Level

from .choices import ItemStatus, VersionStatus
from .models import Catalogue, CatalogueItem, CatalogueVersion


def version_in_force(catalogue: Catalogue, on: date | None = None) -> CatalogueVersion | None:
    """The published version with the latest effective date on or before ``on``."""
    on = on or timezone.localdate()
    return (
        catalogue.versions.filter(status=VersionStatus.PUBLISHED, effective_from__lte=on)
        .order_by("-effective_from", "-number")
        .first()
    )


def catalogue_for(division: Division) -> Catalogue | None:
    """The catalogue governing a division: its county's, else its province's guidance."""
    codes = []
    if division.level >= Level.COUNTY:
        codes.append(division.ancestor_at(Level.COUNTY))
    codes.append(division.ancestor_at(Level.PROVINCE))
    found = {c.division_id: c for c in Catalogue.objects.filter(division_id__in=codes)}
    return next((found[c] for c in codes if c in found), None)


def items_in_force(division: Division, on: date | None = None):
    """Active items of the lists that govern ``division`` on ``on`` (default today)."""
    on = on or timezone.localdate()
    catalogue = catalogue_for(division)
    version = version_in_force(catalogue, on) if catalogue else None
    if version is None:
        return CatalogueItem.objects.none()
    return version.items.filter(status=ItemStatus.ACTIVE).filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=on),
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
    )
