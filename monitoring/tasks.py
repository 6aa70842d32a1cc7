"""Celery tasks of the monitoring points: the daily sweep of burden reports near or past their deadline.

Registered below for Celery beat, and run by hand with ``manage.py monitoring_reminders``.
"""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from villageburden.celery import app

SWEEP_TASK = "monitoring.tasks.monitoring_sweep_task"

app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "monitoring-sweep": {"task": SWEEP_TASK, "schedule": crontab(minute=30, hour=8)},
}


@shared_task(name=SWEEP_TASK, ignore_result=True)
def monitoring_sweep_task() -> int:
    from notifications.services import send_emails

    from .services import report_reminders

    sent = report_reminders()
    send_emails()
    return sent


@shared_task(name="monitoring.import_check")
def monitoring_import_check(job_id: int) -> int:
    from . import spreadsheets
    from .models import MonitoringImportJob

    job = MonitoringImportJob.objects.select_related("created_by", "division").get(pk=job_id)
    return spreadsheets.IMPORTER.check(job).error_count


@shared_task(name="monitoring.import_apply")
def monitoring_import_apply(job_id: int) -> int:
    from . import spreadsheets
    from .models import MonitoringImportJob

    job = MonitoringImportJob.objects.select_related("created_by", "division").get(pk=job_id)
    return spreadsheets.IMPORTER.apply(job).total
