"""A service's refusals as API answers: ValidationError → 400 with field errors, PermissionDenied → 403.

(The catalogue and certificate APIs each keep a copy of this; it belongs in
``villageburden/api.py`` once the apps are merged, with one copy for all.)
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied


class ServiceErrors:
    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = serializers.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            )
        elif isinstance(exc, DjangoPermissionDenied):
            exc = PermissionDenied(str(exc))
        return super().handle_exception(exc)  # type: ignore[misc]
