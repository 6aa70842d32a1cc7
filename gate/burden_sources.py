"""What the access gate adds to a village's burden account (BURDEN.md, issue 11).

A village carries the tasks of approved access requests in force on the day:
the request was decided (approved) on or before it, the day falls within the
request's period, and the task had started and was not cancelled. Hours are
the Standard Cost Model: the request's "estimated hours per village" per
occurrence × occurrences a year (its frequency); a request that gives no hours
counts ``DEFAULT_HOURS`` per occurrence and the figure is marked an estimate.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Sum, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from divisions.models import Division

from .choices import Frequency, RequestStatus, TaskStatus
from .models import AccessRequest, VillageTask

# Occurrences a year per frequency; a standing task is counted as monthly work (an estimate).
OCCURRENCES = {
    Frequency.ONCE: 1,
    Frequency.WEEKLY: 52,
    Frequency.MONTHLY: 12,
    Frequency.QUARTERLY: 4,
    Frequency.YEARLY: 1,
    Frequency.STANDING: 12,
}
# A request that gives no hours: two hours per village per occurrence (an estimate; no seed gives a figure).
DEFAULT_HOURS = 2.0


def _in_force(villages: QuerySet[Division], on: date) -> QuerySet[VillageTask]:
    return VillageTask.objects.filter(
        village__in=villages,
        access_request__isnull=False,
        access_request__status__in=[RequestStatus.APPROVED, RequestStatus.EXPIRED],
        access_request__decided_at__date__lte=on,
        access_request__starts_on__lte=on,
        access_request__ends_on__gte=on,
        starts_on__lte=on,
    ).exclude(status=TaskStatus.CANCELLED)


def _occurrences():
    return Case(
        *[When(access_request__frequency=k, then=Value(float(v))) for k, v in OCCURRENCES.items()],
        default=Value(1.0),
        output_field=FloatField(),
    )


def _hours_each():
    given = F("access_request__hours_per_village")
    return (
        Case(
            When(access_request__hours_per_village=0, then=Value(DEFAULT_HOURS)),
            default=given,
            output_field=FloatField(),
        )
        * _occurrences()
    )


class ApprovedTasks:
    key = "gate_tasks"
    label = _("Approved tasks dispatched to the village")
    order = 30
    method = _(
        "the request's estimated hours per village per occurrence × occurrences a year "
        "(weekly 52, monthly 12, quarterly 4, yearly or once 1, standing counted as monthly); "
        "2 h per occurrence where a request gives none"
    )

    def per_village(
        self, villages: QuerySet[Division], on: date
    ) -> dict[str, tuple[int, float, bool]] | None:
        rows = (
            _in_force(villages, on)
            .values("village_id")
            .annotate(
                n=Count("id"),
                hours=Sum(_hours_each()),
                defaults=Count("id", filter=Q(access_request__hours_per_village=0)),
            )
            .order_by()
        )
        out = {r["village_id"]: (r["n"], float(r["hours"] or 0), r["defaults"] > 0) for r in rows}
        if out:
            return out
        # Nothing stands: "0" if the gate has records in these villages' counties, else "not recorded".
        counties = villages.values("parent__parent")
        if AccessRequest.objects.filter(division__in=counties).exists():
            return {}
        return None

    def rows(self, villages: QuerySet[Division], on: date, limit: int = 200) -> list[dict]:
        tasks = (
            _in_force(villages, on)
            .select_related("village", "access_request")
            .annotate(hours_each=_hours_each(), occurrences=_occurrences())
            .order_by("access_request__number", "village_id")[:limit]
        )
        rows = []
        for t in tasks:
            req = t.access_request
            per = float(req.hours_per_village) or DEFAULT_HOURS
            rows.append(
                {
                    "village": t.village_id,
                    "village_name": t.village.name,
                    "what": f"{req.number} {req.title}",
                    "count": 1,
                    "hours": round(t.hours_each, 1),
                    "estimated": not req.hours_per_village,
                    "basis": f"{per:g} h × {t.occurrences:g} / year",
                    "url": reverse("gate:task_detail", args=[t.pk]),
                }
            )
        return rows


SOURCES = [ApprovedTasks()]


# --- figures the county dashboard shows beside the account (read by burden.summaries) ---

# Age of a pending request: calendar days since it was submitted.
AGE_BUCKETS = ((0, 5, "0–5"), (6, 10, "6–10"), (11, 20, "11–20"), (21, None, "> 20"))


def task_figures(villages: QuerySet[Division], on: date) -> dict[str, dict[str, int]]:
    """Per village: its tasks by status and how many are overdue on ``on`` (one grouped query)."""
    open_ = [TaskStatus.PENDING, TaskStatus.IN_PROGRESS]
    rows = (
        VillageTask.objects.filter(village__in=villages, starts_on__lte=on)
        .values("village_id")
        .annotate(
            pending=Count("id", filter=Q(status=TaskStatus.PENDING)),
            in_progress=Count("id", filter=Q(status=TaskStatus.IN_PROGRESS)),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("id", filter=Q(status__in=open_, due_on__lt=on)),
        )
        .order_by()
    )
    return {r.pop("village_id"): r for r in rows}


def pending_approvals(county: Division, on: date) -> dict[str, dict[str, int]]:
    """Requests awaiting review or decision in ``county``: by age (days since submission) and by department."""
    from .choices import OPEN_STATUSES

    by_age: dict[str, int] = {label: 0 for _lo, _hi, label in AGE_BUCKETS}
    by_dept: dict[str, int] = {}
    # Requests still open now that had been submitted by ``on`` (a past date reads today's status).
    rows = AccessRequest.objects.filter(
        division=county, status__in=OPEN_STATUSES, submitted_at__date__lte=on
    ).values_list("submitted_at", "organisation__name")
    for submitted, dept in rows:
        age = max(0, (on - timezone.localdate(submitted)).days) if submitted else 0
        label = next(lb for lo, hi, lb in AGE_BUCKETS if age >= lo and (hi is None or age <= hi))
        by_age[label] += 1
        by_dept[dept] = by_dept.get(dept, 0) + 1
    return {"age": by_age, "department": by_dept}


def pushers(villages: QuerySet[Division], on: date) -> dict[str, int]:
    """Departments by the village tasks of theirs in force on ``on`` (who pushes most work down)."""
    rows = _in_force(villages, on).values("organisation__name").annotate(n=Count("id")).order_by("-n")[:10]
    return {r["organisation__name"]: r["n"] for r in rows}
