"""Celery tasks of the reports: the weekly and monthly runs under beat, the plan's reminders, imports.

Registered below for Celery beat (django_celery_beat's DatabaseScheduler copies
them into its table at start); by hand: ``manage.py reports_run weekly``.
The report tasks go to the ``reports`` queue (settings CELERY_TASK_ROUTES: ``*.report*``).
"""

from __future__ import annotations

from datetime import date

from celery import shared_task
from celery.schedules import crontab

from villageburden.celery import app

WEEKLY_TASK = "reports.report_weekly"
MONTHLY_TASK = "reports.report_monthly"
REMINDERS_TASK = "reports.plan_reminders"

app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    # Monday morning: last week's report (周报告); the 1st: last month's summary (月小结).
    "reports-weekly": {"task": WEEKLY_TASK, "schedule": crontab(minute=0, hour=7, day_of_week=1)},
    "reports-monthly": {"task": MONTHLY_TASK, "schedule": crontab(minute=30, hour=7, day_of_month=1)},
    "reports-plan-reminders": {"task": REMINDERS_TASK, "schedule": crontab(minute=15, hour=8)},
}


def _run(kind: str, today: str | None) -> list[int]:
    from .services import reports_run

    return [r.pk for r in reports_run(kind=kind, today=date.fromisoformat(today) if today else None)]


@shared_task(name=WEEKLY_TASK)
def report_weekly(today: str | None = None) -> list[int]:
    return _run("weekly", today)


@shared_task(name=MONTHLY_TASK)
def report_monthly(today: str | None = None) -> list[int]:
    return _run("monthly", today)


@shared_task(name=REMINDERS_TASK, ignore_result=True)
def plan_reminders() -> int:
    from .services import plan_reminders as sweep

    return sweep()


@shared_task(name="reports.import_check")
def reports_import_check(job_id: int) -> int:
    from . import spreadsheets
    from .models import PlanImportJob

    job = PlanImportJob.objects.select_related("division", "created_by").get(pk=job_id)
    return spreadsheets.IMPORTER.check(job).error_count


@shared_task(name="reports.import_apply")
def reports_import_apply(job_id: int) -> int:
    from . import spreadsheets
    from .models import PlanImportJob

    job = PlanImportJob.objects.select_related("division", "created_by").get(pk=job_id)
    return spreadsheets.IMPORTER.apply(job).total


@shared_task(name="reports.ledger_build")
def ledger_build_task(job_id: int) -> int:
    from .services import ledger_build

    return ledger_build(job_id=job_id).rows_written
