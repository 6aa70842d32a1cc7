"""What the plaque registry adds to a village's burden account (BURDEN.md, issue 11).

Standing records, read as they stood on the day by their own dates: a plaque
hangs from the day it was recorded until ``removed_on``; a finding of
non-compliance is open from the day it was found until ``resolved_on``; a
working mechanism or dedicated post stands from the day it was recorded until
it was cleaned up (``cleaned_on``), and never while it awaits or was refused
the province's approval. None of them carries hours of its own: each counts a
documented default a year (module constants, shown as estimates).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from divisions.models import Division

from .choices import MechanismStatus, PlaqueStatus
from .models import Rectification, VillagePlaque, WorkingMechanism

# Defaults (estimates; no seed gives a figure): upkeep of one plaque, the work of
# putting one finding right, and one mechanism's or post's meetings, records and reports.
PLAQUE_HOURS = 1.0
FINDING_HOURS = 2.0
MECHANISM_HOURS = 24.0


class _Standing:
    key = ""
    label = None
    order = 0
    method = None
    hours_each = 0.0

    def standing(self, villages: QuerySet[Division], on: date) -> QuerySet:
        raise NotImplementedError

    def recorded(self, villages: QuerySet[Division]) -> bool:
        raise NotImplementedError

    def describe(self, row) -> tuple[str, str]:
        raise NotImplementedError

    def per_village(
        self, villages: QuerySet[Division], on: date
    ) -> dict[str, tuple[int, float, bool]] | None:
        rows = self.standing(villages, on).values("village_id").annotate(n=Count("id")).order_by()
        out = {r["village_id"]: (r["n"], r["n"] * self.hours_each, True) for r in rows}
        if out or self.recorded(villages):
            return out
        return None

    def rows(self, villages: QuerySet[Division], on: date, limit: int = 200) -> list[dict]:
        out = []
        for row in self.standing(villages, on).select_related("village").order_by("village_id", "pk")[:limit]:
            what, url = self.describe(row)
            out.append(
                {
                    "village": row.village_id,
                    "village_name": row.village.name,
                    "what": what,
                    "count": 1,
                    "hours": self.hours_each,
                    "estimated": True,
                    "basis": f"{self.hours_each:g} h / year",
                    "url": url,
                }
            )
        return out


class PlaquesHung(_Standing):
    key = "plaques_hung"
    label = _("Plaques hung")
    order = 80
    method = _("1 h a year of upkeep per plaque hanging (estimate)")
    hours_each = PLAQUE_HOURS

    def standing(self, villages, on):
        return VillagePlaque.objects.filter(village__in=villages, created__date__lte=on).filter(
            Q(removed_on__isnull=True, status=PlaqueStatus.HANGING) | Q(removed_on__gt=on)
        )

    def recorded(self, villages):
        return VillagePlaque.objects.filter(village__in=villages).exists()

    def describe(self, row):
        return row.text, reverse("signage:village", args=[row.village_id])


class PlaquesNoncompliant(_Standing):
    key = "plaques_noncompliant"
    label = _("Non-compliant plaques")
    order = 85
    method = _("2 h per open finding of non-compliance to put it right (estimate)")
    hours_each = FINDING_HOURS

    def standing(self, villages, on):
        return Rectification.objects.filter(village__in=villages, created__date__lte=on).filter(
            Q(resolved_on__isnull=True) | Q(resolved_on__gt=on)
        )

    def recorded(self, villages):
        # Compliance is checked against the plaques recorded: none recorded, nothing checked.
        return VillagePlaque.objects.filter(village__in=villages).exists()

    def describe(self, row):
        return row.message, reverse("signage:village", args=[row.village_id])


class Mechanisms(_Standing):
    key = "mechanisms"
    label = _("Working mechanisms and dedicated posts")
    order = 90
    method = _("24 h a year per mechanism or dedicated post: meetings, records, reports (estimate)")
    hours_each = MECHANISM_HOURS

    def standing(self, villages, on):
        return (
            WorkingMechanism.objects.filter(village__in=villages, created__date__lte=on)
            .exclude(status__in=[MechanismStatus.PENDING, MechanismStatus.REJECTED])
            .filter(Q(status=MechanismStatus.ACTIVE, cleaned_on__isnull=True) | Q(cleaned_on__gt=on))
        )

    def recorded(self, villages):
        return WorkingMechanism.objects.filter(village__in=villages).exists()

    def describe(self, row):
        return f"{row.name}（{row.set_up_by}）", reverse("signage:mechanism", args=[row.pk])


SOURCES = [PlaquesHung(), PlaquesNoncompliant(), Mechanisms()]
