"""Browsing the divisions of one's jurisdiction."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from villageburden.params import code_param

from .filtersets import DivisionFilterSet
from .models import Division


@login_required
def browse(request):
    """Children of the jurisdiction (or of ?parent=), or a search across it."""
    scoped = Division.objects.restrict(request.user)
    parent_code = code_param(request, "parent") or (
        request.user.jurisdiction.code if request.user.jurisdiction else None
    )
    parent = get_object_or_404(scoped, code=parent_code) if parent_code else None
    q = request.GET.get("q", "").strip()
    if q:
        rows = DivisionFilterSet({"q": q}, queryset=scoped).qs
    elif parent is not None:
        rows = scoped.filter(parent=parent)
    else:
        rows = scoped.filter(level=1)
    page = Paginator(rows.order_by("code"), 50).get_page(request.GET.get("page"))
    return render(request, "divisions/browse.html", {"parent": parent, "page": page, "q": q})


@login_required
def detail(request, code: str):
    division = get_object_or_404(Division.objects.restrict(request.user), code=code)
    return render(
        request,
        "divisions/detail.html",
        {
            "division": division,
            "ancestors": division.ancestors(),
            "children": division.children.order_by("code")[:200],
            "minimum_floor_area": division.minimum_floor_area(),
        },
    )
