"""Celery tasks of the plaque registry: the daily sweep (registered with beat below) calls the service."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from villageburden.celery import app

SWEEP_TASK = "signage.tasks.signage_sweep_task"

app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "signage-sweep": {"task": SWEEP_TASK, "schedule": crontab(hour=1, minute=15)},
}


@shared_task(name=SWEEP_TASK, ignore_result=True)
def signage_sweep_task() -> dict[str, int]:
    from .services import signage_sweep

    return signage_sweep()


@shared_task(name="signage.import_check")
def signage_import_check(job_id: int) -> int:
    from . import spreadsheets
    from .models import PlaqueImportJob

    job = PlaqueImportJob.objects.select_related("created_by").get(pk=job_id)
    return spreadsheets.IMPORTER.check(job).error_count


@shared_task(name="signage.import_apply")
def signage_import_apply(job_id: int) -> int:
    from . import spreadsheets
    from .models import PlaqueImportJob

    job = PlaqueImportJob.objects.select_related("created_by").get(pk=job_id)
    return spreadsheets.IMPORTER.apply(job).total
