"""Pages of the annual forms plan. Views collect input and show results; every rule is in services.py."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from divisions.models import Division, Level
from spreadsheets import views as spreadsheets_views
from spreadsheets.reading import SpreadsheetError
from villageburden.forms import form_add_errors
from villageburden.params import posted_id

from . import selectors, services
from .choices import FIELD_KIND_LABEL, FormStatus, PlanStatus
from .forms import ApproveForm, AssignForm, MergeForm, PeriodForm, RegisterForm, UnplannedForm
from .models import (
    APPROVERS,
    ASSIGNERS,
    INTEGRATORS,
    REGISTRANTS,
    FormField,
    FormsImportJob,
    FormsPlan,
    PlanForm,
    UnplannedDemand,
)


def _flash(request, exc: Exception) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


def _has(user, roles) -> bool:
    return user.is_superuser or user.role in roles


def _county_of(user) -> Division | None:
    division = user.jurisdiction
    if division is None or division.level < Level.COUNTY:
        return None
    return Division.objects.get(pk=division.ancestor_at(Level.COUNTY))


def _plan(request, pk: int, action: str = "view") -> FormsPlan:
    return get_object_or_404(FormsPlan.objects.restrict(request.user, action).select_related("county"), pk=pk)


def _form(request, pk: int) -> PlanForm:
    return get_object_or_404(
        PlanForm.objects.restrict(request.user).select_related("plan__county", "owner", "merged_into"), pk=pk
    )


@login_required
def index(request):
    """The plans of the user's county by year; departments and the county open next year's."""
    user = request.user
    county = _county_of(user)
    if request.method == "POST":
        if county is None or not _has(user, REGISTRANTS | INTEGRATORS):
            raise PermissionDenied
        try:
            plan = services.plan_get_or_create(
                county=county, year=int(request.POST.get("year", "0")), user=user
            )
        except (ValidationError, ValueError) as exc:
            _flash(request, exc)
            return redirect("formsplan:index")
        return redirect(plan)
    today = timezone.localdate()
    return render(
        request,
        "formsplan/index.html",
        {
            "plans": selectors.plans_visible_to(user),
            "county": county,
            "can_open": county is not None and _has(user, REGISTRANTS | INTEGRATORS),
            "years": [today.year, today.year + 1],
        },
    )


@login_required
def plan(request, pk: int):
    p = _plan(request, pk)
    user = request.user
    forms = list(selectors.plan_forms(p))
    return render(
        request,
        "formsplan/plan.html",
        {
            "plan": p,
            "forms": [f for f in forms if f.status == FormStatus.ACTIVE],
            "merged": [f for f in forms if f.status == FormStatus.MERGED],
            "counts": selectors.field_counts(p),
            "decisions": p.decisions.select_related("decided_by"),
            "approve_form": ApproveForm(),
            "can_register": p.is_draft and _has(user, REGISTRANTS),
            "can_approve": p.is_draft and _has(user, APPROVERS),
            "can_import": p.is_draft and _has(user, REGISTRANTS | INTEGRATORS),
            "can_assign": p.status == PlanStatus.APPROVED and _has(user, ASSIGNERS),
            "kinds": FIELD_KIND_LABEL,
        },
    )


@login_required
def register(request, pk: int):
    """A department registers a form; "check" shows the fields other forms already collect, writing nothing."""
    p = _plan(request, pk, "change")
    if not _has(request.user, REGISTRANTS):
        raise PermissionDenied
    form = RegisterForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = services.parse_fields(data["fields_text"])
        duplicates = selectors.fields_collected_elsewhere(p, [f["name"] for f in fields])
        if "check" not in request.POST:
            try:
                registered = services.form_register(
                    user=request.user,
                    plan=p,
                    name=data["name"],
                    fields=fields,
                    frequency=data["frequency"],
                    basis=data["basis"],
                    minutes=data["minutes"],
                )
            except ValidationError as exc:
                form_add_errors(form, exc)
                if "fields" in getattr(exc, "message_dict", {}):
                    form.add_error("fields_text", exc.message_dict["fields"])
            else:
                messages.success(request, _("Form registered."))
                return redirect(registered)
    return render(
        request,
        "formsplan/register.html",
        {"plan": p, "form": form, "duplicates": duplicates, "checked": request.method == "POST"},
    )


@login_required
def form_detail(request, pk: int):
    f = _form(request, pk)
    can_merge = f.plan.is_draft and f.status == FormStatus.ACTIVE and _has(request.user, INTEGRATORS)
    others = PlanForm.objects.active().filter(plan=f.plan).exclude(pk=f.pk).order_by("name")
    fields = list(f.fields.select_related("merged_into__form"))
    duplicates = selectors.duplicates_of(f) if f.status == FormStatus.ACTIVE else []
    by_name = {x.name: x.pk for x in fields if x.merged_into_id is None}
    field_merges = [
        (by_name[d["asked"]], d["asked"], c["field_id"], f"{c['form']}「{c['field']}」")
        for d in duplicates
        for c in d["collected"]
        if d["asked"] in by_name
    ]
    return render(
        request,
        "formsplan/form.html",
        {
            "f": f,
            "fields": fields,
            "duplicates": duplicates,
            "field_merges": field_merges,
            "can_merge": can_merge,
            "merge_form": MergeForm(choices=[(o.pk, f"{o.name}（{o.owner}）") for o in others]),
            "kinds": FIELD_KIND_LABEL,
        },
    )


@login_required
@require_POST
def form_merge(request, pk: int):
    f = _form(request, pk)
    into = PlanForm.objects.restrict(request.user).filter(pk=posted_id(request, "into"), plan=f.plan).first()
    if into is None:
        messages.error(request, _("Choose another form of the same plan."))
        return redirect(f)
    try:
        services.form_merge(user=request.user, form=f, into=into)
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
        return redirect(f)
    messages.success(request, _("Merged into %(form)s.") % {"form": into.name})
    return redirect(into)


@login_required
@require_POST
def field_merge(request, pk: int):
    f = _form(request, pk)
    field = get_object_or_404(FormField, pk=posted_id(request, "field"), form=f)
    into = get_object_or_404(FormField, pk=posted_id(request, "into"), form__plan=f.plan)
    try:
        services.field_merge(user=request.user, field=field, into=into)
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Field merged."))
    return redirect(f)


@login_required
@require_POST
def approve(request, pk: int):
    p = _plan(request, pk, "approve")
    form = ApproveForm(request.POST)
    form.is_valid()
    try:
        services.plan_approve(user=request.user, plan=p, reason=form.cleaned_data.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("The %(year)s plan is approved.") % {"year": p.year})
    return redirect(p)


@login_required
def assign(request, pk: int):
    """A township gives the approved plan's forms to its villages."""
    p = _plan(request, pk)
    if not _has(request.user, ASSIGNERS) or p.status != PlanStatus.APPROVED:
        raise PermissionDenied
    villages = services.assignable_villages(request.user).order_by("code")
    forms = PlanForm.objects.active().filter(plan=p).order_by("name")
    choices = [(f.pk, f"{f.name}（{f.frequency}/{p.year}）") for f in forms]
    form = AssignForm(request.POST or None, forms_choices=choices, villages=villages)
    if request.method == "POST" and form.is_valid():
        target = forms.get(pk=form.cleaned_data["form"])
        try:
            n = services.forms_assign(
                user=request.user, form=target, villages=list(form.cleaned_data["villages"])
            )
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(
                request, _("%(form)s assigned to %(n)s more villages.") % {"form": target.name, "n": n}
            )
            return redirect("formsplan:assign", pk=p.pk)
    assigned = selectors.assignments_of(request.user, p)
    names = dict(villages.values_list("code", "name"))
    rows = [(f, sorted(names.get(v, v) for v in assigned.get(f.pk, ()))) for f in forms]
    return render(request, "formsplan/assign.html", {"plan": p, "form": form, "rows": rows})


# --- unplanned demands ---------------------------------------------------------------------


def _period(request):
    today = timezone.localdate()
    start = today - timedelta(days=365)
    form = PeriodForm(request.GET or None, initial={"period_from": start, "period_to": today})
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period_from"], form.cleaned_data["period_to"]
    return form, start, today


@login_required
def unplanned(request):
    """Record an unplanned form demand in one step; the list; the institutions ranked (county users)."""
    user = request.user
    villages = services.recordable_villages(user).order_by("code")
    can_record = villages.exists()
    form = UnplannedForm(request.POST or None, villages=villages) if can_record else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.unplanned_demand_record(user=user, **form.cleaned_data)
            except ValidationError as exc:
                form_add_errors(form, exc)
            else:
                messages.success(request, _("Unplanned demand recorded."))
                return redirect("formsplan:unplanned")
    period_form, date_from, date_to = _period(request)
    county = _county_of(user)
    ranking = selectors.unplanned_demands_by_institution(county, date_from, date_to) if county else []
    qs = UnplannedDemand.objects.restrict(user).select_related("village", "institution")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "formsplan/unplanned.html",
        {"form": form, "page": page, "ranking": ranking, "period_form": period_form},
    )


# --- spreadsheets --------------------------------------------------------------------------


@login_required
def plan_import(request, pk: int):
    from .spreadsheets import COLUMNS, import_job_create

    p = _plan(request, pk, "change")
    form, job = spreadsheets_views.upload_job(
        request,
        lambda file: import_job_create(plan=p, upload=file, user=request.user),
        refusals=(SpreadsheetError, ValidationError, PermissionDenied),
    )
    if job is not None:
        return redirect("formsplan:import_job", pk=job.pk)
    jobs = FormsImportJob.objects.restrict(request.user).filter(plan=p, created_by=request.user)[:10]
    return render(
        request, "formsplan/import.html", {"plan": p, "form": form, "jobs": jobs, "columns": COLUMNS}
    )


class _JobPage:
    namespace = "formsplan"
    job_model = FormsImportJob
    related = ("plan",)
    own_only = True


class ImportJobView(_JobPage, spreadsheets_views.ImportJobView):
    nav_template = "formsplan/_nav.html"
    confirm_label = gettext_lazy("Confirm and register the forms")
    counts_changed = False

    def back_url(self, job) -> str:
        return job.plan.get_absolute_url()


class ImportConfirmView(_JobPage, spreadsheets_views.ImportConfirmView):
    refusals = (SpreadsheetError, ValidationError, PermissionDenied)

    def confirm(self, job) -> None:
        from .spreadsheets import import_job_confirm

        import_job_confirm(job=job, user=self.request.user)


import_job = ImportJobView.as_view()
import_confirm = ImportConfirmView.as_view()


@login_required
def plan_export(request, pk: int, fmt: str):
    from .spreadsheets import export_response

    if fmt not in ("csv", "xlsx"):
        raise Http404
    p = _plan(request, pk)
    return export_response(p, fmt)
