"""Default API pagination (kept apart from viewsets: DRF imports it at startup)."""

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination


class DefaultCursorPagination(CursorPagination):
    """Cursor pagination: stable under inserts and O(1) at any depth.

    ``page_size`` is checked, not silently ignored: ``null``, ``0``, a
    repeated parameter or a value above the maximum is a 400 naming it
    (DRF's own pagination falls back to the default on any bad value, so a
    portal asking for 10,000 rows would never learn it got 50).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    ordering = "-pk"

    def get_page_size(self, request):
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        field = forms.IntegerField(min_value=1, max_value=self.max_page_size)
        try:
            if len(values) > 1:
                raise DjangoValidationError(field.error_messages["invalid"], code="invalid")
            return field.clean(values[0])
        except DjangoValidationError as exc:
            raise ValidationError({self.page_size_query_param: exc.messages}) from exc
