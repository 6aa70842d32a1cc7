"""Celery tasks: they take ids and call the spreadsheet import."""

from celery import shared_task

from . import spreadsheets
from .models import ImportJob


@shared_task(name="catalogs.import_check")
def import_check(job_id: int) -> int:
    job = ImportJob.objects.select_related("catalogue", "created_by").get(pk=job_id)
    return spreadsheets.check(job).error_count


@shared_task(name="catalogs.import_apply")
def import_apply(job_id: int) -> int:
    job = ImportJob.objects.select_related("catalogue", "created_by").get(pk=job_id)
    return spreadsheets.apply(job).total
