"""What the monitoring points add to a village's burden account (see BURDEN.md).

Two sources, from the monitors' reports (seed 004 §2(5), seed 002 §4(3)):

- ``inspections`` (迎检): inspections and visits reported at the village;
- ``burden_reports``: every other burden a monitor reported — tasks without
  access approval, plaque and mechanism demands, certificate demands, work
  groups and apps, screenshots as proof, vetoes and rankings. Unplanned forms
  are left out: the forms plan counts them (``forms_unplanned``).

A report counts from the day it was filed, for a year after the day the burden
was seen (the Standard Cost Model's "a year"), unless the organisation
department found it not substantiated by ``on`` or its reporter withdrew it by
then. Hours are what the monitor
recorded the village spent; where none was recorded a default is used (below)
— the seeds give no time for an inspection or a demand, so these defaults are
the registry's own estimate, flagged 缺依据 in the method text.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from divisions.models import Division

from .choices import Finding, ReportKind
from .models import BurdenReport

# Registry defaults (no basis in the seeds: 缺依据): preparing and receiving one
# inspection or visit takes the village half a working day; any other reported
# demand one hour.
DEFAULT_INSPECTION_HOURS = 4.0
DEFAULT_REPORT_HOURS = 1.0
YEAR = timedelta(days=365)


def _standing(villages: QuerySet[Division], on: date, kinds: Q) -> QuerySet[BurdenReport]:
    end_of_day = timezone.make_aware(datetime.combine(on, time.max))
    return (
        BurdenReport.objects.filter(kinds, village__in=villages, created__lte=end_of_day)
        .filter(seen_on__lte=on, seen_on__gt=on - YEAR)
        .exclude(decision__outcome=Finding.NOT_SUBSTANTIATED, decision__created__lte=end_of_day)
        # A report its reporter withdrew no longer stands from the day it was withdrawn.
        .exclude(withdrawn_at__lte=end_of_day)
    )


class _ReportSource:
    key: str
    label: Any
    order: int
    method: Any
    kinds = Q()
    default_hours = DEFAULT_REPORT_HOURS

    def _any(self, villages: QuerySet[Division]) -> bool:
        return BurdenReport.objects.filter(self.kinds, village__in=villages).exists()

    def per_village(
        self, villages: QuerySet[Division], on: date
    ) -> dict[str, tuple[int, float, bool]] | None:
        if not self._any(villages):
            return None
        rows = (
            _standing(villages, on, self.kinds)
            .values("village_id")
            .annotate(
                n=Count("id"),
                recorded=Coalesce(Sum("hours"), 0, output_field=BurdenReport._meta.get_field("hours")),
                missing=Count("id", filter=Q(hours__isnull=True)),
            )
        )
        return {
            r["village_id"]: (
                r["n"],
                round(float(r["recorded"]) + r["missing"] * self.default_hours, 1),
                r["missing"] > 0,
            )
            for r in rows
        }

    def rows(self, villages: QuerySet[Division], on: date, limit: int = 200) -> list[dict]:
        qs = (
            _standing(villages, on, self.kinds)
            .select_related("village", "institution")
            .order_by("village_id", "-seen_on")
        )
        out = []
        for r in qs[:limit]:
            hours = float(r.hours) if r.hours is not None else self.default_hours
            out.append(
                {
                    "village": r.village_id,
                    "village_name": r.village.name,
                    "what": f"{r.get_kind_display()} · {r.institution.name} · {r.seen_on:%Y-%m-%d}",
                    "count": 1,
                    "hours": hours,
                    "estimated": r.hours is None,
                    "basis": f"{hours:g} h × 1" if r.hours is not None else f"{hours:g} h (default) × 1",
                    "url": reverse("monitoring:report", args=[r.pk]),
                    "object": (BurdenReport, r.pk),
                }
            )
        return out


class Inspections(_ReportSource):
    key = "inspections"
    label = _("Inspections and visits (迎检)")
    order = 60
    method = _(
        "hours the monitor recorded for each inspection or visit reported in the year; 4 h where none was "
        "recorded (registry default, no basis in the seeds: 缺依据)"
    )
    kinds = Q(kind=ReportKind.INSPECTION)
    default_hours = DEFAULT_INSPECTION_HOURS


class BurdenReports(_ReportSource):
    key = "burden_reports"
    label = _("Other burdens reported by monitors")
    order = 65
    method = _(
        "hours the monitor recorded for each other burden reported in the year (unplanned forms are counted "
        "by the forms plan); 1 h where none was recorded (registry default, no basis in the seeds: 缺依据)"
    )
    kinds = ~Q(kind__in=[ReportKind.INSPECTION, ReportKind.UNPLANNED_FORM])


SOURCES = [Inspections(), BurdenReports()]
