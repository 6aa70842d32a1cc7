"""Filters for items and catalogues, shared by the API and the browser pages."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from divisions.models import Division, SettlementKind
from villageburden.filters import FilterSet, IdFilter

from . import selectors
from .choices import ItemKind, ItemStatus, VersionStatus
from .models import CatalogueItem


class CatalogueItemFilterSet(FilterSet):
    division = django_filters.CharFilter(
        method="filter_division",
        label=_("division"),
        help_text=_("Any division code: the items of the catalogue that governs it."),
    )
    settlement = django_filters.ChoiceFilter(
        choices=SettlementKind.choices,
        method="filter_settlement",
        label=_("settlement kind"),
        help_text=_(
            "With a division: the lists for its villages or its urban communities (default: its own kind)."
        ),
    )
    kind = django_filters.ChoiceFilter(choices=ItemKind.choices, label=_("list"))
    category = django_filters.CharFilter(field_name="category", label=_("category"))
    status = django_filters.ChoiceFilter(choices=ItemStatus.choices, label=_("status"))
    as_of = django_filters.DateFilter(
        method="filter_as_of",
        label=_("as of"),
        help_text=_("The lists as they stood on this date (default: today, unless a version is given)."),
    )
    version = IdFilter(field_name="version_id", label=_("version"))
    version_status = django_filters.ChoiceFilter(
        field_name="version__status", choices=VersionStatus.choices, label=_("version status")
    )
    code = django_filters.CharFilter(field_name="code", label=_("code"))
    q = django_filters.CharFilter(method="filter_q", label=_("search"))

    class Meta:
        model = CatalogueItem
        fields = [
            "division",
            "settlement",
            "kind",
            "category",
            "status",
            "as_of",
            "version",
            "version_status",
            "code",
            "q",
        ]

    def filter_division(self, queryset, name, value):
        division = Division.objects.filter(pk=value.ljust(12, "0")[:12]).first()
        settlement = self.form.cleaned_data.get("settlement") or None
        catalogue = selectors.catalogue_for(division, settlement) if division else None
        if catalogue is None:
            return queryset.none()
        return queryset.filter(version__catalogue=catalogue)

    def filter_settlement(self, queryset, name, value):
        return queryset  # read by filter_division

    def filter_as_of(self, queryset, name, value):
        return selectors.items_as_of(queryset, value)

    def filter_q(self, queryset, name, value):
        return selectors.search_items(queryset, value)

    @property
    def qs(self):
        qs = super().qs
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        if not (data.get("as_of") or data.get("version") or data.get("version_status")):
            # Without a date or a version the lists mean "as they stand today".
            qs = selectors.items_as_of(qs, timezone.localdate())
        return qs
