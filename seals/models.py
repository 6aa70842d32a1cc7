"""The community seal-use scope list (社区印章使用范围清单): what a community's seal may and may not be used for.

Seed 002 (end) asks every county to publish it, with the community work items
list and the community comprehensive assessment items list ("三张清单").
Versioned like every list (villageburden/versioning.py): a province keeps the
guidance, a county its own, derived from it; published versions never change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from spreadsheets.models import ListImportJobBase
from villageburden import versioning
from villageburden.models import BaseModel
from villageburden.versioning import PublishedVersion

from .choices import ItemStatus, UseKind

KEEPERS = versioning.KEEPERS


class SealListQuerySet(versioning.ListQuerySet):
    """Seal-use scope lists (the shared rules: ``villageburden.versioning``)."""


class SealList(BaseModel):
    """The seal-use scope list of one province (guidance) or one county (its own)."""

    division = models.OneToOneField(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="seal_list"
    )
    name = models.CharField(_("name"), max_length=200)
    guidance = models.ForeignKey(
        "self",
        verbose_name=_("guidance list"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived",
    )

    objects = SealListQuerySet.as_manager()

    class Meta:
        verbose_name = _("seal-use scope list")
        verbose_name_plural = _("seal-use scope lists")
        ordering = ["division_id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("seals:list", args=[self.division.prefix])


class SealListVersionQuerySet(versioning.ListVersionQuerySet):
    scope_field = "seal_list__division"
    level_field = "seal_list__division__level"


class SealListVersion(PublishedVersion):
    """One edition of a seal-use scope list."""

    seal_list = models.ForeignKey(
        SealList, verbose_name=_("seal-use scope list"), on_delete=models.PROTECT, related_name="versions"
    )

    objects = SealListVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("seal-use scope list version")
        verbose_name_plural = _("seal-use scope list versions")
        ordering = ["seal_list_id", "-number"]
        constraints = versioning.version_constraints("seal_list", "seal_list")

    def __str__(self) -> str:
        return f"{self.seal_list} v{self.number} ({self.get_status_display()})"


class SealUseItemQuerySet(versioning.ListItemQuerySet):
    """Seal uses of the lists' versions (the shared rules: ``villageburden.versioning``)."""


class SealUseItem(versioning.FrozenWhenPublished, BaseModel):
    """One use a community seal may or may not be put to, in one version of a list."""

    version = models.ForeignKey(
        SealListVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="items"
    )
    # Denormalised from version.seal_list for scoping by code range.
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code"), max_length=20)
    kind = models.CharField(_("list"), max_length=10, choices=UseKind.choices)
    name = models.CharField(_("use"), max_length=200)
    common_names = models.TextField(
        _("common wordings"), blank=True, help_text=_("How people say it, separated by 、 or newlines.")
    )
    reason = models.TextField(_("reason"), blank=True)
    conditions = models.TextField(
        _("conditions"), blank=True, help_text=_("For uses it may be put to: what must be done first.")
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    basis_missing = models.BooleanField(
        _("legal basis to be supplied"),
        default=False,
        help_text=_("Flagged: no legal basis has been cited for this item yet (缺依据)."),
    )
    source = models.CharField(_("source"), max_length=300, help_text=_("The policy text it comes from."))
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.ACTIVE
    )
    inherited_from = models.ForeignKey(
        "self",
        verbose_name=_("inherited from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SealUseItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("seal use")
        verbose_name_plural = _("seal uses")
        ordering = ["version_id", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="seal_item_code_per_version"),
            models.CheckConstraint(
                condition=~models.Q(legal_basis="") | models.Q(basis_missing=True),
                name="seal_item_basis_or_flag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def names(self) -> list[str]:
        """The item's name and its common wordings (what the check matches against)."""
        import re

        extra = [n.strip() for n in re.split(r"[、,，;；\n]+", self.common_names) if n.strip()]
        return list(dict.fromkeys([self.name, *extra]))


class SealImportJob(ListImportJobBase):
    """One spreadsheet import into a seal-use scope list's draft (``spreadsheets.lists``)."""

    seal_list = models.ForeignKey(
        SealList, verbose_name=_("seal-use scope list"), on_delete=models.CASCADE, related_name="imports"
    )
    file = models.FileField(_("file"), upload_to="seal-imports/%Y/%m/")

    class Meta(ListImportJobBase.Meta):
        pass
