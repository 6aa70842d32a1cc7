from divisions.filtersets import DivisionFilterSet
from divisions.models import Division
from villageburden.api import ScopedReadOnlyViewSet
from villageburden.pagination import DefaultCursorPagination

from .serializers import DivisionSerializer


class DivisionPagination(DefaultCursorPagination):
    max_page_size = 1000
    ordering = "code"


class DivisionViewSet(ScopedReadOnlyViewSet):
    """Divisions within the caller's jurisdiction. One query per page, whatever its size."""

    queryset = Division.objects.all()
    serializer_class = DivisionSerializer
    filterset_class = DivisionFilterSet
    pagination_class = DivisionPagination
