"""The scoped base viewsets every API endpoint builds on, and a service's refusals as API answers."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers, viewsets


def drf_validation_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as DRF's: errors by field, or under ``non_field_errors``."""
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return serializers.ValidationError({"non_field_errors": exc.messages})


class ServiceErrors:
    """A service's refusals as answers: ValidationError → 400 with its (Chinese) messages by field,
    PermissionDenied → 403 with its reason, an object not found → 404."""

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = drf_validation_error(exc)
        elif isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied(str(exc))
        elif isinstance(exc, ObjectDoesNotExist):
            exc = Http404()
        return super().handle_exception(exc)  # type: ignore[misc]


class ScopedViewSetMixin:
    """Apply the model's ``restrict(user, action)`` to every queryset.

    Nothing reaches a serializer unscoped: an object outside the user's
    jurisdiction is simply not in the queryset, so it is a 404, never a 403
    that would leak its existence.
    """

    restrict_action_map = {
        "list": "view",
        "retrieve": "view",
        "create": "add",
        "update": "change",
        "partial_update": "change",
        "destroy": "delete",
    }

    def get_queryset(self):
        qs = super().get_queryset()
        action = self.restrict_action_map.get(self.action or "list", "view")
        return qs.restrict(self.request.user, action)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass
