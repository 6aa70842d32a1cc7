"""API filters for points and reports."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from villageburden.filters import FilterSet, IdFilter

from .choices import Finding, ReportKind, ReportStatus
from .models import BurdenReport, MonitoringPoint


class VillageFilter(django_filters.CharFilter):
    field_class = forms.RegexField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("regex", r"^\d{12}$")
        super().__init__(*args, **kwargs)


class MonitoringPointFilterSet(FilterSet):
    village = VillageFilter(field_name="village_id", label=_("village"))
    active = django_filters.BooleanFilter(field_name="active", label=_("active"))

    class Meta:
        model = MonitoringPoint
        fields = ["village", "active"]


class BurdenReportFilterSet(FilterSet):
    village = VillageFilter(field_name="village_id", label=_("village"))
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("status"))
    finding = django_filters.ChoiceFilter(
        field_name="decision__outcome", choices=Finding.choices, label=_("finding")
    )
    institution = IdFilter(field_name="institution_id", label=_("institution"))
    seen_from = django_filters.DateFilter(field_name="seen_on", lookup_expr="gte", label=_("seen from"))
    seen_to = django_filters.DateFilter(field_name="seen_on", lookup_expr="lte", label=_("seen to"))

    class Meta:
        model = BurdenReport
        fields = ["village", "kind", "status", "finding", "institution", "seen_from", "seen_to"]
