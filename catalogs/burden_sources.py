"""What the work-affairs catalogue adds to a village's burden account (BURDEN.md, issue 11).

Every village carries the active autonomy and assist items of the lists that
govern it (its county's catalogue, else the province's guidance) as they stood
on the day: the published version in force, each item within its own dates.
Hours are the item's own "estimated hours per village per year"; an item that
gives none counts ``DEFAULT_ITEM_HOURS`` and the figure is marked an estimate.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from divisions.models import Division, Level

from . import selectors
from .choices import ItemKind

# An item with no hours of its own: two hours per village per year (an estimate,
# shown as such; no seed gives a figure).
DEFAULT_ITEM_HOURS = 2.0


def _villages_by_county(villages: QuerySet[Division]) -> dict[str, list[str]]:
    """Village codes grouped by their county's padded code, in one query."""
    out: dict[str, list[str]] = defaultdict(list)
    for code, county in villages.annotate(county6=Substr("code", 1, 6)).values_list("code", "county6"):
        out[county.ljust(12, "0")].append(code)
    return out


class _CatalogueItems:
    kind: str
    key: str
    label = None
    order = 0
    method = _(
        "the item's estimated hours per village per year, summed over the items in force; "
        "2 h a year where an item gives none"
    )

    def _items(self, villages: QuerySet[Division], on: date):
        """(village codes, items in force) per governing catalogue; None when no catalogue governs any."""
        groups = _villages_by_county(villages)
        if not groups:
            return None
        counties = Division.objects.in_bulk(list(groups), field_name="code")
        found = False
        out = []
        for code, village_codes in groups.items():
            county = counties.get(code)
            if county is None or county.level != Level.COUNTY:
                continue
            if selectors.catalogue_for(county) is None:
                continue
            found = True
            items = list(
                selectors.items_in_force(county, on)
                .filter(kind=self.kind)
                .only("pk", "code", "name", "hours_per_year", "version_id")
                .order_by("code")
            )
            out.append((village_codes, items))
        return out if found else None

    @staticmethod
    def _hours(items) -> tuple[float, bool]:
        hours, estimated = 0.0, False
        for item in items:
            if item.hours_per_year:
                hours += float(item.hours_per_year)
            else:
                hours += DEFAULT_ITEM_HOURS
                estimated = True
        return hours, estimated

    def per_village(
        self, villages: QuerySet[Division], on: date
    ) -> dict[str, tuple[int, float, bool]] | None:
        groups = self._items(villages, on)
        if groups is None:
            return None
        out: dict[str, tuple[int, float, bool]] = {}
        for village_codes, items in groups:
            if not items:
                continue
            hours, estimated = self._hours(items)
            for code in village_codes:
                out[code] = (len(items), hours, estimated)
        return out

    def rows(self, villages: QuerySet[Division], on: date, limit: int = 200) -> list[dict]:
        """One row per item in force (its hours × the villages it binds), not one per village."""
        groups = self._items(villages, on) or []
        rows: list[dict] = []
        for village_codes, items in groups:
            n = len(village_codes)
            for item in items:
                own = float(item.hours_per_year or 0)
                per = own or DEFAULT_ITEM_HOURS
                rows.append(
                    {
                        "village": "",
                        "village_name": _("%(n)s villages") % {"n": n},
                        "what": f"{item.code} {item.name}",
                        "count": n,
                        "hours": round(per * n, 1),
                        "estimated": not own,
                        "basis": f"{per:g} h × {n}",
                        "url": reverse("catalogs:item", args=[item.pk]),
                    }
                )
                if len(rows) >= limit:
                    return rows
        return rows


class AutonomyItems(_CatalogueItems):
    key = "catalog_autonomy"
    label = _("Autonomy items in force")
    order = 10
    kind = ItemKind.AUTONOMY


class AssistItems(_CatalogueItems):
    key = "catalog_assist"
    label = _("Assist items in force")
    order = 20
    kind = ItemKind.ASSIST


SOURCES = [AutonomyItems(), AssistItems()]
