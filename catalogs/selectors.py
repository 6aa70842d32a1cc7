"""Reading the lists as they stand: the contract the access gate relies on."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from divisions.models import Division
from villageburden import versioning

from .choices import AppliesTo, ItemStatus, VersionStatus, applies_to_values
from .models import Catalogue, CatalogueItem, CatalogueVersion


def version_in_force(catalogue: Catalogue, on: date | None = None) -> CatalogueVersion | None:
    """The published version with the latest effective date on or before ``on``."""
    return versioning.version_in_force(catalogue.versions.all(), on)


def upcoming_guidance(catalogue: Catalogue, on: date | None = None) -> list[dict]:
    """The province's published versions that take effect after ``on``, with what each changes.

    A county adopts from the guidance in force; these are shown ahead so it can prepare.
    """
    guidance = catalogue.guidance
    if guidance is None:
        return []
    on = on or timezone.localdate()
    base = version_in_force(guidance, on)
    out = []
    for version in guidance.versions.filter(status=VersionStatus.PUBLISHED, effective_from__gt=on).order_by(
        "effective_from", "number"
    ):
        rows = [r for r in version_compare(base, version) if r["change"] != "same"] if base else []
        out.append({"version": version, "rows": rows})
        base = version
    return out


def settlement_of(division: Division) -> str:
    """The settlement kind whose lists govern ``division``: a community's own kind, else villages.

    Only village-level rows carry a kind (divisions/models.py); a county, a
    township or a village without one is governed by the villages' lists, as
    every division was before communities had lists of their own.
    """
    from divisions.models import SettlementKind

    kind = getattr(division, "settlement_kind", "") or ""
    return SettlementKind.COMMUNITY if kind == SettlementKind.COMMUNITY else SettlementKind.VILLAGE


def catalogue_for(division: Division, settlement: str | None = None) -> Catalogue | None:
    """The catalogue governing a division for one settlement kind: its county's, else its province's.

    ``settlement`` defaults to the division's own (``settlement_of``); a county
    asked for its communities passes ``"community"``.
    """
    kind = settlement or settlement_of(division)
    found = versioning.governing(Catalogue.objects.filter(applies_to__in=applies_to_values(kind)), division)
    if found is None and kind == "community":
        # No community list governs here yet: the villages' lists apply by
        # reference (seed 002, end: "参照本方案执行"; seed 003, end).
        found = versioning.governing(
            Catalogue.objects.filter(applies_to__in=applies_to_values("village")), division
        )
    return found


def items_in_force(division: Division, on: date | None = None, settlement: str | None = None):
    """Active items of the lists that govern ``division`` (for ``settlement``) on ``on`` (default today)."""
    on = on or timezone.localdate()
    catalogue = catalogue_for(division, settlement)
    version = version_in_force(catalogue, on) if catalogue else None
    if version is None:
        return CatalogueItem.objects.none()
    return version.items.filter(status=ItemStatus.ACTIVE).filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=on),
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
    )


def published_for(county: Division, applies_to: str, on: date | None = None) -> bool:
    """Whether ``county`` has its own published list for ``applies_to`` in force on ``on``
    (a list for both counts for either)."""
    on = on or timezone.localdate()
    values = [AppliesTo.BOTH] if applies_to == AppliesTo.BOTH else [applies_to, AppliesTo.BOTH]
    return CatalogueVersion.objects.filter(
        catalogue__division=county,
        catalogue__applies_to__in=values,
        status=VersionStatus.PUBLISHED,
        effective_from__lte=on,
    ).exists()


# --- reading for people: search, comparison, history --------------------------


def in_force_subquery(on: date):
    """For each catalogue, the id of its version in force on ``on`` (to filter items by)."""
    from django.db.models import OuterRef

    return (
        CatalogueVersion.objects.filter(
            catalogue=OuterRef("version__catalogue"), status=VersionStatus.PUBLISHED, effective_from__lte=on
        )
        .order_by("-effective_from", "-number")
        .values("pk")[:1]
    )


def items_as_of(queryset, on: date):
    """Items of each catalogue's version in force on ``on``, within their own dates."""
    from django.db.models import Subquery

    return queryset.filter(version_id=Subquery(in_force_subquery(on))).filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=on),
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
    )


def search_items(queryset, text: str):
    """Code, name, keywords, category, content or the negative matter contain every word."""
    for word in text.split():
        queryset = queryset.filter(
            Q(code__icontains=word)
            | Q(name__icontains=word)
            | Q(keywords__icontains=word)
            | Q(category__icontains=word)
            | Q(content__icontains=word)
            | Q(negative_matter__icontains=word)
        )
    return queryset


def version_compare(a: CatalogueVersion, b: CatalogueVersion) -> list[dict]:
    """Item by item: what ``b`` adds, removes or changes relative to ``a``."""
    from .validation import COMPARED_FIELDS, fingerprint

    left = {i.code: i for i in a.items.all()}
    right = {i.code: i for i in b.items.all()}
    rows: list[dict] = []
    for code in sorted(set(left) | set(right)):
        old, new = left.get(code), right.get(code)
        if old is None:
            rows.append({"code": code, "change": "added", "old": None, "new": new, "fields": []})
        elif new is None:
            rows.append({"code": code, "change": "removed", "old": old, "new": None, "fields": []})
        else:
            fo = fingerprint({f: getattr(old, f) for f in COMPARED_FIELDS})
            fn = fingerprint({f: getattr(new, f) for f in COMPARED_FIELDS})
            fields = [f for f, x, y in zip(COMPARED_FIELDS, fo, fn, strict=True) if x != y]
            rows.append(
                {
                    "code": code,
                    "change": "changed" if fields else "same",
                    "old": old,
                    "new": new,
                    "fields": fields,
                }
            )
    return rows


def item_versions(item: CatalogueItem):
    """The same item (by code) in every version of its catalogue, newest first."""
    return (
        CatalogueItem.objects.filter(version__catalogue_id=item.version.catalogue_id, code=item.code)
        .select_related("version")
        .order_by("-version__number")
    )


def kind_totals(version: CatalogueVersion) -> dict[str, dict[str, float]]:
    """Items and estimated hours per village per year, per list (DESIGN.md §3.6)."""
    from django.db.models import Count, Sum

    rows = (
        version.items.filter(status=ItemStatus.ACTIVE)
        .values("kind")
        .annotate(n=Count("id"), hours=Sum("hours_per_year"))
        .order_by("kind")
    )
    return {r["kind"]: {"items": r["n"], "hours": float(r["hours"] or 0)} for r in rows}
