"""Browser forms of the gate. They validate input; the services decide."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from divisions.models import Division, Level
from villageburden.uploads import MAX_ATTACHMENT_BYTES, attachment_check

from .choices import Frequency, Opinion, Outcome, ScopeKind, TaskStatus, VillageRole
from .services import EDITABLE_FIELDS, TEXT_LIMITS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccessRequestForm(forms.Form):
    division = forms.ModelChoiceField(queryset=Division.objects.none(), label=_("County"), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What the villages are asked to do"),
        max_length=TEXT_LIMITS["description"],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    village_role = forms.ChoiceField(
        label=_("The village's role"), choices=VillageRole.choices, widget=forms.RadioSelect
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=TEXT_LIMITS["legal_basis"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The law, regulation or policy document, with the article."),
    )
    scope_kind = forms.ChoiceField(
        label=_("Scope"), choices=ScopeKind.choices, initial=ScopeKind.COUNTY, widget=forms.RadioSelect
    )
    townships = forms.ModelMultipleChoiceField(
        label=_("Townships"),
        queryset=Division.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("Villages"),
        queryset=Division.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    starts_on = forms.DateField(label=_("Start"), widget=DATE)
    ends_on = forms.DateField(label=_("End"), widget=DATE)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices)
    materials = forms.CharField(
        label=_("Forms or materials the villages must provide"),
        max_length=TEXT_LIMITS["materials"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    provides_funding = forms.CharField(
        label=_("Funding the department provides"), required=False, max_length=200
    )
    provides_staff = forms.CharField(label=_("Staff the department provides"), required=False, max_length=200)
    provides_equipment = forms.CharField(
        label=_("Equipment the department provides"), required=False, max_length=200
    )
    hours_per_village = forms.DecimalField(
        label=_("Estimated hours per village"), min_value=0, max_digits=7, decimal_places=1, initial=0
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, OFD, Word, Excel, WPS, JPEG or PNG; at most %(mb)s MB.")
        % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
    )

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            try:
                attachment_check(upload)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages[0]) from None
        return upload

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        counties = counties if counties is not None else Division.objects.none()
        self.fields["division"].queryset = counties
        county = None
        if self.is_bound and self.data.get("division"):
            county = counties.filter(pk=self.data.get("division")).first()
        elif self.initial.get("division"):
            county = self.initial["division"]
        elif counties.count() == 1:
            county = counties.first()
            self.initial.setdefault("division", county)
        if county is not None:
            lo, hi = county.prefix.ljust(12, "0"), county.prefix.ljust(12, "9")
            self.fields["townships"].queryset = Division.objects.filter(
                level=Level.TOWNSHIP, code__range=(lo, hi)
            )
            self.fields["villages"].queryset = Division.objects.filter(
                level=Level.VILLAGE, code__range=(lo, hi)
            )
        today = timezone.localdate()
        self.initial.setdefault("starts_on", today)
        self.initial.setdefault("ends_on", today + timedelta(days=365))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date is before the start date."))
        kind = data.get("scope_kind")
        if kind == ScopeKind.TOWNSHIPS and not data.get("townships"):
            self.add_error("townships", _("Choose at least one township."))
        if kind == ScopeKind.VILLAGES and not data.get("villages"):
            self.add_error("villages", _("Choose at least one village."))
        return data

    def service_data(self) -> tuple[dict, list[Division]]:
        d = self.cleaned_data
        fields = {k: d[k] for k in EDITABLE_FIELDS}
        scope = []
        if d["scope_kind"] == ScopeKind.TOWNSHIPS:
            scope = list(d["townships"])
        elif d["scope_kind"] == ScopeKind.VILLAGES:
            scope = list(d["villages"])
        return fields, scope


class ReviewForm(forms.Form):
    opinion = forms.ChoiceField(label=_("Opinion"), choices=Opinion.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), max_length=TEXT_LIMITS["reason"], widget=forms.Textarea(attrs={"rows": 3})
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        max_length=TEXT_LIMITS["conditions"],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), max_length=TEXT_LIMITS["reason"], widget=forms.Textarea(attrs={"rows": 3})
    )
    valid_until = forms.DateField(
        label=_("Approval valid until"),
        required=False,
        widget=DATE,
        help_text=_("Defaults to the task's end date."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=TEXT_LIMITS["reason"],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DispatchForm(forms.Form):
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=DATE, help_text=_("Defaults to the approval's end.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[c for c in TaskStatus.choices if c[0] != TaskStatus.CANCELLED]
    )
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ItemDispatchForm(forms.Form):
    item = forms.ModelChoiceField(queryset=None, label=_("List item"))
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    townships = forms.ModelMultipleChoiceField(
        label=_("Townships (none: whole county)"),
        queryset=Division.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_on = forms.DateField(label=_("Due"), widget=DATE)

    def __init__(self, *args, items=None, county=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        if county is not None:
            lo, hi = county.prefix.ljust(12, "0"), county.prefix.ljust(12, "9")
            self.fields["townships"].queryset = Division.objects.filter(
                level=Level.TOWNSHIP, code__range=(lo, hi)
            )
