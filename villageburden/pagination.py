"""Default API pagination (kept apart from viewsets: DRF imports it at startup)."""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class DefaultCursorPagination(CursorPagination):
    """Cursor pagination: stable under inserts and O(1) at any depth.

    ``page_size`` is checked, not silently ignored: ``null``, ``0``, a
    repeated parameter or a value above the maximum is a 400 naming it
    (DRF's own pagination falls back to the default on any bad value, so a
    portal asking for 10,000 rows would never learn it got 50).

    A cursor is checked too: its position must be a value of the ordering's
    first field (a hand-made ``?cursor=`` holding ``p=2026-13-45`` on a date
    ordering is a 404 "Invalid cursor", as any other bad cursor, never a 500).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    ordering: str | tuple[str, ...] = "-pk"
    _model = None

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and self._model is not None:
            field = _ordering_field(self._model, self.ordering[0].lstrip("-"))
            try:
                if "\x00" in cursor.position:  # no database takes a NUL in a literal
                    raise ValueError("NUL in a cursor position")
                if field is not None:
                    # The value and its range (an id of 40 digits overflows the column).
                    field.run_validators(field.to_python(cursor.position))
            except (DjangoValidationError, ValueError, TypeError, OverflowError) as exc:
                raise NotFound(self.invalid_cursor_message) from exc
        return cursor

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


def _ordering_field(model, path: str):
    """The model field an ordering names (``pk``, an attname, or a path across relations), or None."""
    field = None
    for part in path.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model = field.related_model if field.is_relation else None
    if field is not None and field.is_relation:
        return field.target_field if hasattr(field, "target_field") else None
    return field
