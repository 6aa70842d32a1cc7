"""The upload form of every app's checked import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from villageburden.forms import BootstrapForm


class UploadForm(BootstrapForm):
    """One spreadsheet file; what it holds is checked by the import, not here."""

    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"), error_messages={"required": _("Choose a file to upload.")}
    )
