"""Forms of the registry's pages. They collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from divisions.models import Division
from villageburden.forms import BootstrapForm

from .choices import ChannelKind, CleanupOutcome


class ChannelForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    owner_name = forms.CharField(label=_("Owner institution"), max_length=120)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    demands_checkin = forms.BooleanField(label=_("Demands check-ins"), required=False)
    demands_screenshots = forms.BooleanField(
        label=_("Demands screenshots or videos as proof"), required=False
    )
    demands_ranking = forms.BooleanField(label=_("Ranks villages"), required=False)
    villages = forms.ModelMultipleChoiceField(
        label=_("Villages reached"), queryset=Division.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    members = forms.IntegerField(
        label=_("Members or users per village"), min_value=0, max_value=100000, initial=1
    )

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["villages"].queryset = villages
        for name in ("demands_checkin", "demands_screenshots", "demands_ranking"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class DecisionForm(BootstrapForm):
    outcome = forms.ChoiceField(label=_("Decision"), choices=CleanupOutcome.choices)
    merge_into = forms.TypedChoiceField(label=_("Merge into"), coerce=int, required=False, empty_value=None)
    effective_on = forms.DateField(
        label=_("Effective on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merge_into"].choices = [("", "—"), *targets]
        self.fields["effective_on"].initial = timezone.localdate()
