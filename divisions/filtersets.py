import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from villageburden.filters import FilterSet

from .models import Division, Level
from .scoping import code_range


class DivisionFilterSet(FilterSet):
    parent = django_filters.CharFilter(field_name="parent_id", label=_("parent code"))
    level = django_filters.TypedChoiceFilter(choices=Level.choices, coerce=int, label=_("level"))
    code_prefix = django_filters.CharFilter(method="filter_code_prefix", label=_("code prefix"))
    q = django_filters.CharFilter(method="filter_search", label=_("name contains"))

    class Meta:
        model = Division
        fields = ["parent", "level", "code_prefix", "q", "settlement_kind", "area_type"]

    def filter_code_prefix(self, queryset, name, value):
        # A code range, not LIKE: an index range scan over 665k rows.
        if not value.isdigit() or len(value) > 12:
            return queryset.none()
        return queryset.filter(code__range=code_range(value))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(Q(code__range=code_range(value)) | Q(name__contains=value))
        return queryset.filter(name__contains=value)
