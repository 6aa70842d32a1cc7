from rest_framework.pagination import CursorPagination

from divisions.filtersets import DivisionFilterSet
from divisions.models import Division
from villageburden.api import ScopedReadOnlyViewSet

from .serializers import DivisionSerializer


class DivisionPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "code"


class DivisionViewSet(ScopedReadOnlyViewSet):
    """Divisions within the caller's jurisdiction. One query per page, whatever its size."""

    queryset = Division.objects.all()
    serializer_class = DivisionSerializer
    filterset_class = DivisionFilterSet
    pagination_class = DivisionPagination
