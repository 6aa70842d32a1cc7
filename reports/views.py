"""Pages: the ledger download, the task-division table with its import, the reports and subscriptions.

Every page reads through ``restrict`` (divisions/scoping.py); a foreign object is a 404.
"""

from __future__ import annotations

import tempfile
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from divisions.models import Division, Level
from spreadsheets import views as spreadsheets_views
from spreadsheets.forms import UploadForm
from spreadsheets.reading import SpreadsheetError
from villageburden.params import code_param

from . import ledger, selectors, services
from .choices import ReportKind
from .forms import LedgerForm, PlanTaskForm
from .models import READERS, LedgerJob, PlanImportJob, PlanTask, Report, Subscription

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ledger_divisions(user) -> list[Division]:
    """The user's own division and the levels below it, down to townships (at most two levels down)."""
    home = user.jurisdiction if not user.is_superuser else None
    qs = Division.objects.restrict(user).filter(level__lte=Level.TOWNSHIP)
    if home is not None:
        qs = qs.filter(level__lte=min(Level.TOWNSHIP, home.level + 2))
    else:
        qs = qs.filter(level__lte=Level.PREFECTURE)
    return list(qs.order_by("code")[:500])


@login_required
def ledger_page(request):
    """The ledger (工作台账) of a division the user may see, for a period, as an Excel workbook."""
    if not ledger.may_download(request.user):
        raise PermissionDenied
    divisions = _ledger_divisions(request.user)
    today = timezone.localdate()
    initial = {
        "division": divisions[0].code if divisions else "",
        "date_from": today.replace(month=1, day=1),
        "date_to": today,
    }
    form = LedgerForm(request.GET or None, initial=initial, divisions=divisions)
    if request.GET and form.is_valid():
        division = get_object_or_404(
            Division.objects.restrict(request.user), code=form.cleaned_data["division"]
        )
        return _ledger_download(
            request, division, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        )
    sheets = ledger.sheets_for(request.user)
    return render(request, "reports/ledger.html", {"form": form, "sheets": sheets})


def _ledger_download(request, division: Division, date_from: date, date_to: date):
    """A small ledger is written now; one past ``SYNC_ROWS`` rows goes to a worker, with its progress shown."""
    # Spooled: a township's or county's ledger stays in memory, a larger one goes to disk as it is written.
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    try:
        counts = ledger.write_ledger(
            division=division,
            date_from=date_from,
            date_to=date_to,
            sheets=ledger.sheets_for(request.user),
            out=out,
            limit=ledger.SYNC_ROWS,
        )
    except ledger.TooLarge:
        out.close()
        job = services.ledger_job_start(
            user=request.user, division=division, date_from=date_from, date_to=date_to
        )
        return redirect("reports:ledger_job", pk=job.pk)
    from audit.services import record_event

    record_event(
        request.user, "reports.ledger_export", division=division.code,
        summary=f"{division.name} {date_from}–{date_to}: {sum(counts.values())} rows",
    )  # fmt: skip
    out.seek(0)
    name = (
        f"ledger-{division.code[: len(division.prefix)]}-{date_from.isoformat()}-{date_to.isoformat()}.xlsx"
    )
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX)


def _ledger_job(request, pk: int) -> LedgerJob:
    return get_object_or_404(LedgerJob.objects.restrict(request.user).select_related("division"), pk=pk)


@login_required
def ledger_job(request, pk: int):
    """A large ledger being written by a worker: its progress (polled), then its download."""
    job = _ledger_job(request, pk)
    template = "reports/_ledger_progress.html" if request.htmx else "reports/ledger_job.html"
    return render(request, template, {"job": job})


@login_required
def ledger_job_file(request, pk: int):
    job = _ledger_job(request, pk)
    if job.status != LedgerJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX)


# --- reports ------------------------------------------------------------------------


def _county_param(request) -> Division | None:
    code = code_param(request, "county", max_length=6)
    if not code:
        return None
    return get_object_or_404(
        Division.objects.restrict(request.user), code=code.ljust(12, "0"), level=Level.COUNTY
    )


@login_required
def report_list(request):
    """The weekly reports and monthly summaries the user may read (``?county=`` one county's)."""
    county = _county_param(request)
    reports = Report.objects.restrict(request.user).select_related("division", "document")
    if county is not None:
        reports = reports.filter(division=county)
    subscribed: set[tuple[str, str]] = set(
        Subscription.objects.restrict(request.user).values_list("division_id", "kind")
    )
    return render(
        request,
        "reports/list.html",
        {
            "reports": reports[:200],
            "county": county,
            "kinds": [
                (value, label, county is not None and (county.code, value) in subscribed)
                for value, label in ReportKind.choices
            ],
            "may_subscribe": county is not None
            and (request.user.is_superuser or request.user.role in READERS),
        },
    )


def _report(request, pk: int) -> Report:
    return get_object_or_404(
        Report.objects.restrict(request.user).select_related("division", "document"), pk=pk
    )


@login_required
def report_detail(request, pk: int):
    report = _report(request, pk)
    return render(request, "reports/detail.html", {"report": report})


@login_required
def report_pdf(request, pk: int):
    from documents.render import RendererUnavailable
    from documents.services import document_pdf

    report = _report(request, pk)
    if report.document is None:
        raise Http404
    try:
        content = document_pdf(document=report.document)
    except RendererUnavailable as exc:
        # The report's own page holds its figures: the way back when no PDF can be made.
        return render(
            request,
            "documents/unavailable.html",
            {"message": str(exc), "back": report.get_absolute_url()},
            status=503,
        )
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{report.division_id[:6]}-{report.kind}-{report.period_start.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_xlsx(request, pk: int):
    report = _report(request, pk)
    if not report.xlsx:
        raise Http404
    return FileResponse(
        report.xlsx.open("rb"),
        as_attachment=True,
        filename=report.xlsx.name.rsplit("/", 1)[-1],
        content_type=XLSX,
    )


@login_required
@require_POST
def subscription_toggle(request, code: str, kind: str):
    county = get_object_or_404(
        Division.objects.restrict(request.user), code=code.ljust(12, "0"), level=Level.COUNTY
    )
    try:
        services.subscription_set(
            user=request.user, county=county, kind=kind, subscribed=request.POST.get("subscribed") == "1"
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Saved."))
    return redirect(f"/reports/?county={code[:6]}")


# --- the task-division table ------------------------------------------------------------------


def _may_keep(user, county: Division | None) -> bool:
    if county is None:
        return False
    try:
        services.require_keeper(user, county)
    except PermissionDenied:
        return False
    return True


@login_required
def plan_list(request):
    """The task-division table(s) the user may read (``?county=`` one county's), with progress."""
    county = _county_param(request)
    if (
        county is None
        and request.user.jurisdiction is not None
        and request.user.jurisdiction.level == Level.COUNTY
    ):
        county = request.user.jurisdiction
    tasks = PlanTask.objects.restrict(request.user).select_related("division")
    if county is not None:
        tasks = tasks.filter(division=county)
    progress = selectors.plan_progress(county, timezone.localdate()) if county is not None else None
    return render(
        request,
        "reports/plan.html",
        {
            "tasks": tasks.order_by("division_id", "number")[:500],
            "county": county,
            "progress": progress,
            "may_keep": _may_keep(request.user, county),
            "import_form": UploadForm(),
            "today": timezone.localdate(),
        },
    )


def _task(request, pk: int, action: str = "view") -> PlanTask:
    return get_object_or_404(
        PlanTask.objects.restrict(request.user, action).select_related("division"), pk=pk
    )


@login_required
def plan_task(request, pk: int):
    """One task; the working team edits its status, progress and deadline here."""
    task = _task(request, pk)
    may_keep = _may_keep(request.user, task.division)
    initial = {f: getattr(task, f) for f in services.PLAN_FIELDS} | {"version": task.version}
    form = PlanTaskForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_keep:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.plan_task_update(user=request.user, task_id=task.pk, data=data, version=version)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Saved."))
                return redirect("reports:plan_task", pk=task.pk)
    return render(request, "reports/plan_task.html", {"task": task, "form": form, "may_keep": may_keep})


@login_required
def plan_new(request, code: str):
    county = get_object_or_404(
        Division.objects.restrict(request.user), code=code.ljust(12, "0"), level=Level.COUNTY
    )
    if not _may_keep(request.user, county):
        raise PermissionDenied
    form = PlanTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            task = services.plan_task_create(user=request.user, county=county, data=data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("reports:plan_task", pk=task.pk)
    return render(
        request, "reports/plan_task.html", {"task": None, "form": form, "may_keep": True, "county": county}
    )


@login_required
def plan_export(request, code: str):
    import io

    from . import spreadsheets

    county = get_object_or_404(
        Division.objects.restrict(request.user), code=code.ljust(12, "0"), level=Level.COUNTY
    )
    tasks = PlanTask.objects.restrict(request.user).filter(division=county).order_by("number")
    out = io.BytesIO()
    spreadsheets.write_xlsx(tasks, out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="plan-{code[:6]}.xlsx"'
    return response


@login_required
@require_POST
def plan_import(request, code: str):
    from . import spreadsheets

    county = get_object_or_404(
        Division.objects.restrict(request.user), code=code.ljust(12, "0"), level=Level.COUNTY
    )
    if not _may_keep(request.user, county):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(f"/reports/plan/?county={code[:6]}")
    try:
        job = spreadsheets.import_job_create(
            county=county, upload=form.cleaned_data["file"], user=request.user
        )
    except spreadsheets.SpreadsheetError as exc:
        messages.error(request, str(exc))
        return redirect(f"/reports/plan/?county={code[:6]}")
    return redirect("reports:import_job", pk=job.pk)


class _PlanJobPage:
    namespace = "reports"
    job_model = PlanImportJob
    related = ("division",)


class ImportJobView(_PlanJobPage, spreadsheets_views.ImportJobView):
    nav_template = "reports/_nav.html"
    confirm_label = gettext_lazy("Confirm and write into the table")
    done_label = gettext_lazy("Open the table")

    def done_url(self, job) -> str:
        return f"{reverse('reports:plan')}?county={job.division_id[:6]}"

    def get_context_data(self, job) -> dict:
        return {**super().get_context_data(job), "active": "plan", "county": job.division}


class ImportConfirmView(_PlanJobPage, spreadsheets_views.ImportConfirmView):
    refusals = (SpreadsheetError, PermissionDenied)

    def confirm(self, job) -> None:
        from . import spreadsheets

        spreadsheets.import_job_confirm(job=job, user=self.request.user)


import_job = ImportJobView.as_view()
import_confirm = ImportConfirmView.as_view()
