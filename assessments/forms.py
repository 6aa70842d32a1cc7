"""Forms of assessments. They collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from listchanges.forms import ProposalFields
from villageburden.forms import BootstrapForm

from .choices import AssessmentKind, DecisionOutcome, Frequency, ItemStatus


class ItemForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=20, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=AssessmentKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    common_names = forms.CharField(label=_("Common names"), required=False)
    owner = forms.CharField(label=_("Owner department"), max_length=200)
    basis = forms.CharField(label=_("Basis"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    basis_missing = forms.BooleanField(label=_("Basis to be supplied"), required=False)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    measures = forms.CharField(label=_("What it measures"), widget=forms.Textarea(attrs={"rows": 2}))
    hours_per_occurrence = forms.CharField(label=_("Village hours per occurrence"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)


class ProposalForm(ProposalFields, ItemForm):
    """Propose to add an assessment to the published list (its fields) or to cancel one (its code)."""

    optional_for_cancel = ("kind", "name", "owner", "frequency", "measures")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["status"]  # a proposed item is active; a cancellation is the action


class PublishForm(BootstrapForm):
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CheckForm(BootstrapForm):
    division = forms.CharField(label=_("County code"), max_length=12, required=False)
    q = forms.CharField(label=_("Which assessment, evaluation or ranking?"), max_length=200)


class PlanForm(BootstrapForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    method = forms.CharField(label=_("Method"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(BootstrapForm):
    outcome = forms.ChoiceField(label=_("Decision"), choices=DecisionOutcome.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SurveyOpenForm(BootstrapForm):
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))


class PhoneForm(BootstrapForm):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Only to make sure each phone answers once; kept as a one-way code, never shown."),
    )


class AnswerForm(BootstrapForm):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
