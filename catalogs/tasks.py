"""Celery tasks: they take ids and call the spreadsheet import.

A task may run twice (acks_late: a killed worker's task is delivered again),
so each first looks at the job's status and does nothing if its pass already
finished. An apply that was killed half-way wrote nothing (it is one
transaction) and runs again from the checked rows, so every item is written
once and the import is audited once.
"""

from celery import shared_task

from . import spreadsheets
from .choices import ImportStatus
from .models import ImportJob

CHECK_RUNS_FROM = {ImportStatus.PENDING, ImportStatus.CHECKING}
APPLY_RUNS_FROM = {ImportStatus.PENDING, ImportStatus.APPLYING}


@shared_task(name="catalogs.import_check")
def import_check(job_id: int) -> int:
    job = ImportJob.objects.select_related("catalogue", "created_by").get(pk=job_id)
    if job.status not in CHECK_RUNS_FROM:
        return job.error_count
    return spreadsheets.check(job).error_count


@shared_task(name="catalogs.import_apply")
def import_apply(job_id: int) -> int:
    job = ImportJob.objects.select_related("catalogue", "created_by").get(pk=job_id)
    if job.status not in APPLY_RUNS_FROM:
        return job.total_rows
    return spreadsheets.apply(job).total
