"""Browser forms of the monitoring points. They collect input; ``monitoring.services`` decides."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from divisions.models import Division
from villageburden.forms import BootstrapForm

from .choices import Finding, ReportKind
from .services import TEXT_LIMITS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INSPECTION_FIELDS = ("visitors", "visitor_count", "asked")


class ReportForm(BootstrapForm):
    """A burden seen at a monitoring point. Photos and files are read from the request and checked by the service."""

    village = forms.ModelChoiceField(label=_("Village"), queryset=Division.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("What was placed on the village"), choices=ReportKind.choices)
    institution_name = forms.CharField(
        label=_("Institution that placed it"),
        max_length=120,
        help_text=_("The department, bank, hospital or other body that made the demand."),
    )
    description = forms.CharField(
        label=_("What was demanded"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMITS["description"],
    )
    seen_on = forms.DateField(label=_("When"), widget=DATE)
    form_name = forms.CharField(
        label=_("Form's name (for an unplanned form)"), max_length=TEXT_LIMITS["form_name"], required=False
    )
    visitors = forms.CharField(
        label=_("Who came (for an inspection or visit)"), max_length=TEXT_LIMITS["visitors"], required=False
    )
    visitor_count = forms.IntegerField(
        label=_("How many people came"), min_value=1, max_value=999, required=False
    )
    asked = forms.CharField(
        label=_("What the visitors asked for"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LIMITS["asked"],
        required=False,
    )
    hours = forms.DecimalField(
        label=_("Hours the village spent on it"),
        min_value=0.1,
        max_value=9999,
        decimal_places=1,
        required=False,
        help_text=_("Preparing, receiving, filling in: an estimate is fine."),
    )
    anonymous = forms.BooleanField(label=_("Keep my name from the institution"), required=False, initial=True)

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages if villages is not None else Division.objects.none()
        self.fields["seen_on"].initial = timezone.localdate()


class CloseForm(BootstrapForm):
    outcome = forms.ChoiceField(label=_("Finding"), choices=Finding.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    correction = forms.CharField(
        label=_("Correction made"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LIMITS["correction"],
        required=False,
        help_text=_("What the institution was made to stop or undo (required when substantiated)."),
    )


class PointForm(BootstrapForm):
    village = forms.ModelChoiceField(label=_("Village"), queryset=Division.objects.none())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages if villages is not None else Division.objects.none()


class AssignForm(BootstrapForm):
    monitor = forms.ModelChoiceField(label=_("Monitor"), queryset=Division.objects.none())

    def __init__(self, *args, monitors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monitor"].queryset = monitors


class PeriodForm(forms.Form):
    period_from = forms.DateField(label=_("From"), widget=DATE, required=False)
    period_to = forms.DateField(label=_("To"), widget=DATE, required=False)


class EditForm(ReportForm):
    """The reporter's correction of a report not yet taken up: every field but the village."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["village"]


class WithdrawForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Why are you withdrawing the report?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,  # the service says in words that a reason is required
    )
