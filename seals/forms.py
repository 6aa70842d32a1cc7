"""Browser forms; the rules live in services and selectors."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

DIVISION_CODE = RegexValidator(r"^\d{2,12}$", _("Give a division code of 2 to 12 digits, such as 150223."))


class SealCheckForm(forms.Form):
    division = forms.CharField(
        label=_("County or community code"),
        max_length=12,
        validators=[DIVISION_CODE],
        error_messages={"required": _("Give the county or community code.")},
    )
    q = forms.CharField(
        label=_("What would the community seal be put on?"),
        max_length=100,
        error_messages={
            "required": _("Say what the seal would be put on."),
            "max_length": _("At most 100 characters."),
        },
    )
