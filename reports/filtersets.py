"""API filters. A county is matched by its code, never LIKE."""

from __future__ import annotations

import django_filters
from django import forms

from villageburden.filters import FilterSet

from .models import PlanTask, Report


class CountyFilter(django_filters.CharFilter):
    """A county's 6- or 12-digit code."""

    field_class = forms.RegexField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("regex", r"^\d{6}(\d{6})?$")
        kwargs.setdefault("field_name", "division_id")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs.filter(division_id=value.ljust(12, "0")) if value else qs


class PlanTaskFilterSet(FilterSet):
    county = CountyFilter()

    class Meta:
        model = PlanTask
        fields = ["county", "status"]


class ReportFilterSet(FilterSet):
    county = CountyFilter()

    class Meta:
        model = Report
        fields = ["county", "kind"]
