"""The work-affairs catalogue: autonomy, assist and negative lists, versioned.

A province keeps a guidance catalogue (指导目录); each county keeps its own,
derived from it. A catalogue is a series of versions: one draft being edited,
and published versions that never change, each with the date it takes effect.
The list "as it stood on a day" is the published version with the latest
effective date on or before that day.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from divisions.scoping import ScopedQuerySet
from organisations.choices import Role
from villageburden.models import BaseModel

from .choices import ItemKind, ItemStatus, VersionStatus

KEEPERS = {Role.PROVINCIAL_ADMIN, Role.CATALOGUE_KEEPER}


class CatalogueQuerySet(ScopedQuerySet):
    write_roles = {"add": KEEPERS, "change": KEEPERS, "publish": KEEPERS}


class Catalogue(BaseModel):
    """The lists of one province (guidance) or one county (its own)."""

    division = models.OneToOneField(
        "divisions.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="catalogue",
    )
    name = models.CharField(_("name"), max_length=200)
    guidance = models.ForeignKey(
        "self",
        verbose_name=_("guidance catalogue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived",
        help_text=_("For a county: the provincial guidance catalogue it derives from."),
    )

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("catalogue")
        verbose_name_plural = _("catalogues")
        ordering = ["division_id"]

    def __str__(self) -> str:
        return self.name


class CatalogueVersionQuerySet(ScopedQuerySet):
    scope_field = "catalogue__division"
    write_roles = CatalogueQuerySet.write_roles

    def in_subtree(self, prefix: str):
        from divisions.scoping import code_range

        return self.filter(catalogue__division_id__range=code_range(prefix))

    def published(self):
        return self.filter(status=VersionStatus.PUBLISHED)


class CatalogueVersion(BaseModel):
    """One edition of a catalogue. Published versions are frozen."""

    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("catalogue"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    objects = CatalogueVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
        ordering = ["catalogue_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "number"], name="catalogue_version_number"),
            models.UniqueConstraint(
                fields=["catalogue"],
                condition=models.Q(status="draft"),
                name="catalogue_one_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(effective_from__isnull=False, published_at__isnull=False),
                name="catalogue_published_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue} v{self.number} ({self.get_status_display()})"


class CatalogueItemQuerySet(ScopedQuerySet):
    write_roles = CatalogueQuerySet.write_roles

    def active(self):
        return self.filter(status=ItemStatus.ACTIVE)


class CatalogueItem(BaseModel):
    """One item of one version of a catalogue.

    Each version holds its own copy of every item, so a published version is
    a complete, unchangeable record of the lists as they stood.
    """

    version = models.ForeignKey(
        CatalogueVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="items"
    )
    # Denormalised from version.catalogue for scoping by code range.
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code"), max_length=20)
    kind = models.CharField(_("list"), max_length=10, choices=ItemKind.choices)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=60, blank=True)
    content = models.TextField(_("work content"), blank=True)
    legal_basis = models.JSONField(
        _("legal basis"),
        default=list,
        blank=True,
        help_text=_('A list of {"instrument": ..., "article": ...}.'),
    )
    basis_missing = models.BooleanField(
        _("legal basis to be supplied"),
        default=False,
        help_text=_("Flagged: no legal basis has been cited for this item yet."),
    )
    responsible_department = models.CharField(_("responsible department"), max_length=120, blank=True)
    department_provides = models.JSONField(
        _("department provides (费随事转)"),
        default=dict,
        blank=True,
        help_text=_('For assist items: {"funding": ..., "staff": ..., "equipment": ...}.'),
    )
    scope = models.TextField(_("scope"), blank=True)
    process = models.TextField(_("process"), blank=True)
    materials = models.TextField(_("materials"), blank=True)
    frequency = models.CharField(_("frequency"), max_length=60, blank=True)
    hours_per_year = models.DecimalField(
        _("estimated hours per village per year"), max_digits=7, decimal_places=1, default=0
    )
    negative_matter = models.CharField(
        _("negative matter"),
        max_length=200,
        blank=True,
        help_text=_("Negative items: the matter for which a village may not be the responsible subject."),
    )
    keywords = models.TextField(_("keywords and synonyms"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.ACTIVE
    )
    status_reason = models.TextField(_("reason for status"), blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("The policy text it comes from.")
    )
    inherited_from = models.ForeignKey(
        "self",
        verbose_name=_("inherited from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For a county item: the guidance item it derives from."),
    )

    objects = CatalogueItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["version_id", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="catalogue_item_code_per_version"),
            models.CheckConstraint(
                condition=~models.Q(kind="negative") | ~models.Q(negative_matter=""),
                name="negative_item_states_matter",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_from__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="catalogue_item_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_year__gte=0), name="catalogue_item_hours_nonneg"
            ),
        ]
        indexes = [models.Index(fields=["division", "kind"], name="catalogue_item_division_kind")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
