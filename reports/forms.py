"""Forms of the ledger, the task-division table and the subscriptions. They collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import PlanStatus

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = {"class": "form-control", "type": "date"}


class LedgerForm(forms.Form):
    division = forms.ChoiceField(label=_("Township, county or province"), widget=forms.Select(attrs=SELECT))
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))

    def __init__(self, *args, divisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [
            (d.code, f"{d.name}（{d.code[: len(d.prefix)]}）") for d in divisions
        ]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class PlanTaskForm(forms.Form):
    number = forms.IntegerField(
        label=_("No."), min_value=1, max_value=999, widget=forms.NumberInput(attrs=TEXT)
    )
    task = forms.CharField(label=_("Task"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    measure = forms.CharField(label=_("Measure"), widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    lead_units = forms.CharField(label=_("Lead unit"), max_length=300, widget=forms.TextInput(attrs=TEXT))
    responsible_units = forms.CharField(
        label=_("Responsible units"), max_length=500, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    deadline_text = forms.CharField(
        label=_("Deadline as written"), max_length=40, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=PlanStatus.choices, widget=forms.Select(attrs=SELECT)
    )
    progress = forms.CharField(
        label=_("Progress notes"), required=False, widget=forms.Textarea(attrs={**TEXT, "rows": 3})
    )
    source = forms.CharField(
        label=_("Source"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
