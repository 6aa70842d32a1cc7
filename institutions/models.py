"""The institutions that place demands on villages, one register per county.

A department, a bank, a hospital, a school: whoever asks a village for a
certificate it need not issue, a form outside the plan, an inspection or a
screenshot as proof. Every app that records such a demand names the
institution here, so that its demands are counted together and a public
notice (通报) about it is one notice, whatever door the demands came by.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from villageburden.models import BaseModel


class Institution(BaseModel):
    """An institution that places demands on villages (a department, a bank, a hospital, a school…)."""

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("demanding institution")
        verbose_name_plural = _("demanding institutions")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["division", "name"], name="institution_once")]

    def __str__(self) -> str:
        return self.name
