"""Filter pieces shared by every app's filtersets."""

import django_filters
from django import forms

# The largest value a bigint primary key can hold.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """An integer id: a decimal, a negative or an out-of-range number is a 400, not a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
