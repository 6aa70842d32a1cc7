"""What every app's browser forms share: Bootstrap classes on the widgets."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


class BootstrapForm(forms.Form):
    """Bootstrap classes on every widget (no inline script: the CSP forbids it).

    A tick box gets ``form-check-input``, a drop-down ``form-select``, any other
    input ``form-control``; a list of radio buttons or tick boxes is left as Django
    renders it (``form-control`` would stretch each button across the page).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple too
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def form_add_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: each message by its field, the rest above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
