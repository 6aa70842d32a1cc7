"""Celery tasks of the registry: the checked import's check and apply passes."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="workgroups.import_check")
def workgroups_import_check(job_id: int) -> int:
    from . import spreadsheets
    from .models import ChannelImportJob

    job = ChannelImportJob.objects.select_related("division", "created_by").get(pk=job_id)
    return spreadsheets.IMPORTER.check(job).error_count


@shared_task(name="workgroups.import_apply")
def workgroups_import_apply(job_id: int) -> int:
    from . import spreadsheets
    from .models import ChannelImportJob

    job = ChannelImportJob.objects.select_related("division", "created_by").get(pk=job_id)
    return spreadsheets.IMPORTER.apply(job).total
