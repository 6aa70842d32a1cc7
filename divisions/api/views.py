from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from divisions.filtersets import DivisionFilterSet
from divisions.models import Division, Level
from villageburden.api import ScopedReadOnlyViewSet
from villageburden.pagination import DefaultCursorPagination

from .serializers import DivisionSerializer


class DivisionPagination(DefaultCursorPagination):
    max_page_size = 1000
    ordering = "code"


# The columns DivisionSerializer reads, as .values() names.
VALUE_FIELDS = [
    "code",
    "name",
    "level",
    "parent_id",
    "settlement_kind",
    "area_type",
    "is_central_village",
    "households",
    "service_floor_area",
]
_floor_area = DivisionSerializer().fields["service_floor_area"]


def represent(row: dict[str, Any]) -> dict[str, Any]:
    """One ``.values()`` row exactly as DivisionSerializer renders the model instance."""
    area = row["service_floor_area"]
    return {
        "code": row["code"],
        "name": row["name"],
        "level": row["level"],
        "level_display": str(Level(row["level"]).label),
        "parent": row["parent_id"],
        "settlement_kind": row["settlement_kind"],
        "area_type": row["area_type"],
        "is_central_village": row["is_central_village"],
        "households": row["households"],
        "service_floor_area": None if area is None else _floor_area.to_representation(area),
    }


class DivisionViewSet(ScopedReadOnlyViewSet):
    """Divisions within the caller's jurisdiction. One query per page, whatever its size."""

    queryset = Division.objects.all()
    serializer_class = DivisionSerializer
    filterset_class = DivisionFilterSet
    pagination_class = DivisionPagination

    def filter_queryset(self, queryset: Any) -> Any:
        # No filter asked for: skip building and validating the filterset's form.
        if self.filterset_class and not set(self.request.query_params) & set(
            self.filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The scoped, filtered page read as ``.values()`` rows: no model instances, no serializer per row.

        The output is byte-identical to the serializer's (test_divisions_api holds it so).
        """
        queryset = self.filter_queryset(self.get_queryset()).values(*VALUE_FIELDS)
        page = self.paginate_queryset(queryset)
        assert page is not None  # the pagination class is always set
        return self.get_paginated_response([represent(row) for row in page])
