"""Pages: the seal check, a division's seal-use scope list, the three lists' coverage; the keepers' draft.

Published lists are public (seed 000 §2: they bind every department and are
read by residents); every read goes through ``selectors``.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from divisions.models import Level
from divisions.selectors import division_for_code
from spreadsheets import list_views
from villageburden import versioning
from villageburden.charts import Chart, Series, chart_download
from villageburden.forms import form_add_errors
from villageburden.params import date_param

from . import selectors, services, spreadsheets
from .choices import UseKind
from .forms import PublishForm, SealCheckForm, SealItemForm
from .models import SealList, SealUseItem

DEMO_COUNTY = "150223"


def check(request):
    """May a community seal be put on this? Answers may / may not / not listed, with the reason and basis."""
    form = SealCheckForm(request.GET or None, initial={"division": DEMO_COUNTY})
    answer = None
    if form.is_valid():
        division = division_for_code(form.cleaned_data["division"])
        if division is None:
            form.add_error("division", _("No division has this code."))
        else:
            answer = selectors.check_answer(division, form.cleaned_data["q"])
    # The public page names published lists only; drafts stay with their keepers.
    lists = SealList.objects.filter(versions__status="published").distinct().select_related("division")
    return render(request, "seals/check.html", {"form": form, "answer": answer, "lists": lists})


def seal_list(request, code: str):
    """A division's seal-use scope list as it stood on a day (default today)."""
    division = division_for_code(code)
    if division is None:
        raise Http404
    on = date_param(request, "as_of") or timezone.localdate()
    governing = selectors.lists_for(division)
    version = selectors.version_in_force(division, on)
    items = list(selectors.items_in_force(division, on)) if version else []
    return render(
        request,
        "seals/list.html",
        {
            "division": division,
            "seal_list": governing,
            "version": version,
            "on": on,
            "may": [i for i in items if i.kind == UseKind.MAY],
            "may_not": [i for i in items if i.kind == UseKind.MAY_NOT],
            "can_manage": SealList.objects.restrict(request.user, "change")
            .filter(division=division)
            .exists(),
        },
    )


def _coverage_chart(figures: selectors.Coverage) -> Chart:
    labels = selectors.coverage_labels()
    keys = ["work_items", "assessment", "seal_use", "all_three"]
    return Chart(
        slug="community-lists-coverage",
        title=_("Share of counties with each community list published (%)"),
        label_header=_("list"),
        labels=[labels[k] for k in keys],
        series=[Series(_("counties (%)"), [figures.share(k) for k in keys])],
    )


def coverage(request, code: str):
    """A province's counties: which have published the three community lists (seed 002: 100% in two years)."""
    province = division_for_code(code)
    if province is None or province.level != Level.PROVINCE:
        raise Http404
    on = date_param(request, "as_of") or timezone.localdate()
    figures = selectors.coverage(province, on)
    chart = _coverage_chart(figures)
    if request.GET.get("download") == chart.slug:
        return chart_download(chart, "xlsx" if request.GET.get("format") == "xlsx" else "csv")
    return render(
        request,
        "seals/coverage.html",
        {"province": province, "figures": figures, "chart": chart, "download": True, "on": on},
    )


# --- the keepers: the draft, item by item, published with an effective date ----------------


def _keepers_list_or_404(request, code: str) -> SealList:
    division = division_for_code(code)
    if division is None:
        raise Http404
    found = SealList.objects.restrict(request.user, "change").filter(division=division).first()
    if found is None:
        raise Http404
    return found


@login_required
def manage(request, code: str):
    """The county's admin edits the draft: add, edit (``?item=<code>``) or remove a use, then publish."""
    found = _keepers_list_or_404(request, code)
    draft = found.versions.filter(status="draft").first()
    editing = draft.items.filter(code=request.GET.get("item", "")).first() if draft else None
    initial = {f: getattr(editing, f) for f in services.ITEM_FIELDS} if editing else None
    item_form = SealItemForm(prefix="item", initial=initial)
    publish_form = PublishForm(prefix="pub")
    if request.method == "POST":
        posted_item = "item-name" in request.POST
        form = (
            SealItemForm(request.POST, prefix="item")
            if posted_item
            else PublishForm(request.POST, prefix="pub")
        )
        try:
            if form.is_valid():
                draft = draft or services.draft_get_or_create(seal_list=found, user=request.user)
                if posted_item:
                    services.item_save(version=draft, data=form.cleaned_data, user=request.user)
                    messages.success(request, _("Saved to the draft."))
                    return redirect("seals:manage", code)
                services.version_publish(version=draft, user=request.user, **form.cleaned_data)
                messages.success(request, _("Published."))
                return redirect("seals:list", code)
        except ValidationError as exc:
            form_add_errors(form, exc)
        if posted_item:
            item_form = form
        else:
            publish_form = form
    return render(
        request,
        "seals/manage.html",
        {
            "seal_list": found,
            "code": code,
            "draft": draft,
            "items": draft.items.all() if draft else [],
            "editing": editing,
            "item_form": item_form,
            "publish_form": publish_form,
        },
    )


@login_required
@require_POST
def draft_open(request, code: str):
    found = _keepers_list_or_404(request, code)
    services.draft_get_or_create(seal_list=found, user=request.user)
    return redirect("seals:manage", code)


@login_required
@require_POST
def item_delete(request, code: str, pk: int):
    found = _keepers_list_or_404(request, code)
    item = get_object_or_404(
        SealUseItem.objects.restrict(request.user, "change").filter(version__seal_list=found), pk=pk
    )
    try:
        services.item_delete(item=item, user=request.user)
        messages.success(request, _("Removed from the draft."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("seals:manage", code)


def export(request, code: str, fmt: str):
    """The list in force (or, for its keepers with ?draft=1, the draft) as CSV or xlsx, cells neutralised."""
    division = division_for_code(code)
    found = SealList.objects.restrict(request.user).filter(division=division).first() if division else None
    if found is None or fmt not in ("csv", "xlsx"):
        raise Http404
    version = versioning.version_in_force(found.versions.all())
    if (
        request.GET.get("draft")
        and SealList.objects.restrict(request.user, "change").filter(pk=found.pk).exists()
    ):
        version = found.versions.filter(status="draft").first() or version
    items = version.items.all() if version else []
    if fmt == "csv":
        text = io.StringIO()
        spreadsheets.write_csv(items, text)
        response = HttpResponse(text.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    else:
        data = io.BytesIO()
        spreadsheets.write_xlsx(items, data)
        response = HttpResponse(
            data.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="seal-list-{found.division_id[:6]}.{fmt}"'
    return response


@login_required
def list_import(request, code: str):
    found = _keepers_list_or_404(request, code)
    return list_views.upload(
        request,
        spec=spreadsheets.IMPORT,
        owner=found,
        back_url=reverse("seals:manage", args=[code]),
    )


@login_required
def import_job(request, pk: int):
    return list_views.job(
        request,
        spec=spreadsheets.IMPORT,
        pk=pk,
        back_url=lambda owner: reverse("seals:manage", args=[owner.division.prefix]),
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    return list_views.confirm(request, spec=spreadsheets.IMPORT, pk=pk)
