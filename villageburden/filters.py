"""Filter pieces shared by every app's filtersets.

Query parameters come from anyone; a value the database cannot hold (a
negative, fractional or 30-digit id) must be a 400, never a database error.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django_filters import fields as filter_fields
from django_filters.rest_framework import DjangoFilterBackend

# The largest value a bigint primary key can hold.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """An integer id: a decimal, a negative or an out-of-range number is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class BoundedModelChoiceField(filter_fields.ModelChoiceField):
    """A related object by primary key, with integer keys checked before the query."""

    def to_python(self, value):
        pk = self.queryset.model._meta.pk
        if value not in self.empty_values and isinstance(pk, models.IntegerField):
            try:
                number = int(str(value))
            except ValueError:
                number = 0
            if not 0 < number <= MAX_ID:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BoundedModelChoiceField


class FilterSet(django_filters.FilterSet):
    """The project's base filterset: foreign keys filter through BoundedModelChoiceFilter."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {
            **django_filters.FilterSet.FILTER_DEFAULTS[models.ForeignKey],
            "filter_class": BoundedModelChoiceFilter,
        },
        models.OneToOneField: {
            **django_filters.FilterSet.FILTER_DEFAULTS[models.OneToOneField],
            "filter_class": BoundedModelChoiceFilter,
        },
    }


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend whose generated filtersets (``filterset_fields``) use our base."""

    filterset_base = FilterSet
