"""Reading the work plan and the figures of a period (the periodic reports' content)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, QuerySet
from django.template.loader import render_to_string

from divisions.models import Division, Level

from . import ledger
from .choices import OPEN_PLAN_STATUSES, PlanStatus, ReportKind
from .models import PlanTask, Report, Subscription


def plan_of(county: Division) -> QuerySet[PlanTask]:
    return PlanTask.objects.filter(division=county).order_by("number")


def plan_overdue(county: Division, on: date) -> QuerySet[PlanTask]:
    """Open tasks whose deadline has passed on ``on``."""
    return plan_of(county).filter(status__in=OPEN_PLAN_STATUSES, deadline__lt=on)


def plan_progress(county: Division, on: date) -> dict[str, int]:
    """Tasks of the plan by status, and how many are overdue on ``on``."""
    counts = {s.value: 0 for s in PlanStatus}
    for row in plan_of(county).values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    counts["overdue"] = plan_overdue(county, on).count()
    counts["total"] = sum(counts[s.value] for s in PlanStatus)
    return counts


def plan_updated_between(county: Division, date_from: date, date_to: date) -> QuerySet[PlanTask]:
    return plan_of(county).filter(updated__date__gte=date_from, updated__date__lte=date_to)


def period_figures(county: Division, date_from: date, date_to: date) -> list[dict]:
    """Every app's figures for the period (``<app>/ledger_sheets.py`` FIGURES), then the plan's progress."""
    rows = [
        {"key": f.key, "label": str(f.label), "value": f.count(county, date_from, date_to)}
        for f in ledger.all_figures()
    ]
    progress = plan_progress(county, date_to)
    rows += [
        {"key": "plan_done", "label": "任务分工：已完成", "value": progress[PlanStatus.DONE]},
        {"key": "plan_in_progress", "label": "任务分工：推进中", "value": progress[PlanStatus.IN_PROGRESS]},
        {"key": "plan_not_started", "label": "任务分工：未启动", "value": progress[PlanStatus.NOT_STARTED]},
        {"key": "plan_ongoing", "label": "任务分工：长期坚持", "value": progress[PlanStatus.ONGOING]},
        {"key": "plan_overdue", "label": "任务分工：逾期未完成", "value": progress["overdue"]},
    ]
    return rows


def burden_section(county: Division, on: date, baseline: date | None = None) -> str:
    """The burden account of the county in a periodic report, rendered by the burden app's own
    template (``burden/report_section.html``) from ``burden.selectors.account``."""
    from burden.selectors import account

    return render_to_string(
        "burden/report_section.html",
        {"account": account(county, on, baseline=baseline), "county": county, "on": on},
    )


def period_for(kind: str, today: date) -> tuple[date, date]:
    """The last complete period before ``today``: Monday–Sunday of last week, or last calendar month."""
    if kind == ReportKind.WEEKLY:
        end = today - timedelta(days=today.weekday() + 1)
        return end - timedelta(days=6), end
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def counties_reported() -> QuerySet[Division]:
    """Counties that keep a work plan or have a subscriber: the ones the scheduled reports are made for."""
    codes = set(PlanTask.objects.values_list("division_id", flat=True).distinct())
    codes |= set(Subscription.objects.values_list("division_id", flat=True).distinct())
    return Division.objects.filter(code__in=codes, level=Level.COUNTY).order_by("code")


def subscribers(county: Division, kind: str):
    from organisations.models import User

    return User.objects.filter(
        pk__in=Subscription.objects.filter(division=county, kind=kind).values("user_id"), is_active=True
    )


def reports_of(county: Division) -> QuerySet[Report]:
    return Report.objects.filter(division=county).select_related("document")
