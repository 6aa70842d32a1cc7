"""Forms of the register and the lists. They collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from divisions.models import Division, Level
from villageburden.forms import BootstrapForm

from .choices import DemandActionKind, ListKind, MeetingType
from .models import CertificateItem


class CheckForm(forms.Form):
    division = forms.CharField(label=_("County or village code"), max_length=12, required=False)
    q = forms.CharField(label=_("Which certificate are you asked for?"), max_length=100)


class RequestForm(BootstrapForm):
    village = forms.ModelChoiceField(label=_("Village"), queryset=Division.objects.none())
    applicant_name = forms.CharField(label=_("Applicant"), max_length=60)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )
    certificate_name = forms.CharField(label=_("Certificate asked for"), max_length=100)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    institution_name = forms.CharField(label=_("Institution that demanded it"), max_length=120)
    due_on = forms.DateField(
        label=_("To be issued by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty: the list item's time limit sets it."),
    )

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["village"].queryset = villages


class IssueForm(BootstrapForm):
    facts = forms.CharField(
        label=_("Facts certified"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


class RefuseForm(BootstrapForm):
    item = forms.ModelChoiceField(
        label=_("Negative-list item"), queryset=CertificateItem.objects.none(), required=False
    )

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if items is not None:
            self.fields["item"].queryset = items.filter(kind=ListKind.NEGATIVE)


class VerifyForm(BootstrapForm):
    facts = forms.CharField(label=_("Facts the village verified"), widget=forms.Textarea(attrs={"rows": 2}))
    major_matter = forms.BooleanField(label=_("A matter of major consequence or legal risk"), required=False)
    investigation_note = forms.CharField(
        label=_("Investigation note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    meeting_type = forms.ChoiceField(
        label=_("Deliberation"), choices=[("", "—"), *MeetingType.choices], required=False
    )
    meeting_date = forms.DateField(
        label=_("Meeting date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    meeting_participants = forms.CharField(
        label=_("Participants"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    meeting_outcome = forms.CharField(label=_("Outcome of the deliberation"), required=False)


class CommitForm(BootstrapForm):
    statement = forms.CharField(
        label=_("What the applicant commits to"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Why the village cannot issue it"), widget=forms.Textarea(attrs={"rows": 2})
    )


class PeriodForm(BootstrapForm):
    period_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))


class DemandActionForm(PeriodForm):
    kind = forms.ChoiceField(label=_("Action"), choices=DemandActionKind.choices)
    text = forms.CharField(
        label=_("Text (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def villages_for(user):
    return Division.objects.restrict(user).filter(level=Level.VILLAGE).order_by("code")


class PublishForm(BootstrapForm):
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
