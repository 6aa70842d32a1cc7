"""Browsing the divisions of one's jurisdiction; township staff record their villages' attributes."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.choices import Role
from signage.selectors import village_floor_requirement
from villageburden.params import code_param

from . import services
from .filtersets import DivisionFilterSet
from .models import AreaType, Division, Level, SettlementKind


def _may_edit(user, division: Division) -> bool:
    return division.level == Level.VILLAGE and (user.is_superuser or user.role == Role.TOWNSHIP_STAFF)


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
    return render(
        request,
        "divisions/browse.html",
        {
            "parent": parent,
            "page": page,
            "q": q,
            "has_villages": any(d.level == Level.VILLAGE for d in page),
            "can_edit": request.user.is_superuser or request.user.role == Role.TOWNSHIP_STAFF,
        },
    )


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
            "floor": village_floor_requirement(division),
            "can_edit": _may_edit(request.user, division),
            "history": division.history.select_related("history_user").order_by("-history_date")[:20]
            if division.level == Level.VILLAGE
            else [],
        },
    )


class VillageAttributesForm(forms.Form):
    settlement_kind = forms.ChoiceField(label=gettext_lazy("settlement kind"), choices=SettlementKind.choices)
    area_type = forms.ChoiceField(
        label=gettext_lazy("area type"), choices=[("", "—"), *AreaType.choices], required=False
    )
    is_central_village = forms.BooleanField(label=gettext_lazy("central village"), required=False)
    households = forms.IntegerField(label=gettext_lazy("households"), min_value=0, required=False)
    service_floor_area = forms.DecimalField(
        label=gettext_lazy("service-centre floor area (m²)"),
        min_value=0,
        max_digits=8,
        decimal_places=1,
        required=False,
    )


@login_required
def edit(request, code: str):
    """Township staff record area type, central village, households and floor area (with history)."""
    village = get_object_or_404(Division.objects.restrict(request.user), code=code, level=Level.VILLAGE)
    if not _may_edit(request.user, village):
        raise PermissionDenied
    initial = {f: getattr(village, f) for f in services.VILLAGE_ATTRIBUTES}
    form = VillageAttributesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.village_attributes_update(user=request.user, code=village.code, data=form.cleaned_data)
            messages.success(request, _("Village attributes saved."))
            return redirect("divisions:detail", code=village.code)
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                for e in errs:
                    form.add_error(field if field in form.fields else None, e)
    return render(
        request,
        "divisions/edit.html",
        {"division": village, "form": form},
        status=400 if request.method == "POST" else 200,
    )
