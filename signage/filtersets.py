"""API filters. Division codes are matched as code ranges (divisions.scoping), never LIKE."""

from __future__ import annotations

import django_filters
from django import forms

from divisions.scoping import LEVEL_DIGITS, code_range
from villageburden.filters import FilterSet

from . import selectors
from .choices import MechanismStatus, PlaqueStatus, RectificationStatus, RuleSetStatus
from .models import PlaqueRule, Rectification, VillagePlaque, WorkingMechanism


class DivisionCodeFilter(django_filters.CharFilter):
    """A division's code (any level): rows in its subtree."""

    field_class = forms.RegexField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("regex", r"^\d{2,12}$")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        prefix = value
        if len(value) == 12:
            # A padded code: its significant prefix ends at the last level boundary with digits after it.
            prefix = next(
                (value[:n] for n in sorted(LEVEL_DIGITS.values()) if not value[n:].strip("0")), value
            )
        lo, hi = code_range(prefix)
        return qs.filter(**{f"{self.field_name}__gte": lo, f"{self.field_name}__lte": hi})


class PlaqueRuleFilterSet(FilterSet):
    province = DivisionCodeFilter(field_name="division")
    as_of = django_filters.DateFilter(method="in_force", label="rules in force on this date")
    ruleset_status = django_filters.ChoiceFilter(field_name="ruleset__status", choices=RuleSetStatus.choices)

    class Meta:
        model = PlaqueRule
        fields = ["ruleset", "placement", "kind"]

    def in_force(self, qs, name, value):
        provinces = set(qs.values_list("division_id", flat=True).distinct())
        ids = [rs.pk for p in provinces if (rs := selectors.ruleset_in_force(p, value)) is not None]
        return qs.filter(ruleset_id__in=ids)


class VillagePlaqueFilterSet(FilterSet):
    area = DivisionCodeFilter(field_name="village", label="village, township or county code")
    status = django_filters.ChoiceFilter(choices=PlaqueStatus.choices)

    class Meta:
        model = VillagePlaque
        fields = ["placement"]


class RectificationFilterSet(FilterSet):
    area = DivisionCodeFilter(field_name="village")
    status = django_filters.ChoiceFilter(choices=RectificationStatus.choices)

    class Meta:
        model = Rectification
        fields = ["kind", "plaque"]


class MechanismFilterSet(FilterSet):
    area = DivisionCodeFilter(field_name="village")
    status = django_filters.ChoiceFilter(choices=MechanismStatus.choices)

    class Meta:
        model = WorkingMechanism
        fields = ["kind", "basis", "cleanup"]
