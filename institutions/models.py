"""The institutions that place demands on villages, one register per county.

A department, a bank, a hospital, a school: whoever asks a village for a
certificate it need not issue, a form outside the plan, an inspection or a
screenshot as proof. Every app that records such a demand names the
institution here, so that its demands are counted together and a public
notice (通报) about it is one notice, whatever door the demands came by.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from villageburden.models import BaseModel

from .choices import NoticeSource


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


class Notice(BaseModel):
    """A public notice (通报) about an institution, whatever door its demands came by.

    The certificate register notices institutions that kept demanding
    unreasonable certificates after a reminder letter (seed 002 §3(9)); the
    monitoring points notice institutions with repeated substantiated burden
    reports (seed 004 §2(5): 对随意向基层摊派工作任务的单位加强通报整改). One page
    per county lists them all. A notice names the institution and what it did,
    never who reported it.
    """

    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="public_notices"
    )
    source = models.CharField(_("source"), max_length=30, choices=NoticeSource.choices)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    count = models.PositiveIntegerField(_("demands counted"))
    text = models.TextField(_("text"))
    document = models.OneToOneField(
        "documents.Document", verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.institution}"
