"""The forms of every list's proposal pages (the list's own item fields come from its item form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ProposalAction


class OpinionForm(forms.Form):
    opinion = forms.CharField(label=_("opinion"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ProposalFields(forms.Form):
    """Mixed into a list's item form: what to do, which item (to cancel) and why."""

    action = forms.ChoiceField(label=_("action"), choices=ProposalAction.choices)
    item_code = forms.CharField(label=_("item to cancel (code)"), max_length=20, required=False)
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the list should change.")},
    )
    field_order = ["action", "item_code", "reason"]
    #: The item form's fields a cancellation does not need.
    optional_for_cancel: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.optional_for_cancel:
            self.fields[name].required = False

    def clean(self):
        data = forms.Form.clean(self)
        if data.get("action") == ProposalAction.CANCEL and not data.get("item_code"):
            self.add_error("item_code", _("Name the item to cancel."))
        return data

    def item_data(self) -> dict:
        """The proposed item's fields (for a proposal to add)."""
        skip = {"action", "item_code", "reason"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}
