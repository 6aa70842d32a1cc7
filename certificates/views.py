"""Pages of the certificate lists, the public check, the village register and unreasonable demands.

Views collect input and show results; every rule is in services.py.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from divisions.models import Division, Level
from divisions.selectors import division_for_code
from spreadsheets import views as spreadsheets_views
from villageburden.exports import csv_response
from villageburden.forms import form_add_errors
from villageburden.params import posted_id

from . import selectors, services
from .choices import ListKind, RequestStatus
from .forms import (
    CheckForm,
    CommitForm,
    DemandActionForm,
    IssueForm,
    PeriodForm,
    ReferForm,
    RefuseForm,
    RequestForm,
    VerifyForm,
    villages_for,
)
from .models import (
    CIVIL_AFFAIRS_ROLES,
    REGISTRARS,
    CertificateImportJob,
    CertificateList,
    CertificateRequest,
    DemandAction,
)

DEMO_COUNTY = "150223000000"


# --- public -------------------------------------------------------------------------------------


def index(request):
    """Public: which counties keep certificate lists, and the check."""
    lists = CertificateList.objects.restrict(request.user).select_related("division")
    return render(
        request,
        "certificates/index.html",
        {"lists": lists, "form": CheckForm(initial={"division": DEMO_COUNTY[:6]})},
    )


def check(request):
    """Public: may a village organisation here be asked for this certificate?"""
    form = CheckForm(request.GET or None, initial={"division": DEMO_COUNTY[:6]})
    answer = None
    if form.is_valid():
        division = division_for_code(form.cleaned_data["division"] or DEMO_COUNTY)
        if division is None:
            form.add_error("division", _("No division has this code."))
        else:
            answer = selectors.check_answer(division, form.cleaned_data["q"])
    return render(request, "certificates/check.html", {"form": form, "answer": answer})


def lists(request, code: str):
    """Public: a division's lists as they stood on a day (default today), with their versions."""
    division = division_for_code(code)
    if division is None:
        raise Http404
    on = timezone.localdate()
    if request.GET.get("on"):
        try:
            on = date.fromisoformat(request.GET["on"])
        except ValueError:
            messages.error(request, _("Give the date as YYYY-MM-DD."))
    certificate_list = selectors.lists_for(division)
    version = selectors.version_in_force(division, on)
    items = selectors.items_in_force(division, on) if version else []
    versions = (
        certificate_list.versions.restrict(request.user).order_by("-number") if certificate_list else []
    )
    return render(
        request,
        "certificates/lists.html",
        {
            "division": division,
            # Public notices are a county's (institutions/notices): no link from a province's lists.
            "has_notices": division.level == Level.COUNTY,
            "certificate_list": certificate_list,
            "version": version,
            "on": on,
            "negative": [i for i in items if i.kind == ListKind.NEGATIVE],
            "retained": [i for i in items if i.kind == ListKind.RETAINED],
            "versions": versions,
        },
    )


def notices(request, code: str):
    """The notices moved to the institutions' register: one public page for every notice about them."""
    return redirect("institutions:notices", code=code)


# --- the register -------------------------------------------------------------------------------


@login_required
def register(request):
    qs = selectors.register_page_queryset(request.user)
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("export") == "csv":
        # Masked ID numbers only: an export never carries a full one.
        return csv_response(
            "certificate-register.csv",
            [
                _("created"),
                _("village"),
                _("applicant"),
                _("ID number"),
                _("certificate"),
                _("purpose"),
                _("demanded by"),
                _("status"),
                _("document"),
            ],
            (
                (
                    r.created.date().isoformat(),
                    r.village.name,
                    r.applicant_name,
                    r.id_masked,
                    r.certificate_name,
                    r.purpose,
                    r.institution.name,
                    r.get_status_display(),
                    r.document.number if r.document else "",
                )
                for r in qs.iterator(chunk_size=1000)
            ),
        )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/register.html",
        {
            "page": page,
            "status": status,
            "statuses": RequestStatus.choices,
            "can_record": request.user.is_superuser or request.user.role in REGISTRARS,
        },
    )


@login_required
def request_new(request):
    if not (request.user.is_superuser or request.user.role in REGISTRARS):
        raise PermissionDenied
    villages = villages_for(request.user)
    form = RequestForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_record(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Request recorded."))
            return redirect(req)
    return render(request, "certificates/request_form.html", {"form": form})


def _request(request, pk: int, action: str = "view") -> CertificateRequest:
    return get_object_or_404(selectors.register_page_queryset(request.user, action), pk=pk)


@login_required
def request_detail(request, pk: int):
    req = _request(request, pk)
    can_handle = (
        req.is_open and CertificateRequest.objects.restrict(request.user, "change").filter(pk=pk).exists()
    )
    items = selectors.items_in_force(req.village)
    return render(
        request,
        "certificates/request_detail.html",
        {
            "req": req,
            "can_handle": can_handle,
            "issue_form": IssueForm(),
            "refuse_form": RefuseForm(
                items=items,
                initial={"item": req.item if req.item and req.item.kind == ListKind.NEGATIVE else None},
            ),
            "verify_form": VerifyForm(),
            "commit_form": CommitForm(),
            "refer_form": ReferForm(),
        },
    )


ACTIONS = {
    "issue": (IssueForm, services.request_issue),
    "refuse": (RefuseForm, services.request_refuse),
    "verify": (VerifyForm, services.request_verify_issue),
    "commit": (CommitForm, services.request_commit),
    "refer": (ReferForm, services.request_refer),
}


@login_required
@require_POST
def request_action(request, pk: int, action: str):
    req = _request(request, pk, "change")
    if action not in ACTIONS:
        raise Http404
    form_class, service = ACTIONS[action]
    kwargs = {"items": selectors.items_in_force(req.village)} if form_class is RefuseForm else {}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            service(request=req, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for errors in exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]:
                for error in errors:
                    messages.error(request, error)
        else:
            messages.success(request, _("Done."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(req)


# --- civil affairs: unreasonable demands and figures --------------------------------------------


def _period(request) -> tuple[PeriodForm, date, date]:
    today = timezone.localdate()
    form = PeriodForm(
        request.GET or None, initial={"period_from": today - timedelta(days=90), "period_to": today}
    )
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period_from"], form.cleaned_data["period_to"]
    return form, today - timedelta(days=90), today


def _home_county(user) -> Division:
    if user.organisation is None or user.organisation.division.level != Level.COUNTY:
        raise PermissionDenied
    return user.organisation.division


@login_required
def demands(request):
    """Civil affairs: institutions ranked by unreasonable demands; letters and notices."""
    user = request.user
    if not (user.is_superuser or user.role in CIVIL_AFFAIRS_ROLES):
        raise PermissionDenied
    county = _home_county(user)
    form, period_from, period_to = _period(request)
    if request.method == "POST":
        action_form = DemandActionForm(request.POST)
        institution = get_object_or_404(county_institutions(county), pk=posted_id(request, "institution"))
        if action_form.is_valid():
            try:
                action = services.demand_action_create(
                    institution=institution, user=user, **action_form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("%(number)s recorded.") % {"number": action.document.number})
        else:
            for errors in action_form.errors.values():
                messages.error(request, " ".join(errors))
        return redirect(f"{request.path}?period_from={period_from}&period_to={period_to}")
    ranking = selectors.refusals_by_institution(county, period_from, period_to)
    actions = DemandAction.objects.restrict(user).select_related("institution", "document")[:50]
    return render(
        request,
        "certificates/demands.html",
        {
            "county": county,
            "form": form,
            "ranking": ranking,
            "actions": actions,
            "period_from": period_from,
            "period_to": period_to,
        },
    )


def county_institutions(county: Division):
    from institutions.selectors import institutions_of

    return institutions_of(county)


@login_required
def figures(request):
    """Issued, refused, referred, committed per village / township / county and period."""
    form, period_from, period_to = _period(request)
    try:
        level = int(request.GET.get("level", Level.TOWNSHIP))
    except ValueError:
        level = Level.TOWNSHIP
    level = level if level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE) else Level.TOWNSHIP
    rows = selectors.figures(CertificateRequest.objects.restrict(request.user), level, period_from, period_to)
    county = None
    if request.user.organisation is not None and request.user.organisation.division.level == Level.COUNTY:
        county = request.user.organisation.division
    top = selectors.refusals_by_institution(county, period_from, period_to)[:10] if county else []
    return render(
        request, "certificates/figures.html", {"form": form, "rows": rows, "level": level, "top": top}
    )


# --- keepers: spreadsheets and publishing -------------------------------------------------------


def lists_export(request, code: str, fmt: str):
    """Public: the lists in force (or as of ``?on=``) as CSV or .xlsx, every cell neutralised."""
    import io

    from django.http import HttpResponse

    from . import spreadsheets

    division = division_for_code(code)
    if division is None or fmt not in ("csv", "xlsx"):
        raise Http404
    on = timezone.localdate()
    if request.GET.get("on"):
        try:
            on = date.fromisoformat(request.GET["on"])
        except ValueError:
            pass
    items = selectors.items_in_force(division, on).order_by("kind", "code")
    name = f"certificates-{division.code[:6]}-{on.isoformat()}.{fmt}"
    if fmt == "csv":
        text = io.StringIO()
        spreadsheets.write_csv(items, text)
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        data = io.BytesIO()
        spreadsheets.write_xlsx(items, data)
        response = HttpResponse(
            data.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _keeper_lists(request, code: str) -> CertificateList:
    return get_object_or_404(
        CertificateList.objects.restrict(request.user, "change"), division_id=code.ljust(12, "0")
    )


@login_required
def lists_manage(request, code: str):
    """Keepers: upload a spreadsheet into the draft, see the checks, publish the draft."""
    from .forms import PublishForm
    from .spreadsheets import COLUMNS, import_job_create

    certificate_list = _keeper_lists(request, code)
    form, job = spreadsheets_views.upload_job(
        request,
        lambda file: import_job_create(certificate_list=certificate_list, upload=file, user=request.user),
    )
    if job is not None:
        return redirect("certificates:import_job", pk=job.pk)
    draft = certificate_list.versions.filter(status="draft").first()
    jobs = CertificateImportJob.objects.restrict(request.user).filter(certificate_list=certificate_list)[:10]
    return render(
        request,
        "certificates/manage.html",
        {
            "certificate_list": certificate_list,
            "form": form,
            "jobs": jobs,
            "draft": draft,
            "publish_form": PublishForm(),
            "columns": COLUMNS,
        },
    )


@login_required
@require_POST
def lists_publish(request, code: str):
    from .forms import PublishForm

    certificate_list = _keeper_lists(request, code)
    draft = get_object_or_404(certificate_list.versions.all(), status="draft")
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.version_publish(version=draft, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Published."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("certificates:manage", code=code)


class _JobPage:
    namespace = "certificates"
    job_model = CertificateImportJob
    related = ("certificate_list",)


class ImportJobView(_JobPage, spreadsheets_views.ImportJobView):
    nav_template = "certificates/_nav.html"
    confirm_label = gettext_lazy("Confirm and write into the draft")

    def back_url(self, job) -> str:
        return reverse("certificates:manage", args=[job.certificate_list.division_id[:6]])


class ImportConfirmView(_JobPage, spreadsheets_views.ImportConfirmView):
    def confirm(self, job) -> None:
        from .spreadsheets import import_job_confirm

        import_job_confirm(job=job, user=self.request.user)


import_job = ImportJobView.as_view()
import_confirm = ImportConfirmView.as_view()
