"""Public pages: the seal check, a division's seal-use scope list, and the three lists' coverage.

Published lists are public (seed 000 §2: they bind every department and are
read by residents); every read goes through ``selectors``.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from divisions.models import Division, Level
from villageburden.charts import Chart, Series, chart_download
from villageburden.params import date_param

from . import selectors
from .choices import UseKind
from .forms import SealCheckForm
from .models import SealList

DEMO_COUNTY = "150223"


def _division(code: str) -> Division | None:
    code = (code or "").strip()
    if not code.isascii() or not code.isdigit() or len(code) > 12:
        return None
    return Division.objects.filter(pk=code.ljust(12, "0")).first()


def check(request):
    """May a community seal be put on this? Answers may / may not / not listed, with the reason and basis."""
    form = SealCheckForm(request.GET or None, initial={"division": DEMO_COUNTY})
    answer = None
    if form.is_valid():
        division = _division(form.cleaned_data["division"])
        if division is None:
            form.add_error("division", _("No division has this code."))
        else:
            answer = selectors.check_answer(division, form.cleaned_data["q"])
    # The public page names published lists only; drafts stay with their keepers.
    lists = SealList.objects.filter(versions__status="published").distinct().select_related("division")
    return render(request, "seals/check.html", {"form": form, "answer": answer, "lists": lists})


def seal_list(request, code: str):
    """A division's seal-use scope list as it stood on a day (default today)."""
    division = _division(code)
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
    province = _division(code)
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
