"""Celery tasks of the versioned lists' imports (``spreadsheets.lists``), by the job model's label."""

from __future__ import annotations

from celery import shared_task


def _job(label: str, job_id: int):
    from importlib import import_module

    from django.apps import apps

    from .lists import REGISTRY

    model = apps.get_model(label)
    import_module(f"{model._meta.app_label}.spreadsheets")  # where the list declares its import
    spec = REGISTRY[label]
    return spec, model.objects.select_related(spec.list_field, "created_by").get(pk=job_id)


@shared_task(name="spreadsheets.list_import_check")
def list_import_check(label: str, job_id: int) -> int:
    spec, job = _job(label, job_id)
    return spec.importer.check(job).error_count


@shared_task(name="spreadsheets.list_import_apply")
def list_import_apply(label: str, job_id: int) -> int:
    spec, job = _job(label, job_id)
    return spec.importer.apply(job).total
