"""Forms of the forms plan's pages. They collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from divisions.models import Division
from villageburden.forms import BootstrapForm


class RegisterForm(BootstrapForm):
    name = forms.CharField(label=_("Form name"), max_length=120)
    fields_text = forms.CharField(
        label=_("Fields"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One field a line; a type after a colon if not text, e.g. 公民身份号码:身份证号, 出生日期:日期."
        ),
    )
    frequency = forms.IntegerField(label=_("Fillings a year"), min_value=1, max_value=366)
    minutes = forms.IntegerField(
        label=_("Minutes per filling (estimate)"), min_value=1, max_value=1440, required=False
    )
    basis = forms.CharField(
        label=_("Legal or policy basis"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty if none is cited: the form is then flagged 缺依据."),
    )


class ApproveForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(BootstrapForm):
    into = forms.TypedChoiceField(label=_("Merge into"), coerce=int)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = list(choices)


class AssignForm(BootstrapForm):
    form = forms.TypedChoiceField(label=_("Form"), coerce=int)
    villages = forms.ModelMultipleChoiceField(
        label=_("Villages"), queryset=Division.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, forms_choices=(), villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = list(forms_choices)
        if villages is not None:
            self.fields["villages"].queryset = villages


class UnplannedForm(BootstrapForm):
    village = forms.ModelChoiceField(label=_("Village"), queryset=Division.objects.none())
    form_name = forms.CharField(label=_("What was demanded"), max_length=120)
    institution_name = forms.CharField(label=_("Demanded by (institution)"), max_length=120)
    demanded_on = forms.DateField(
        label=_("Demanded on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["village"].queryset = villages
        self.fields["demanded_on"].initial = timezone.localdate()


class PeriodForm(BootstrapForm):
    period_from = forms.DateField(
        label=_("From"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    period_to = forms.DateField(
        label=_("To"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
