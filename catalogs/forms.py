"""Browser forms. They check with ``item_clean`` (the rules of the API and the import)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from listchanges.forms import ProposalFields

from .choices import AppliesTo, ItemKind
from .models import CatalogueItem
from .validation import PROVIDES_KEYS, format_basis, item_clean, parse_basis_text

DATE = forms.DateInput(attrs={"type": "date"})


class CatalogueItemForm(forms.Form):
    code = forms.CharField(
        label=_("code"), max_length=20, required=False, help_text=_("Left empty: the next free code.")
    )
    kind = forms.ChoiceField(label=_("list"), choices=ItemKind.choices)
    name = forms.CharField(label=_("name"), max_length=200)
    category = forms.CharField(label=_("category"), max_length=60, required=False)
    content = forms.CharField(
        label=_("work content"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    legal_basis = forms.CharField(
        label=_("legal basis"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "One per line: 《instrument》article. Leave empty if none is known: the item is flagged."
        ),
    )
    responsible_department = forms.CharField(
        label=_("responsible department"), max_length=120, required=False
    )
    funding = forms.CharField(label=_("funding provided"), required=False)
    staff = forms.CharField(label=_("staff provided"), required=False)
    equipment = forms.CharField(label=_("equipment provided"), required=False)
    scope = forms.CharField(label=_("scope"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    process = forms.CharField(label=_("process"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    materials = forms.CharField(
        label=_("materials"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    frequency = forms.CharField(label=_("frequency"), max_length=60, required=False)
    hours_per_year = forms.DecimalField(
        label=_("estimated hours per village per year"), min_value=0, decimal_places=1, required=False
    )
    negative_matter = forms.CharField(label=_("negative matter"), max_length=200, required=False)
    keywords = forms.CharField(label=_("keywords and synonyms"), required=False)
    effective_from = forms.DateField(label=_("effective from"), required=False, widget=DATE)
    effective_to = forms.DateField(label=_("effective to"), required=False, widget=DATE)
    source = forms.CharField(label=_("source"), max_length=300, required=False)

    def __init__(self, *args, item: CatalogueItem | None = None, **kwargs):
        if item is not None and "initial" not in kwargs:
            initial = {f: getattr(item, f) for f in self.base_fields if hasattr(item, f)}
            initial["legal_basis"] = format_basis(item.legal_basis)
            for key in PROVIDES_KEYS:
                initial[key] = (item.department_provides or {}).get(key, "")
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.item = item
        if item is not None:
            self.fields["code"].disabled = True
            self.fields["kind"].disabled = True

    def clean(self):
        data = super().clean()
        values = self.item_data()
        _values, errors = item_clean(values, require_code=False)
        for field, messages in errors.items():
            target = field if field in self.fields else None
            if field == "department_provides":
                target = "funding"
            for message in messages:
                self.add_error(target, message)
        return data

    def item_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["legal_basis"] = parse_basis_text(data.get("legal_basis"))
        data["department_provides"] = {k: data.pop(k, "") or "" for k in PROVIDES_KEYS}
        if self.item is not None:
            data["code"], data["kind"] = self.item.code, self.item.kind
            data["status"], data["status_reason"] = self.item.status, self.item.status_reason
        return data


class PublishForm(forms.Form):
    effective_from = forms.DateField(label=_("effective from"), widget=DATE)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ProposalForm(ProposalFields, CatalogueItemForm):
    """Propose to add an item (the item's fields) or to cancel one (its code): the shared procedure (listchanges)."""

    optional_for_cancel = ("kind", "name")

    def item_data(self) -> dict:
        data = CatalogueItemForm.item_data(self)
        for key in ("action", "item_code", "reason"):
            data.pop(key, None)
        return data


class CreateCatalogueForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    applies_to = forms.ChoiceField(
        label=_("applies to"), choices=AppliesTo.choices, initial=AppliesTo.VILLAGES, required=False
    )
