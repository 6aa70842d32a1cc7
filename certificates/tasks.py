"""Celery tasks of the certificate register: the daily sweep of overdue certificates.

Registered below for Celery beat, and run by hand with ``manage.py certificates_reminders``.
"""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from villageburden.celery import app

SWEEP_TASK = "certificates.tasks.certificates_sweep_task"

app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "certificates-sweep": {"task": SWEEP_TASK, "schedule": crontab(minute=0, hour=8)},
}


@shared_task(name=SWEEP_TASK, ignore_result=True)
def certificates_sweep_task() -> int:
    from notifications.services import send_emails

    from .services import request_reminders

    sent = request_reminders()
    send_emails()
    return sent


@shared_task(name="certificates.import_check")
def certificates_import_check(job_id: int) -> int:
    from . import spreadsheets
    from .models import CertificateImportJob

    job = CertificateImportJob.objects.select_related("certificate_list", "created_by").get(pk=job_id)
    return spreadsheets.IMPORTER.check(job).error_count


@shared_task(name="certificates.import_apply")
def certificates_import_apply(job_id: int) -> int:
    from . import spreadsheets
    from .models import CertificateImportJob

    job = CertificateImportJob.objects.select_related("certificate_list", "created_by").get(pk=job_id)
    return spreadsheets.IMPORTER.apply(job).total
