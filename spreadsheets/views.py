"""The pages of every app's checked import: the upload, the job with its check and progress, then confirm.

An app subclasses the two views with its job model, its URL namespace and its
``confirm`` (the app's ``import_job_confirm``), and names them in its urls::

    class JobView(spreadsheets.views.ImportJobView):
        namespace = "formsplan"
        job_model = FormsImportJob
        nav_template = "formsplan/_nav.html"

One template set serves them all (``spreadsheets/import_job.html`` and the
progress it polls, ``spreadsheets/_import_progress.html``); the job is found
through ``job_model.objects.restrict(user, action)``, so another's job is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from .forms import UploadForm
from .models import ImportJobBase
from .reading import SpreadsheetError


def upload_job(
    request: HttpRequest,
    create: Callable[[Any], Any],
    *,
    refusals: tuple[type[Exception], ...] = (SpreadsheetError,),
) -> tuple[UploadForm, Any]:
    """An upload page's form and, after a valid POST, the job ``create(file)`` made (else None).

    A refusal (``refusals``: a file that cannot be read, a user who may not
    import) becomes the form's error on its file, in the user's language.
    """
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            return form, create(form.cleaned_data["file"])
        except refusals as exc:
            form.add_error("file", " ".join(getattr(exc, "messages", None) or [str(exc)]))
    return form, None


class ImportJobMixin(LoginRequiredMixin):
    """Which jobs: the app's job model, scoped; its URL namespace (``<namespace>:import_job``)."""

    namespace: ClassVar[str] = ""
    job_model: ClassVar[type[ImportJobBase]]
    related: ClassVar[tuple[str, ...]] = ()  # select_related for the page
    own_only: ClassVar[bool] = False  # only the jobs the user uploaded
    request: HttpRequest

    def get_queryset(self, action: str = "view") -> models.QuerySet:
        qs = self.job_model.objects.restrict(self.request.user, action)  # type: ignore[attr-defined]
        if self.own_only:
            qs = qs.filter(created_by=self.request.user)
        return qs.select_related(*self.related) if self.related else qs

    def get_job(self, pk: int, action: str = "view") -> Any:
        return get_object_or_404(self.get_queryset(action), pk=pk)


class ImportJobView(ImportJobMixin, View):
    """One job: status, counts, every error by row and column, progress (htmx polls the partial), confirm."""

    template_name = "spreadsheets/import_job.html"
    progress_template = "spreadsheets/_import_progress.html"
    nav_template = ""  # the app's navigation, included above the job
    confirm_label = ""  # the button that writes the checked rows
    counts_changed = True  # whether the import can change existing rows (else: new and unchanged only)
    done_label = ""  # the link shown once written (to done_url)
    back_label = ""  # the link back (to back_url); "Back" if empty

    def back_url(self, job) -> str:
        return ""

    def breadcrumbs(self, job) -> list[tuple[str, str]]:
        """(url, label) pairs above the job's name, outermost first."""
        return []

    def done_url(self, job) -> str:
        return ""

    def get_context_data(self, job) -> dict[str, Any]:
        return {
            "job": job,
            "nav_template": self.nav_template,
            "poll_url": reverse(f"{self.namespace}:import_job", args=[job.pk]),
            "confirm_url": reverse(f"{self.namespace}:import_confirm", args=[job.pk]),
            "confirm_label": self.confirm_label,
            "counts_changed": self.counts_changed,
            "back_url": self.back_url(job),
            "back_label": self.back_label,
            "breadcrumbs": self.breadcrumbs(job),
            "done_url": self.done_url(job),
            "done_label": self.done_label,
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_job(pk)
        template = self.progress_template if getattr(request, "htmx", False) else self.template_name
        return render(request, template, self.get_context_data(job))


class ImportConfirmView(ImportJobMixin, View):
    """POST: write the checked rows (the app's ``confirm``); a refusal is a message on the job's page."""

    http_method_names = ["post"]
    refusals: ClassVar[tuple[type[Exception], ...]] = (SpreadsheetError,)
    success_message = ""

    def confirm(self, job) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_job(pk, "change")
        try:
            self.confirm(job)
        except self.refusals as exc:
            for message in getattr(exc, "messages", None) or [str(exc)]:
                messages.error(request, message)
        else:
            if self.success_message:
                messages.success(request, self.success_message)
        return redirect(f"{self.namespace}:import_job", pk=job.pk)
