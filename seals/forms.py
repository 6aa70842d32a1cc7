"""Browser forms; the rules live in services and selectors."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .choices import ItemStatus, UseKind

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


class SealItemForm(forms.Form):
    """One use of the draft; the rules (source cited, basis or the 缺依据 flag, a reason to refuse) are the services'."""

    code = forms.CharField(
        label=_("Code"), max_length=20, required=False, help_text=_("Left empty: the next free code.")
    )
    kind = forms.ChoiceField(label=_("List"), choices=UseKind.choices)
    name = forms.CharField(
        label=_("Use"), max_length=200, error_messages={"required": _("Say what the seal would be put on.")}
    )
    common_names = forms.CharField(
        label=_("Common wordings"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    legal_basis = forms.CharField(label=_("Legal basis"), required=False)
    basis_missing = forms.BooleanField(label=_("Legal basis to be supplied (缺依据)"), required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices, initial=ItemStatus.ACTIVE)


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Effective from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("A published list takes effect on a date."),
            "invalid": _("Give the date as YYYY-MM-DD."),
        },
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
