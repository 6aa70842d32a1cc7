"""What the forms plan adds to a village's burden account (BURDEN.md): planned forms and unplanned demands.

Hours follow the Standard Cost Model: minutes per filling × fillings a year,
per village the form is assigned to. A form that gives no minutes is counted
at ``DEFAULT_MINUTES`` and the figure is marked estimated.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from divisions.models import Division

from .models import FormAssignment, UnplannedDemand

# Minutes per filling where a form gives none: the product's own default (no
# seed gives a figure), shown under the account's figure.
DEFAULT_MINUTES = 15
# An unplanned demand is one filling of one form: counted at the same default.
UNPLANNED_MINUTES = DEFAULT_MINUTES


def _end_of(on: date) -> datetime:
    return timezone.make_aware(datetime.combine(on, time.max))


def _assignments(villages: QuerySet[Division], on: date) -> QuerySet[FormAssignment]:
    # In force on ``on``: assigned by then, from a plan of that year, the form not merged since.
    return FormAssignment.objects.filter(
        village__in=villages, created__lte=_end_of(on), form__plan__year=on.year, form__status="active"
    )


class FormsInPlan:
    key = "forms_planned"
    label = _("Forms in the approved plan")
    order = 40
    method = _("minutes per filling × fillings a year, per village assigned; 15 min where a form gives none")

    def per_village(
        self, villages: QuerySet[Division], on: date
    ) -> dict[str, tuple[int, float, bool]] | None:
        qs = _assignments(villages, on)
        rows = qs.values("village_id").annotate(
            n=Count("id"),
            minutes=Sum(Coalesce(F("form__minutes"), DEFAULT_MINUTES) * F("frequency")),
            missing=Count("id", filter=Q(form__minutes__isnull=True)),
        )
        out = {
            r["village_id"]: (r["n"], round(r["minutes"] / 60, 2), r["missing"] > 0) for r in rows if r["n"]
        }
        if out:
            return out
        return {} if FormAssignment.objects.filter(village__in=villages).exists() else None

    def rows(self, villages: QuerySet[Division], on: date, limit: int = 200) -> list[dict]:
        qs = (
            _assignments(villages, on)
            .select_related("form", "village")
            .order_by("village_id", "form__name")[:limit]
        )
        out = []
        for a in qs:
            minutes = a.form.minutes or DEFAULT_MINUTES
            out.append(
                {
                    "village": a.village_id,
                    "village_name": a.village.name,
                    "what": a.form.name,
                    "count": 1,
                    "hours": round(minutes * a.frequency / 60, 2),
                    "estimated": a.form.minutes is None,
                    "basis": f"{minutes} min × {a.frequency} / year",
                    "url": reverse("formsplan:form", args=[a.form_id]),
                }
            )
        return out


def _demands(villages: QuerySet[Division], on: date) -> QuerySet[UnplannedDemand]:
    # The demands of the year up to ``on``: a year's account, like the plan's.
    return UnplannedDemand.objects.standing().filter(
        village__in=villages, demanded_on__lte=on, demanded_on__gte=date(on.year, 1, 1)
    )


class UnplannedForms:
    key = "forms_unplanned"
    label = _("Unplanned form demands")
    order = 50
    method = _("each demand one filling of 15 min (the forms plan's default), in the year to the day")

    def per_village(
        self, villages: QuerySet[Division], on: date
    ) -> dict[str, tuple[int, float, bool]] | None:
        rows = _demands(villages, on).values("village_id").annotate(n=Count("id"))
        out = {r["village_id"]: (r["n"], round(r["n"] * UNPLANNED_MINUTES / 60, 2), True) for r in rows}
        if out:
            return out
        return {} if UnplannedDemand.objects.filter(village__in=villages).exists() else None

    def rows(self, villages: QuerySet[Division], on: date, limit: int = 200) -> list[dict]:
        qs = _demands(villages, on).select_related("village", "institution").order_by("-demanded_on")[:limit]
        return [
            {
                "village": d.village_id,
                "village_name": d.village.name,
                "what": f"{d.form_name}（{d.institution.name}）",
                "count": 1,
                "hours": round(UNPLANNED_MINUTES / 60, 2),
                "estimated": True,
                "basis": f"{UNPLANNED_MINUTES} min × 1",
                "url": reverse("formsplan:unplanned"),
            }
            for d in qs
        ]


SOURCES = [FormsInPlan(), UnplannedForms()]
