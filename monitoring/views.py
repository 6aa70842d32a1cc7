"""Pages: a monitor's points and reports (phone-first); the organisation department's handling; the ranking.

Every queryset goes through ``restrict(user, action)`` (via the selectors);
every change is a service call, whose ValidationError becomes the form's field
errors (nothing is written). The ranking and the public notices are pages an
institution can reach: they name institutions, never reporters.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from divisions.models import Division, Level
from organisations.choices import Role
from spreadsheets import views as spreadsheets_views
from spreadsheets.reading import SpreadsheetError
from villageburden.params import date_param, posted_id

from . import selectors, services
from .choices import ReportKind, ReportStatus
from .forms import INSPECTION_FIELDS, AssignForm, CloseForm, EditForm, PointForm, ReportForm, WithdrawForm
from .models import Evidence, MonitorAssignment, MonitoringImportJob, MonitoringPoint, is_handler


def _apply_errors(form, exc: ValidationError) -> dict[str, list[str]]:
    """Field errors onto the form; upload errors (no form field) returned for the page to show."""
    uploads: dict[str, list[str]] = {}
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            if field in ("photos", "files"):
                uploads.setdefault(field, []).extend(errs)
                continue
            for e in errs:
                form.add_error(field if field in form.fields else None, e)
    else:
        for e in exc.messages:
            form.add_error(None, e)
    return uploads


def _handler_or_403(user) -> None:
    if not (user.is_superuser or is_handler(user)):
        raise PermissionDenied


@login_required
def index(request):
    """A monitor: their points and their reports. The organisation department: the reports waiting."""
    user = request.user
    return render(
        request,
        "monitoring/index.html",
        {
            "points": selectors.points_of(user),
            "reports": selectors.report_list(user)[:30],
            "waiting": selectors.reports_waiting(user)[:50],
            "is_monitor": user.role == Role.MONITOR,
            "is_handler": user.is_superuser or is_handler(user),
            "county": _county_code(user),
        },
    )


def _county_code(user) -> str:
    org = getattr(user, "organisation", None)
    return org.division_id[:6] if org is not None and org.division.level >= Level.COUNTY else ""


@login_required
def report_new(request):
    user = request.user
    if user.role != Role.MONITOR and not user.is_superuser:
        raise PermissionDenied
    villages = selectors.points_of(user)
    upload_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = ReportForm(request.POST, villages=villages)
        # An out-of-scope village is not a choice: say so in words rather than "select a valid choice".
        if request.POST.get("village") and not villages.filter(pk=request.POST["village"]).exists():
            form.is_valid()
            form.errors.pop("village", None)
            form.add_error("village", _("This village is not one of your monitoring points."))
        elif form.is_valid():
            data = dict(form.cleaned_data)
            village = data.pop("village")
            institution = data.pop("institution_name")
            try:
                report = services.report_file(
                    user=user,
                    village=village,
                    data=data,
                    institution_name=institution,
                    photos=request.FILES.getlist("photos"),
                    files=request.FILES.getlist("files"),
                )
            except ValidationError as exc:
                upload_errors = _apply_errors(form, exc)
            else:
                messages.success(
                    request, _("Report #%(n)s sent to the organisation department.") % {"n": report.pk}
                )
                return redirect("monitoring:report", pk=report.pk)
    else:
        form = ReportForm(villages=villages)
    return render(
        request,
        "monitoring/report_form.html",
        {
            "form": form,
            "upload_errors": upload_errors,
            "main_fields": [f for f in form if f.name not in (*INSPECTION_FIELDS, "form_name", "anonymous")],
            "inspection_fields": [form[f] for f in INSPECTION_FIELDS],
            "no_points": not villages.exists(),
        },
    )


@login_required
def reports(request):
    qs = selectors.report_list(request.user)
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in ReportKind.values:
        qs = qs.filter(kind=kind)
    return render(
        request,
        "monitoring/reports.html",
        {
            "rows": qs[:200],
            "statuses": ReportStatus.choices,
            "kinds": ReportKind.choices,
            "status": status,
            "kind": kind,
        },
    )


@login_required
def report_detail(request, pk: int):
    report = get_object_or_404(selectors.report_list(request.user), pk=pk)
    user = request.user
    may_handle = user.is_superuser or (is_handler(user) and user.organisation.division_id == report.county_id)
    can_close = report.status in (ReportStatus.OPEN, ReportStatus.TAKEN_UP) and may_handle
    form = CloseForm()
    if request.method == "POST" and request.POST.get("action") == "take_up":
        if not may_handle:
            raise PermissionDenied
        try:
            services.report_take_up(user=user, report_id=report.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Report taken up: its reporter can no longer change it."))
        return redirect("monitoring:report", pk=report.pk)
    if request.method == "POST":
        if not can_close:
            raise PermissionDenied
        form = CloseForm(request.POST)
        if form.is_valid():
            try:
                services.report_close(user=user, report_id=report.pk, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Report closed."))
                return redirect("monitoring:report", pk=report.pk)
    decision = getattr(report, "decision", None) if report.status == ReportStatus.CLOSED else None
    return render(
        request,
        "monitoring/report_detail.html",
        {
            "report": report,
            "decision": decision,
            "evidence": report.evidence.all(),
            "show_reporter": report.reporter_shown_to(user),
            "assessment_listing": selectors.assessment_listing(report),
            "can_close": can_close,
            "can_take_up": may_handle and report.status == ReportStatus.OPEN,
            "can_change": report.editable and user.pk == report.reporter_id,
            "revisions": selectors.revisions_of(user, report),
            "form": form,
        },
    )


def _own_report(request, pk: int):
    """The report, for its reporter (a foreign one is a 404; another reader's is refused)."""
    report = get_object_or_404(selectors.report_list(request.user).select_related("reporter"), pk=pk)
    if request.user.pk != report.reporter_id:
        raise PermissionDenied
    return report


@login_required
def report_edit(request, pk: int):
    """The reporter corrects a report the organisation department has not taken up yet (phone-first)."""
    report = _own_report(request, pk)
    upload_errors: dict[str, list[str]] = {}
    refused = services.change_refusal(report)
    if request.method == "POST" and not refused:
        form = EditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            institution = data.pop("institution_name")
            try:
                services.report_edit(
                    user=request.user, report_id=report.pk, data=data, institution_name=institution
                )
            except ValidationError as exc:
                upload_errors = _apply_errors(form, exc)
            else:
                messages.success(
                    request, _("Report corrected; the organisation department can see what changed.")
                )
                return redirect("monitoring:report", pk=report.pk)
    else:
        initial = {f: getattr(report, f) for f in ("kind", "description", "seen_on", "form_name", "visitors")}
        initial.update(
            visitor_count=report.visitor_count,
            asked=report.asked,
            hours=report.hours,
            anonymous=report.anonymous,
            institution_name=report.institution.name,
        )
        form = EditForm(initial=initial)
    return render(
        request,
        "monitoring/report_edit.html",
        {
            "report": report,
            "form": form,
            "refused": refused,
            "upload_errors": upload_errors,
            "main_fields": [f for f in form if f.name not in (*INSPECTION_FIELDS, "form_name", "anonymous")],
            "inspection_fields": [form[f] for f in INSPECTION_FIELDS],
        },
        status=400 if form.errors else 200,
    )


@login_required
def report_withdraw(request, pk: int):
    """The reporter withdraws a report not yet taken up, with a reason."""
    report = _own_report(request, pk)
    refused = services.change_refusal(report)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and not refused and form.is_valid():
        try:
            services.report_withdraw(
                user=request.user, report_id=report.pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Report withdrawn; the organisation department has been told."))
            return redirect("monitoring:report", pk=report.pk)
    return render(
        request,
        "monitoring/report_withdraw.html",
        {"report": report, "form": form, "refused": refused},
        status=400 if form.errors else 200,
    )


@login_required
def evidence(request, pk: int):
    """A report's photo or file, for those who may read the report (uploads are never served from MEDIA_URL)."""
    ev = get_object_or_404(Evidence.objects.restrict(request.user), pk=pk)
    response = FileResponse(
        ev.file.open("rb"), as_attachment=ev.kind != "photo", filename=ev.name, content_type=ev.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def points(request):
    """Monitoring points of the county and their monitors; the organisation department designates them."""
    user = request.user
    handler = user.is_superuser or is_handler(user)
    county = user.organisation.division if user.organisation else None
    villages = (
        Division.objects.restrict(user).filter(level=Level.VILLAGE).order_by("code")
        if handler
        else Division.objects.none()
    )
    monitors = selectors.monitors_of(county.pk) if handler and county else None
    form = PointForm(villages=villages)
    if request.method == "POST":
        _handler_or_403(user)
        form = PointForm(request.POST, villages=villages)
        if form.is_valid():
            try:
                services.point_designate(user=user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Monitoring point designated."))
                return redirect("monitoring:points")
    rows = list(selectors.point_list(user))
    assignments = (
        MonitorAssignment.objects.restrict(user)
        .filter(active=True, point__in=[p.pk for p in rows])
        .select_related("monitor")
    )
    by_point: dict[int, list] = {}
    for a in assignments:
        by_point.setdefault(a.point_id, []).append(a)
    contacts = selectors.contacts_by_monitor(user, [a.monitor_id for a in assignments])
    for p in rows:
        p.active_assignments = by_point.get(p.pk, [])
        for a in p.active_assignments:
            contact = contacts.get(a.monitor_id)
            a.contact_name = contact.name if contact else ""
            a.contact_phone = contact.phone_shown_to(user) if contact else ""
    return render(
        request,
        "monitoring/points.html",
        {
            "rows": rows,
            "form": form,
            "handler": handler,
            "can_import": handler and _county_code(user) != "",
            "assign_form": AssignForm(monitors=monitors) if monitors is not None else None,
        },
    )


@login_required
@require_POST
def point_assign(request, pk: int):
    _handler_or_403(request.user)
    point = get_object_or_404(MonitoringPoint.objects.restrict(request.user), pk=pk)
    county = point.county_id
    form = AssignForm(request.POST, monitors=selectors.monitors_of(county))
    if form.is_valid():
        try:
            services.monitor_assign(
                user=request.user, point_id=point.pk, monitor=form.cleaned_data["monitor"]
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Monitor designated."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("monitoring:points")


@login_required
@require_POST
def assignment_end(request, pk: int):
    _handler_or_403(request.user)
    assignment = get_object_or_404(MonitorAssignment.objects.restrict(request.user), pk=pk)
    services.monitor_unassign(user=request.user, assignment_id=assignment.pk)
    messages.success(request, _("Monitor released from the point."))
    return redirect("monitoring:points")


@login_required
def points_export(request):
    """The points and monitors the user may read, as CSV or .xlsx (``?format=xlsx``) in the import's columns.

    Mobile numbers are masked; the file re-imports unchanged.
    """
    import io

    from django.http import HttpResponse

    from villageburden.exports import csv_response

    from . import spreadsheets

    rows = spreadsheets.export_rows(request.user)
    if request.GET.get("format") == "xlsx":
        data = io.BytesIO()
        spreadsheets.write_xlsx(rows, data)
        response = HttpResponse(
            data.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="monitoring-points.xlsx"'
        return response
    return csv_response("monitoring-points.csv", spreadsheets.SCHEMA.header_row(), rows)


@login_required
def points_import(request):
    """The organisation department: upload a spreadsheet of points and monitors; checked first, written on confirm."""
    from .spreadsheets import COLUMNS, SpreadsheetError, import_job_create

    can_import = request.user.is_superuser or is_handler(request.user)
    form, job = spreadsheets_views.upload_job(
        request,
        lambda file: import_job_create(upload=file, user=request.user),
        refusals=(SpreadsheetError, PermissionDenied),
    )
    if job is not None:
        return redirect("monitoring:import_job", pk=job.pk)
    jobs = MonitoringImportJob.objects.restrict(request.user)[:10]
    return render(
        request,
        "monitoring/import.html",
        {"form": form if can_import or form.errors else None, "jobs": jobs, "columns": COLUMNS},
        status=400 if form.errors else 200,
    )


class _JobPage:
    namespace = "monitoring"
    job_model = MonitoringImportJob


class ImportJobView(_JobPage, spreadsheets_views.ImportJobView):
    nav_template = "monitoring/_nav.html"
    confirm_label = gettext_lazy("Confirm and designate these points and monitors")
    done_label = gettext_lazy("Monitoring points")
    back_label = gettext_lazy("Import monitoring points and monitors")

    def back_url(self, job) -> str:
        return reverse("monitoring:import")

    def done_url(self, job) -> str:
        return reverse("monitoring:points")


class ImportConfirmView(_JobPage, spreadsheets_views.ImportConfirmView):
    refusals = (SpreadsheetError, PermissionDenied)
    success_message = gettext_lazy("Confirmed: the rows are being written.")

    def confirm(self, job) -> None:
        from .spreadsheets import import_job_confirm

        import_job_confirm(job=job, user=self.request.user)


import_job = ImportJobView.as_view()
import_confirm = ImportConfirmView.as_view()


def _period(request) -> tuple[date, date]:
    today = timezone.localdate()
    start = date_param(request, "period_from") or today - timedelta(days=365)
    end = date_param(request, "period_to") or today
    return start, end


def ranking(request, code: str):
    """Public: the county's institutions by substantiated burden reports and refused certificate demands.

    Institutions may read it: it counts what they did, never who reported it.
    """
    from certificates.selectors import refusals_by_institution

    county = get_object_or_404(Division, pk=code.ljust(12, "0")[:12], level=Level.COUNTY)
    period_from, period_to = _period(request)
    rows: dict[int, dict] = {}
    for inst in selectors.substantiated_by_institution(county, period_from, period_to):
        rows[inst.pk] = {"institution": inst, "substantiated": inst.substantiated, "refusals": 0}
    for inst in refusals_by_institution(county, period_from, period_to):
        row = rows.setdefault(inst.pk, {"institution": inst, "substantiated": 0, "refusals": 0})
        row["refusals"] = inst.refusals
    ranked = sorted(rows.values(), key=lambda r: (-r["substantiated"], -r["refusals"], r["institution"].name))
    user = request.user
    can_notice = user.is_authenticated and (
        user.is_superuser or (is_handler(user) and user.organisation.division_id == county.pk)
    )
    if request.method == "POST":
        if not can_notice:
            raise PermissionDenied
        from institutions.selectors import institutions_of

        institution = get_object_or_404(institutions_of(county), pk=posted_id(request, "institution"))
        try:
            notice = services.institution_notice(
                user=user, institution=institution, period_from=period_from, period_to=period_to
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("%(number)s published.") % {"number": notice.document.number})
        return redirect(f"{request.path}?period_from={period_from}&period_to={period_to}")
    return render(
        request,
        "monitoring/ranking.html",
        {
            "county": county,
            "rows": ranked,
            "period_from": period_from,
            "period_to": period_to,
            "can_notice": can_notice,
            "threshold": services.NOTICE_THRESHOLD,
        },
    )
