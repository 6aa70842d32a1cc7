"""Celery tasks of the forms plan: the checked import's check and apply passes."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="formsplan.import_check")
def formsplan_import_check(job_id: int) -> int:
    from . import spreadsheets
    from .models import FormsImportJob

    job = FormsImportJob.objects.select_related("plan", "created_by__organisation").get(pk=job_id)
    return spreadsheets.IMPORTER.check(job).error_count


@shared_task(name="formsplan.import_apply")
def formsplan_import_apply(job_id: int) -> int:
    from . import spreadsheets
    from .models import FormsImportJob

    job = FormsImportJob.objects.select_related("plan", "created_by__organisation").get(pk=job_id)
    return spreadsheets.IMPORTER.apply(job).total
