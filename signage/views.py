"""Pages: public rules and figures; township inventories from a phone; provincial rule editing; mechanisms.

Every queryset goes through ``restrict(user, action)``; every change is a
service call, whose ValidationError becomes the form's field errors (nothing
is written).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from divisions.models import Division, Level
from organisations.choices import Role
from spreadsheets import views as spreadsheets_views
from villageburden.exports import csv_response

from . import selectors, services
from .choices import MechanismStatus, Placement, PlaqueStatus
from .compliance import describe_shapes, standard_name
from .forms import CleanupForm, DecideForm, MechanismForm, PlaqueForm, PublishForm, RemovalForm, RuleForm
from .models import PlaqueImportJob, PlaqueRule, RuleSet, VillagePlaque, WorkingMechanism


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            target = field if field in form.fields else None
            if field in ("placement", "rule_name", "kind") and "which" in form.fields:
                target = "which"
            if field == "removal_photo" and "photo" in form.fields:
                target = "photo"
            for e in errs:
                form.add_error(target, e)
    else:
        for e in exc.messages:
            form.add_error(None, e)


def _as_of(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


# --- public ----------------------------------------------------------------------------


def rules(request, code: str):
    """A province's plaque rules and floor-area standards in force on a date (no login)."""
    province = get_object_or_404(Division, code=code.ljust(12, "0")[:12], level=Level.PROVINCE)
    on = _as_of(request)
    ruleset = selectors.ruleset_in_force(province, on)
    rows = selectors.rules_of(ruleset)
    for r in rows:
        r.shapes_text = describe_shapes(r.shapes)
    return render(
        request,
        "signage/rules.html",
        {
            "province": province,
            "on": on,
            "ruleset": ruleset,
            "versions": selectors.rulesets_of(province, request.user),
            "outside": [r for r in rows if r.placement == Placement.OUTSIDE],
            "inside": [r for r in rows if r.placement == Placement.INSIDE],
            "standards": ruleset.floor_standards.all() if ruleset else [],
            "can_edit": request.user.is_authenticated
            and (request.user.is_superuser or request.user.role == Role.PROVINCIAL_ADMIN)
            and Division.objects.restrict(request.user).filter(pk=province.pk).exists(),
        },
    )


def figures(request, code: str):
    """Public clean-up figures of a division (counts only): plaques hung, non-compliant, removed."""
    area = get_object_or_404(Division, code=code.ljust(12, "0")[:12], level__lt=Level.VILLAGE)
    counts = selectors.cleanup_counts(area)
    return render(request, "signage/figures.html", {"area": area, "counts": counts, "public": True})


# --- township: inventories -------------------------------------------------------------


def _village(user, code: str) -> Division:
    return get_object_or_404(Division.objects.restrict(user), code=code, level=Level.VILLAGE)


@login_required
def villages(request):
    """The caller's villages with their plaque and rectification counts, and the area's figures."""
    scoped = Division.objects.restrict(request.user).filter(level=Level.VILLAGE).order_by("code")
    area = request.user.jurisdiction if not request.user.is_superuser else None
    counts = selectors.cleanup_counts(area, by_level=Level.VILLAGE) if area is not None else None
    tallies = {t.code: t for t in counts.rows} if counts else {}
    rows = [(v, tallies.get(v.code)) for v in scoped[:500]]
    return render(request, "signage/villages.html", {"rows": rows, "counts": counts, "area": area})


@login_required
def village(request, code: str):
    v = _village(request.user, code)
    plaques = list(selectors.village_plaques(request.user, v))
    items = list(selectors.open_rectifications(request.user, v))
    by_plaque: dict[int, list] = {}
    for it in items:
        by_plaque.setdefault(it.plaque_id, []).append(it)
    for p in plaques:
        p.open_items = by_plaque.get(p.pk, [])
    on = timezone.localdate()
    return render(
        request,
        "signage/village.html",
        {
            "village": v,
            "hanging": [p for p in plaques if p.status == PlaqueStatus.HANGING],
            "removed": [p for p in plaques if p.status == PlaqueStatus.REMOVED],
            "items": items,
            "missing": by_plaque.get(None, []),
            "ruleset": selectors.ruleset_in_force(v, on),
            "preview": selectors.compliant_preview(v, on),
            "colours": {c.value: h for c, h in _hex().items()},
            "floor": selectors.village_floor_requirement(v, on),
            "mechanisms": WorkingMechanism.objects.restrict(request.user).filter(village=v),
            "can_record": request.user.is_superuser or request.user.role == Role.TOWNSHIP_STAFF,
            "full_name": standard_name(v.name),
        },
    )


def _hex():
    from .choices import COLOUR_HEX

    return COLOUR_HEX


@login_required
def preview(request, code: str):
    """The compliant outside plaque set of a village, printable (SVG in the page)."""
    v = _village(request.user, code)
    on = timezone.localdate()
    return render(
        request,
        "signage/preview.html",
        {
            "village": v,
            "preview": selectors.compliant_preview(v, on),
            "ruleset": selectors.ruleset_in_force(v, on),
            "colours": {c.value: h for c, h in _hex().items()},
        },
    )


def _plaque_form_page(request, v: Division, plaque: VillagePlaque | None):
    rules_now = selectors.rules_of(selectors.ruleset_in_force(v))
    if request.method == "POST":
        form = PlaqueForm(request.POST, request.FILES, rules=rules_now)
        if form.is_valid():
            try:
                if plaque is None:
                    services.village_plaque_record(
                        user=request.user,
                        village=v,
                        data=form.service_data(),
                        photo=request.FILES.get("photo"),
                    )
                    messages.success(
                        request, _("Plaque recorded; the village was checked against the rules in force.")
                    )
                else:
                    services.village_plaque_update(
                        user=request.user,
                        plaque_id=plaque.pk,
                        data=form.service_data(),
                        photo=request.FILES.get("photo"),
                        expected_version=request.POST.get("version") or None,
                    )
                    messages.success(request, _("Plaque updated; the village was checked again."))
                return redirect("signage:village", code=v.code)
            except ValidationError as exc:
                _apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
    else:
        form = PlaqueForm(initial=PlaqueForm.initial_from(plaque) if plaque else {}, rules=rules_now)
    return render(
        request,
        "signage/plaque_form.html",
        {"village": v, "form": form, "plaque": plaque, "full_name": standard_name(v.name)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def plaque_add(request, code: str):
    return _plaque_form_page(request, _village(request.user, code), None)


@login_required
def plaque_edit(request, pk: int):
    plaque = get_object_or_404(VillagePlaque.objects.restrict(request.user).select_related("village"), pk=pk)
    return _plaque_form_page(request, plaque.village, plaque)


@login_required
def plaque_remove(request, pk: int):
    plaque = get_object_or_404(VillagePlaque.objects.restrict(request.user).select_related("village"), pk=pk)
    form = RemovalForm(
        request.POST or None, request.FILES or None, initial={"removed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.village_plaque_remove(
                user=request.user,
                plaque_id=plaque.pk,
                removed_on=form.cleaned_data["removed_on"],
                note=form.cleaned_data["note"],
                photo=request.FILES.get("photo"),
            )
            messages.success(request, _("Removal recorded."))
            return redirect("signage:village", code=plaque.village_id)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "signage/remove.html",
        {"plaque": plaque, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def photo(request, pk: int, which: str):
    """A plaque's photo, for those who may see the village (uploads are never served from MEDIA_URL)."""
    plaque = get_object_or_404(VillagePlaque.objects.restrict(request.user), pk=pk)
    f = {"plaque": plaque.photo, "removal": plaque.removal_photo}.get(which)
    if not f:
        raise Http404
    return FileResponse(f.open("rb"), content_type="image/jpeg")


@login_required
def inventory_export(request, code: str):
    """The inventory of a village, township or county as CSV or .xlsx (``?format=xlsx``), in the import's columns.

    Every cell is formula-neutralised; the file re-imports unchanged.
    """
    import io

    from django.http import HttpResponse

    from . import spreadsheets

    area = get_object_or_404(Division.objects.restrict(request.user), code=code)
    qs = VillagePlaque.objects.restrict(request.user).in_subtree(area.prefix).select_related("village")
    plaques = qs.order_by("village_id", "id").iterator()
    if request.GET.get("format") == "xlsx":
        data = io.BytesIO()
        spreadsheets.write_xlsx(plaques, data)
        response = HttpResponse(
            data.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="plaques-{area.code}.xlsx"'
        return response
    rows = (spreadsheets.plaque_row(p) for p in plaques)
    return csv_response(f"plaques-{area.code}.csv", spreadsheets.SCHEMA.header_row(), rows)


@login_required
def plaque_import(request):
    """Township staff: upload a spreadsheet of plaques; it is checked first and written only when confirmed."""
    from .models import TOWNSHIP_WRITERS
    from .spreadsheets import COLUMNS, SpreadsheetError, import_job_create

    can_import = request.user.is_superuser or request.user.role in TOWNSHIP_WRITERS
    form, job = spreadsheets_views.upload_job(
        request,
        lambda file: import_job_create(upload=file, user=request.user),
        refusals=(SpreadsheetError, PermissionDenied),
    )
    if job is not None:
        return redirect("signage:import_job", pk=job.pk)
    jobs = PlaqueImportJob.objects.restrict(request.user)[:10]
    return render(
        request,
        "signage/import.html",
        {"form": form if can_import or form.errors else None, "jobs": jobs, "columns": COLUMNS},
        status=400 if form.errors else 200,
    )


class _JobPage:
    namespace = "signage"
    job_model = PlaqueImportJob


class ImportJobView(_JobPage, spreadsheets_views.ImportJobView):
    confirm_label = gettext_lazy("Confirm and record these plaques")
    back_label = gettext_lazy("Import plaques from a spreadsheet")

    def back_url(self, job) -> str:
        return reverse("signage:import")


class ImportConfirmView(_JobPage, spreadsheets_views.ImportConfirmView):
    success_message = gettext_lazy("Confirmed: the rows are being written.")

    def confirm(self, job) -> None:
        from .spreadsheets import import_job_confirm

        import_job_confirm(job=job, user=self.request.user)


import_job = ImportJobView.as_view()
import_confirm = ImportConfirmView.as_view()


# --- provincial admins: rule versions ----------------------------------------------------


def _province_for_admin(user, code: str) -> Division:
    province = get_object_or_404(
        Division.objects.restrict(user), code=code.ljust(12, "0")[:12], level=Level.PROVINCE
    )
    if not (user.is_superuser or user.role == Role.PROVINCIAL_ADMIN):
        raise Http404
    return province


@login_required
def manage(request, code: str):
    province = _province_for_admin(request.user, code)
    draft = selectors.ruleset_draft(province)
    if request.method == "POST":
        if request.POST.get("open_draft"):
            services.ruleset_draft_open(user=request.user, province=province)
            messages.success(request, _("Draft opened as a copy of the latest published rules."))
            return redirect("signage:manage", code=province.code)
        form = PublishForm(request.POST)
        if draft is not None and form.is_valid():
            try:
                services.ruleset_publish(user=request.user, ruleset_id=draft.pk, **form.cleaned_data)
                messages.success(request, _("Published: checks use these rules from their effective date."))
                return redirect("signage:manage", code=province.code)
            except ValidationError as exc:
                _apply_errors(form, exc)
    else:
        form = PublishForm()
    return render(
        request,
        "signage/manage.html",
        {
            "province": province,
            "draft": draft,
            "draft_rules": selectors.rules_of(draft),
            "versions": selectors.rulesets_of(province, request.user),
            "in_force": selectors.ruleset_in_force(province),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def rule_edit(request, pk: int | None = None, ruleset: int | None = None):
    rule = None
    if pk is not None:
        rule = get_object_or_404(
            PlaqueRule.objects.restrict(request.user, "change").select_related("ruleset"), pk=pk
        )
        rs = rule.ruleset
    else:
        rs = get_object_or_404(RuleSet.objects.restrict(request.user, "change"), pk=ruleset, status="draft")
    if request.method == "POST":
        form = RuleForm(request.POST)
        if form.is_valid():
            try:
                if rule is None:
                    services.plaque_rule_create(user=request.user, ruleset_id=rs.pk, data=form.cleaned_data)
                elif request.POST.get("delete"):
                    services.plaque_rule_delete(user=request.user, rule_id=rule.pk)
                else:
                    services.plaque_rule_update(user=request.user, rule_id=rule.pk, data=form.cleaned_data)
                messages.success(request, _("Draft rule saved."))
                return redirect("signage:manage", code=rs.division_id)
            except ValidationError as exc:
                _apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
    else:
        import json

        initial = {f: getattr(rule, f) for f in services.RULE_FIELDS} if rule else {}
        if rule:
            initial["shapes"] = json.dumps(rule.shapes, ensure_ascii=False) if rule.shapes else ""
        form = RuleForm(initial=initial)
    return render(
        request,
        "signage/rule_form.html",
        {"form": form, "rule": rule, "ruleset": rs},
        status=400 if request.method == "POST" else 200,
    )


# --- mechanisms ----------------------------------------------------------------------


@login_required
def mechanisms(request):
    qs = WorkingMechanism.objects.restrict(request.user).select_related("village")
    status = request.GET.get("status", "")
    if status in MechanismStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "signage/mechanisms.html",
        {
            "rows": qs.order_by("village_id", "name")[:500],
            "status": status,
            "statuses": MechanismStatus.choices,
        },
    )


@login_required
def mechanism_add(request, code: str):
    v = _village(request.user, code)
    form = MechanismForm(request.POST or None, initial={"basis": "none"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        is_new = data.pop("is_new")
        try:
            m = services.mechanism_create(user=request.user, village=v, data=data, is_new=is_new)
            messages.success(request, _("Mechanism recorded."))
            return redirect("signage:mechanism", pk=m.pk)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "signage/mechanism_form.html",
        {"village": v, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def mechanism(request, pk: int):
    m = get_object_or_404(WorkingMechanism.objects.restrict(request.user).select_related("village"), pk=pk)
    user = request.user
    can_decide = (
        m.status == MechanismStatus.PENDING
        and WorkingMechanism.objects.restrict(user, "decide").filter(pk=pk).exists()
    )
    can_clean = (
        m.status == MechanismStatus.ACTIVE
        and WorkingMechanism.objects.restrict(user, "cleanup").filter(pk=pk).exists()
    )
    return render(
        request,
        "signage/mechanism.html",
        {
            "m": m,
            "decide_form": DecideForm() if can_decide else None,
            "cleanup_form": CleanupForm() if can_clean else None,
            "history": m.history.order_by("-history_date")[:20],
        },
    )


def _mechanism_post(request, pk: int, form_class, service, done: str):
    """A provincial decision or a clean-up: the service's refusal becomes a message; nothing is written."""
    m = get_object_or_404(WorkingMechanism.objects.restrict(request.user), pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(user=request.user, mechanism_id=m.pk, **form.cleaned_data)
            messages.success(request, done)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.error(request, "；".join(f"{form.fields[k].label}: {v[0]}" for k, v in form.errors.items()))
    return redirect("signage:mechanism", pk=m.pk)


@login_required
@require_POST
def mechanism_decide(request, pk: int):
    return _mechanism_post(request, pk, DecideForm, services.mechanism_decide, _("Decision recorded."))


@login_required
@require_POST
def mechanism_cleanup(request, pk: int):
    return _mechanism_post(request, pk, CleanupForm, services.mechanism_cleanup, _("Clean-up recorded."))
