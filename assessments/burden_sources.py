"""What assessments add to a village's burden account (BURDEN.md, key ``assessments``).

Every active item of the assessment items list governing the village on the day
(its county's, else its province's, for its settlement kind), plus the township's
integrated assessment of that year once the county has approved it. Hours are the
Standard Cost Model: hours per occurrence × occurrences a year (the item's
frequency); where an item gives no hours, ``DEFAULT_HOURS`` is used.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from divisions.models import Division
from villageburden import versioning

from .choices import PER_YEAR, AppliesTo, Frequency, ItemStatus, PlanStatus, applies_to_for
from .models import AssessmentList, IntegratedAssessment

# A village's time on one occurrence of an assessment (gathering materials, receiving
# the assessors). The seeds give no figure; 4 hours is this product's assumption.
DEFAULT_HOURS = 4.0
# The township's integrated assessment: once a year (seed 004 task 13).
INTEGRATED_HOURS = DEFAULT_HOURS


Row = tuple[str, str, float, bool, str]  # code, name, hours a year, estimated, basis


def _lists_in_force(county_codes: set[str], on: date) -> dict[tuple[str, str], list[Row]]:
    """(county code, applies_to) → the rows of the items in force."""
    found: dict[tuple[str, str], list[Row]] = {}
    province_codes = {c[:2].ljust(12, "0") for c in county_codes}
    lists = AssessmentList.objects.filter(division_id__in=county_codes | province_codes)
    by_division: dict[str, list[AssessmentList]] = defaultdict(list)
    for item_list in lists:
        by_division[item_list.division_id].append(item_list)
    for county in county_codes:
        for kind in (AppliesTo.VILLAGES, AppliesTo.COMMUNITIES):
            candidates = [
                lst
                for code in (county, county[:2].ljust(12, "0"))
                for lst in by_division.get(code, [])
                if lst.applies_to in (kind, AppliesTo.BOTH)
            ]
            version = next(
                (v for lst in candidates if (v := versioning.version_in_force(lst.versions.all(), on))), None
            )
            if version is None:
                continue
            rows: list[Row] = []
            for item in version.items.filter(status=ItemStatus.ACTIVE):
                per_year = PER_YEAR.get(Frequency(item.frequency), 1)
                estimated = item.hours_per_occurrence is None
                hours = (
                    DEFAULT_HOURS if item.hours_per_occurrence is None else float(item.hours_per_occurrence)
                )
                rows.append(
                    (item.code, item.name, hours * per_year, estimated, f"{hours:g} h × {per_year} / year")
                )
            found[(county, kind)] = rows
    return found


class AssessmentsPlaced:
    key = "assessments"
    label = _("Assessments placed on the village")
    order = 120
    method = _(
        "hours per occurrence × occurrences a year, for each assessment on the list in force and the township's "
        "integrated assessment; 4 h per occurrence where an item gives none"
    )

    def _collect(self, villages: QuerySet[Division], on: date):
        rows = list(villages.values_list("code", "name", "settlement_kind", "parent_id"))
        counties = {code[:6].ljust(12, "0") for code, *_rest in rows}
        lists = _lists_in_force(counties, on)
        integrated = set(
            IntegratedAssessment.objects.filter(
                township_id__in={r[3] for r in rows},
                year=on.year,
                status__in=(PlanStatus.APPROVED, PlanStatus.PUBLISHED),
            ).values_list("township_id", flat=True)
        )
        return rows, lists, integrated

    def per_village(
        self, villages: QuerySet[Division], on: date
    ) -> dict[str, tuple[int, float, bool]] | None:
        rows, lists, integrated = self._collect(villages, on)
        if not lists and not integrated:
            return None
        result: dict[str, tuple[int, float, bool]] = {}
        for code, _name, kind, township in rows:
            items = lists.get((code[:6].ljust(12, "0"), applies_to_for(kind)), [])
            count = len(items) + (1 if township in integrated else 0)
            if count:
                hours = sum(i[2] for i in items) + (INTEGRATED_HOURS if township in integrated else 0)
                result[code] = (count, round(hours, 1), any(i[3] for i in items) or township in integrated)
        return result

    def rows(self, villages: QuerySet[Division], on: date, limit: int = 200) -> list[dict]:
        rows, lists, integrated = self._collect(villages, on)
        out: list[dict] = []
        for code, name, kind, township in rows:
            items = lists.get((code[:6].ljust(12, "0"), applies_to_for(kind)), [])
            for item_code, item_name, hours, estimated, basis in items:
                out.append(
                    {
                        "village": code,
                        "village_name": name,
                        "what": f"{item_code} {item_name}",
                        "count": 1,
                        "hours": round(hours, 1),
                        "estimated": estimated,
                        "basis": basis,
                        "url": "",
                    }
                )
                if len(out) >= limit:
                    return out
            if township in integrated:
                out.append(
                    {
                        "village": code,
                        "village_name": name,
                        "what": str(_("Township's integrated assessment")),
                        "count": 1,
                        "hours": INTEGRATED_HOURS,
                        "estimated": True,
                        "basis": f"{INTEGRATED_HOURS:g} h × 1 / year",
                        "url": "",
                    }
                )
                if len(out) >= limit:
                    return out
        return out


SOURCES = [AssessmentsPlaced()]
