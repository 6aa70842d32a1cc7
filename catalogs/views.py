"""Browser pages: keepers edit, publish, compare, import; the public reads.

Every queryset goes through ``restrict(user, action)``; the public pages read
published versions only (``Catalogue.objects.published()`` and the version in
force), an explicit path of their own. Every change calls a service.
"""

from __future__ import annotations

import io
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from listchanges import views as listchange_views
from spreadsheets import views as spreadsheets_views
from villageburden.charts import Chart, Series
from villageburden.forms import form_add_errors
from villageburden.params import date_param, int_param

from . import selectors, services, spreadsheets
from .choices import AppliesTo, ItemKind, ItemStatus, VersionStatus, applies_to_values
from .forms import (
    CatalogueItemForm,
    CreateCatalogueForm,
    ProposalForm,
    PublishForm,
    ReasonForm,
)
from .models import KEEPER_LEVEL, Catalogue, CatalogueItem, CatalogueVersion, ChangeProposal, ImportJob

PAGE_SIZE = 50


def _catalogue(request, pk: int, action: str = "view") -> Catalogue:
    return get_object_or_404(
        Catalogue.objects.restrict(request.user, action).select_related("division"), pk=pk
    )


def _can_edit(user, catalogue: Catalogue) -> bool:
    return Catalogue.objects.restrict(user, "change").filter(pk=catalogue.pk).exists()


def _errors_to_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _filter_items(request, items):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    category = request.GET.get("category", "")
    status = request.GET.get("status", "")
    if q:
        items = selectors.search_items(items, q)
    if kind in ItemKind.values:
        items = items.filter(kind=kind)
    if category:
        items = items.filter(category=category)
    if status in ItemStatus.values:
        items = items.filter(status=status)
    return items, {"q": q, "kind": kind, "category": category, "status": status}


def _field_labels(fields: list[str]) -> str:
    """Field names as people read them (translated verbose names)."""
    return "、".join(str(CatalogueItem._meta.get_field(f).verbose_name) for f in fields)


def _shown(item: CatalogueItem, field: str) -> str:
    """A field's value as people read it: choice labels, basis and provisions spelled out."""
    value = getattr(item, field)
    model_field = CatalogueItem._meta.get_field(field)
    if getattr(model_field, "choices", None):
        return str(getattr(item, f"get_{field}_display")()) or "—"
    if isinstance(value, list):
        return (
            "；".join(
                " ".join(str(v) for v in entry.values() if v) if isinstance(entry, dict) else str(entry)
                for entry in value
            )
            or "—"
        )
    if isinstance(value, dict):
        return "；".join(f"{k}: {v}" for k, v in value.items() if v) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value) if value not in (None, "") else "—"


def _field_changes(old: CatalogueItem, new: CatalogueItem, fields: list[str]) -> list[tuple[str, str, str]]:
    """Old → new value of each changed field."""
    return [
        (str(CatalogueItem._meta.get_field(f).verbose_name), _shown(old, f), _shown(new, f)) for f in fields
    ]


def _chart(version: CatalogueVersion | None) -> Chart:
    totals = selectors.kind_totals(version) if version else {}
    kinds = [k for k in ItemKind if k in totals] or list(ItemKind)
    return Chart(
        slug="catalogue-lists",
        title=_("Items and estimated hours per village per year, by list"),
        label_header=_("list"),
        labels=[str(k.label) for k in kinds],
        series=[
            Series(_("items"), [totals.get(k, {}).get("items", 0) for k in kinds]),
            Series(
                _("hours per village per year"), [totals.get(k, {}).get("hours", 0) for k in kinds], axis="y1"
            ),
        ],
    )


# --- catalogues -----------------------------------------------------------------


@login_required
def index(request):
    user = request.user
    catalogues = (
        Catalogue.objects.restrict(user).select_related("division", "guidance").order_by("division_id")
    )
    home = user.jurisdiction
    can_open = (
        home is not None
        and KEEPER_LEVEL.get(user.role) == home.level
        and not Catalogue.objects.filter(division=home, applies_to=AppliesTo.BOTH).exists()
        and Catalogue.objects.filter(division=home).count() < 2
    )
    form = CreateCatalogueForm(
        request.POST or None, initial={"name": f"{home.name}村级组织工作事务清单" if home else ""}
    )
    if request.method == "POST" and can_open and form.is_valid():
        try:
            catalogue = services.catalogue_create(
                division=home,
                name=form.cleaned_data["name"],
                user=user,
                applies_to=form.cleaned_data["applies_to"] or AppliesTo.VILLAGES,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Catalogue opened."))
            return redirect("catalogs:detail", pk=catalogue.pk)
    return render(
        request, "catalogs/index.html", {"catalogues": catalogues, "can_open": can_open, "form": form}
    )


def _selected_version(request, catalogue: Catalogue, versions, can_edit: bool):
    as_of = date_param(request, "as_of")
    number = int_param(request, "v", maximum=2**31 - 1)
    if as_of:
        return selectors.version_in_force(catalogue, as_of), as_of
    if number is not None:
        return get_object_or_404(versions, number=number), None
    draft = versions.filter(status=VersionStatus.DRAFT).first() if can_edit else None
    return draft or selectors.version_in_force(catalogue) or versions.first(), None


@login_required
def detail(request, pk: int):
    catalogue = _catalogue(request, pk)
    user = request.user
    can_edit = _can_edit(user, catalogue)
    versions = CatalogueVersion.objects.restrict(user).filter(catalogue=catalogue).order_by("-number")
    version, as_of = _selected_version(request, catalogue, versions, can_edit)
    items = (
        CatalogueItem.objects.restrict(user).filter(version=version)
        if version
        else CatalogueItem.objects.none()
    )
    categories = sorted({c for c in items.values_list("category", flat=True).distinct() if c})
    items, filters = _filter_items(request, items)
    page = Paginator(items.order_by("kind", "code"), PAGE_SIZE).get_page(request.GET.get("page"))
    draft = versions.filter(status=VersionStatus.DRAFT).first()
    pending = []
    if can_edit and catalogue.guidance_id:
        pending = services.guidance_changes(catalogue)[1]
    context = {
        "catalogue": catalogue,
        "versions": versions,
        "version": version,
        "as_of": as_of,
        "draft": draft,
        "in_force": selectors.version_in_force(catalogue),
        "page": page,
        "filters": filters,
        "categories": categories,
        "kinds": ItemKind.choices,
        "statuses": ItemStatus.choices,
        "can_edit": can_edit,
        "can_add": can_edit and not services.has_published(catalogue),
        "publish_form": PublishForm(initial={"effective_from": timezone.localdate()}),
        "pending_changes": len(pending),
        "open_proposals": catalogue.proposals.open().count(),
        "chart": _chart(version),
    }
    return render(request, "catalogs/detail.html", context)


@login_required
@require_POST
def draft_create(request, pk: int):
    catalogue = _catalogue(request, pk, "change")
    try:
        draft = services.draft_get_or_create(catalogue=catalogue, user=request.user)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        return redirect("catalogs:detail", pk=pk)
    messages.success(request, _("Draft v%(n)s is open for editing.") % {"n": draft.number})
    return redirect(f"{catalogue.get_absolute_url()}?v={draft.number}")


@login_required
@require_POST
def draft_discard(request, pk: int):
    catalogue = _catalogue(request, pk, "change")
    draft = get_object_or_404(catalogue.versions, status=VersionStatus.DRAFT)
    try:
        services.draft_discard(version=draft, user=request.user)
        messages.success(request, _("The draft was discarded."))
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    return redirect("catalogs:detail", pk=pk)


@login_required
@require_POST
def publish(request, pk: int):
    catalogue = _catalogue(request, pk, "publish")
    draft = get_object_or_404(catalogue.versions, status=VersionStatus.DRAFT)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the list takes effect."))
        return redirect("catalogs:detail", pk=pk)
    try:
        services.version_publish(version=draft, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        return redirect(f"{catalogue.get_absolute_url()}?v={draft.number}")
    messages.success(request, _("Version %(n)s is published.") % {"n": draft.number})
    return redirect(f"{catalogue.get_absolute_url()}?v={draft.number}")


@login_required
def adopt(request, pk: int):
    catalogue = _catalogue(request, pk, "change")
    guidance, changes = services.guidance_changes(catalogue)
    for change in changes:
        change.labels = _field_labels(change.fields)
    if request.method == "POST":
        codes = request.POST.getlist("code")
        try:
            draft = services.guidance_adopt(catalogue=catalogue, user=request.user, codes=codes)
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, _("%(n)d changes adopted into the draft.") % {"n": len(codes)})
            return redirect(f"{catalogue.get_absolute_url()}?v={draft.number}")
    upcoming = selectors.upcoming_guidance(catalogue)
    for entry in upcoming:
        for row in entry["rows"]:
            row["labels"] = _field_labels(row["fields"])
    return render(
        request,
        "catalogs/adopt.html",
        {"catalogue": catalogue, "guidance": guidance, "changes": changes, "upcoming": upcoming},
    )


@login_required
def compare(request, pk: int):
    catalogue = _catalogue(request, pk)
    versions = CatalogueVersion.objects.restrict(request.user).filter(catalogue=catalogue).order_by("-number")
    numbers = list(versions.values_list("number", flat=True))
    if len(numbers) < 2:
        messages.info(request, _("There is only one version; nothing to compare."))
        return redirect("catalogs:detail", pk=pk)
    a = int_param(request, "a", maximum=2**31 - 1) or numbers[1]
    b = int_param(request, "b", maximum=2**31 - 1) or numbers[0]
    va = get_object_or_404(versions, number=a)
    vb = get_object_or_404(versions, number=b)
    rows = selectors.version_compare(va, vb)
    for row in rows:
        row["labels"] = _field_labels(row["fields"])
        row["changes"] = _field_changes(row["old"], row["new"], row["fields"]) if row["fields"] else []
    show_same = request.GET.get("same") == "1"
    counts = {c: sum(1 for r in rows if r["change"] == c) for c in ("added", "removed", "changed", "same")}
    return render(
        request,
        "catalogs/compare.html",
        {
            "catalogue": catalogue,
            "versions": versions,
            "a": va,
            "b": vb,
            "rows": rows if show_same else [r for r in rows if r["change"] != "same"],
            "counts": counts,
            "show_same": show_same,
        },
    )


def _export_response(catalogue: Catalogue, version: CatalogueVersion, items, fmt: str) -> HttpResponse:
    stamp = version.effective_from.isoformat() if version.effective_from else _("draft")
    name = f"{catalogue.division.name}-v{version.number}-{stamp}.{fmt}"
    if fmt == "csv":
        buf = io.StringIO()
        buf.write("\ufeff")  # Excel reads UTF-8 Chinese only with a BOM
        spreadsheets.write_csv(items, buf)
        response = HttpResponse(buf.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        buf = io.BytesIO()
        spreadsheets.write_xlsx(items, buf, title=f"v{version.number}")
        response = HttpResponse(
            buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def export(request, pk: int):
    catalogue = _catalogue(request, pk)
    versions = CatalogueVersion.objects.restrict(request.user).filter(catalogue=catalogue)
    version, _as_of = _selected_version(request, catalogue, versions, _can_edit(request.user, catalogue))
    if version is None:
        raise Http404
    items = CatalogueItem.objects.restrict(request.user).filter(version=version).order_by("kind", "code")
    return _export_response(
        catalogue, version, items, "csv" if request.GET.get("format") == "csv" else "xlsx"
    )


# --- items ----------------------------------------------------------------------


@login_required
def item_detail(request, pk: int):
    item = get_object_or_404(
        CatalogueItem.objects.restrict(request.user).select_related(
            "version__catalogue__division", "inherited_from__version"
        ),
        pk=pk,
    )
    catalogue = item.version.catalogue
    can_edit = item.version.is_draft and _can_edit(request.user, catalogue)
    versions = selectors.item_versions(item).filter(
        pk__in=CatalogueItem.objects.restrict(request.user).values("pk")
    )
    return render(
        request,
        "catalogs/item_detail.html",
        {
            "item": item,
            "catalogue": catalogue,
            "can_edit": can_edit,
            "can_delete": can_edit and not services.has_published(catalogue) and not item.is_inherited,
            "appearances": versions,
            "history": item.history.select_related("history_user")[:50],
            "reason_form": ReasonForm(),
            "provides": [
                (k, (item.department_provides or {}).get(k)) for k in ("funding", "staff", "equipment")
            ],
        },
    )


@login_required
def item_new(request, pk: int):
    catalogue = _catalogue(request, pk, "change")
    form = CatalogueItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.draft_get_or_create(catalogue=catalogue, user=request.user)
            item = services.item_create(version=draft, data=form.item_data(), user=request.user)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Item %(code)s added to the draft.") % {"code": item.code})
            return redirect("catalogs:item", pk=item.pk)
    return render(request, "catalogs/item_form.html", {"form": form, "catalogue": catalogue, "item": None})


def _editable_item(request, pk: int) -> CatalogueItem:
    item = get_object_or_404(
        CatalogueItem.objects.restrict(request.user, "change").select_related("version__catalogue"), pk=pk
    )
    if not item.version.is_draft:
        raise PermissionDenied(_("Published versions never change; edit the draft."))
    return item


@login_required
def item_edit(request, pk: int):
    item = _editable_item(request, pk)
    form = CatalogueItemForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(item=item, data=form.item_data(), user=request.user)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Item saved."))
            return redirect("catalogs:item", pk=item.pk)
    return render(
        request, "catalogs/item_form.html", {"form": form, "catalogue": item.version.catalogue, "item": item}
    )


@login_required
@require_POST
def item_not_applicable(request, pk: int):
    item = _editable_item(request, pk)
    form = ReasonForm(request.POST)
    try:
        reason = form.data.get("reason", "")
        services.item_mark_not_applicable(item=item, reason=reason, user=request.user)
        messages.success(request, _("Marked not applicable here."))
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    return redirect("catalogs:item", pk=pk)


@login_required
@require_POST
def item_reinstate(request, pk: int):
    item = _editable_item(request, pk)
    try:
        services.item_reinstate(item=item, user=request.user)
        messages.success(request, _("The item applies again."))
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    return redirect("catalogs:item", pk=pk)


@login_required
@require_POST
def item_delete(request, pk: int):
    item = _editable_item(request, pk)
    catalogue = item.version.catalogue
    try:
        services.item_delete(item=item, user=request.user)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        return redirect("catalogs:item", pk=pk)
    messages.success(request, _("Item removed from the draft."))
    return redirect("catalogs:detail", pk=catalogue.pk)


# --- change proposals -----------------------------------------------------------


@login_required
def proposals(request, pk: int):
    catalogue = _catalogue(request, pk)
    return listchange_views.proposals_page(
        request,
        procedure=services.PROCEDURE,
        owner=catalogue,
        form_class=ProposalForm,
        list_url=catalogue.get_absolute_url(),
    )


def _proposal_fields(proposal: ChangeProposal) -> list[tuple[str, str]]:
    data = proposal.item_data
    kind = data.get("kind", "")
    return [
        (_("list"), ItemKind(kind).label if kind in ItemKind.values else kind),
        (_("work content"), data.get("content", "")),
        (_("responsible department"), data.get("responsible_department", "")),
    ]


@login_required
def proposal_detail(request, pk: int):
    return listchange_views.proposal_page(
        request,
        procedure=services.PROCEDURE,
        pk=pk,
        list_url=lambda c: c.get_absolute_url(),
        proposals_url=lambda c: reverse("catalogs:proposals", args=[c.pk]),
        fields=_proposal_fields,
        version_url=lambda v: f"{v.catalogue.get_absolute_url()}?v={v.number}",
    )


# --- spreadsheet import ---------------------------------------------------------


@login_required
def import_upload(request, pk: int):
    catalogue = _catalogue(request, pk, "change")
    form, job = spreadsheets_views.upload_job(
        request,
        lambda file: spreadsheets.import_job_create(catalogue=catalogue, upload=file, user=request.user),
    )
    if job is not None:
        return redirect("catalogs:import_job", pk=job.pk)
    jobs = ImportJob.objects.restrict(request.user).filter(catalogue=catalogue)[:10]
    return render(
        request,
        "catalogs/import.html",
        {"catalogue": catalogue, "form": form, "jobs": jobs, "columns": spreadsheets.COLUMNS},
    )


class _JobPage:
    namespace = "catalogs"
    job_model = ImportJob
    related = ("catalogue__division",)


class ImportJobView(_JobPage, spreadsheets_views.ImportJobView):
    confirm_label = gettext_lazy("Confirm import into the draft")
    done_label = gettext_lazy("Open the draft")

    def breadcrumbs(self, job) -> list[tuple[str, str]]:
        return [
            (reverse("catalogs:detail", args=[job.catalogue_id]), job.catalogue.name),
            (reverse("catalogs:import", args=[job.catalogue_id]), _("Import spreadsheet")),
        ]

    def done_url(self, job) -> str:
        return reverse("catalogs:detail", args=[job.catalogue_id])


class ImportConfirmView(_JobPage, spreadsheets_views.ImportConfirmView):
    def confirm(self, job) -> None:
        spreadsheets.import_job_confirm(job=job, user=self.request.user)


import_job = ImportJobView.as_view()
import_confirm = ImportConfirmView.as_view()


# --- the public -----------------------------------------------------------------


def public_index(request):
    """Every county and province that has published its lists."""
    catalogues = Catalogue.objects.published().select_related("division").order_by("division_id")
    return render(request, "catalogs/public_index.html", {"catalogues": catalogues})


def _public_catalogue(request, code: str) -> Catalogue:
    """A division's published list for the settlements asked (``?for=communities``), else its villages' list."""
    published = (
        Catalogue.objects.published().select_related("division").filter(division_id=code.ljust(12, "0"))
    )
    wanted = "community" if request.GET.get("for") == AppliesTo.COMMUNITIES else "village"
    catalogue = published.filter(applies_to__in=applies_to_values(wanted)).first()
    if catalogue is None:
        raise Http404
    return catalogue


def _public_items(request, catalogue: Catalogue):
    as_of = date_param(request, "as_of") or timezone.localdate()
    version = selectors.version_in_force(catalogue, as_of)
    if version is None:
        return as_of, None, CatalogueItem.objects.none()
    items = selectors.items_as_of(CatalogueItem.objects.filter(version=version), as_of).filter(
        status=ItemStatus.ACTIVE
    )
    return as_of, version, items


def public_catalogue(request, code: str):
    """A county's published lists as they stood on a date: searchable and printable."""
    catalogue = _public_catalogue(request, code)
    as_of, version, items = _public_items(request, catalogue)
    items, filters = _filter_items(request, items)
    groups = [
        (kind, label, [i for i in items.order_by("code") if i.kind == kind])
        for kind, label in ItemKind.choices
    ]
    if filters["kind"]:
        groups = [g for g in groups if g[0] == filters["kind"]]
    return render(
        request,
        "catalogs/public_catalogue.html",
        {
            "catalogue": catalogue,
            "version": version,
            "as_of": as_of,
            "groups": groups,
            "filters": filters,
            "kinds": ItemKind.choices,
            "today": date.today(),
            "chart": _chart(version),
        },
    )


def public_export(request, code: str):
    catalogue = _public_catalogue(request, code)
    _as_of, version, items = _public_items(request, catalogue)
    if version is None:
        raise Http404
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    return _export_response(catalogue, version, items.order_by("kind", "code"), fmt)
