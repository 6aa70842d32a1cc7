"""The pages of a versioned list's import (``spreadsheets.lists``): upload, the checked preview, confirm.

A list's view finds its list (scoped, for its keepers: otherwise 404) and calls
these; the job pages find the job through the job model's scoped manager, and
are the list's app's URLs named ``import_job`` and ``import_confirm``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from .lists import ListImport
from .reading import SpreadsheetError
from .views import upload_job


def _job_url(spec: ListImport, job) -> str:
    return reverse(f"{spec.app}:import_job", args=[job.pk])


def upload(request, *, spec: ListImport, owner, back_url: str):
    """Upload a file (its check starts at once) and list the recent imports of this list."""
    form, job = upload_job(request, lambda file: spec.job_create(owner=owner, upload=file, user=request.user))
    if job is not None:
        return redirect(_job_url(spec, job))
    jobs = spec.job_model.objects.restrict(request.user).filter(**{spec.list_field: owner})[:10]
    return render(
        request,
        "spreadsheets/list_import.html",
        {
            "owner": owner,
            "form": form,
            "jobs": [(j, _job_url(spec, j)) for j in jobs],
            "columns": spec.schema.columns,
            "back_url": back_url,
        },
    )


def job(request, *, spec: ListImport, pk: int, back_url):
    """The checked preview: counts, every error by row and column; the confirm button once it is clean."""
    found = get_object_or_404(spec.job_model.objects.restrict(request.user), pk=pk)
    owner = getattr(found, spec.list_field)
    return render(
        request,
        "spreadsheets/list_import_job.html",
        {
            "job": found,
            "owner": owner,
            "back_url": back_url(owner),
            "confirm_url": reverse(f"{spec.app}:import_confirm", args=[found.pk]),
        },
    )


def confirm(request, *, spec: ListImport, pk: int):
    found = get_object_or_404(spec.job_model.objects.restrict(request.user, "change"), pk=pk)
    try:
        spec.job_confirm(job=found, user=request.user)
    except (SpreadsheetError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    return redirect(_job_url(spec, found))
