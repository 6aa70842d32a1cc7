"""The work-affairs catalogue: autonomy, assist and negative lists, versioned.

A province keeps a guidance catalogue (指导目录); each county keeps its own,
derived from it. A catalogue is a series of versions: one draft being edited,
and published versions that never change, each with the date it takes effect.
The list "as it stood on a day" is the published version with the latest
effective date on or before that day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from divisions.scoping import ScopedQuerySet
from listchanges.models import (  # dynamic management, shared by every list that keeps it
    ChangeProposalBase,
    ProposalStepBase,
    proposal_constraints,
)
from spreadsheets.models import ImportJobBase
from villageburden import versioning
from villageburden.models import BaseModel
from villageburden.versioning import PublishedVersion

from .choices import AppliesTo, ItemKind, ItemStatus, VersionStatus

if TYPE_CHECKING:
    from organisations.models import User

# Who keeps lists and who reads them is shared by every versioned list
# (villageburden/versioning.py).
KEEPERS = versioning.KEEPERS
KEEPER_LEVEL = versioning.KEEPER_LEVEL
_keeper_write = versioning.keeper_write
_published_or_own = versioning.published_or_own


class CatalogueQuerySet(ScopedQuerySet):
    level_field = "division__level"
    write_roles = {"add": KEEPERS, "change": KEEPERS, "publish": KEEPERS, "delete": KEEPERS}

    def restrict(self, user, action: str = "view"):
        return _published_or_own(
            self, user, action, models.Q(versions__status=VersionStatus.PUBLISHED)
        ).distinct()

    def published(self):
        return self.filter(versions__status=VersionStatus.PUBLISHED).distinct()


class Catalogue(BaseModel):
    """The lists of one province (guidance) or one county (its own), for villages, communities or both.

    A county or district with urban residents' committees keeps a community
    work items list beside its villages' lists (seed 002, end: 三张清单); the
    lists that govern a village-level division are those of its settlement kind
    (``selectors.catalogue_for``).
    """

    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="catalogues",
    )
    applies_to = models.CharField(
        _("applies to"),
        max_length=12,
        choices=AppliesTo.choices,
        default=AppliesTo.VILLAGES,
        help_text=_("Villages, urban communities (residents' committees), or both."),
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
        # "-applies_to": villages, communities, both; so a division's first list is
        # its villages' list, as it was when a division had only one.
        ordering = ["division_id", "-applies_to"]
        constraints = [
            # One list per division and settlement kind; "both" excluding the
            # others is checked by services.catalogue_create.
            models.UniqueConstraint(fields=["division", "applies_to"], name="catalogue_division_applies_to"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("catalogs:detail", args=[self.pk])

    @property
    def public_query(self) -> str:
        """The query string that picks this list on the division's public page."""
        return "?for=communities" if self.applies_to == AppliesTo.COMMUNITIES else ""

    def get_public_url(self) -> str:
        from django.urls import reverse

        return reverse("catalogs:public", args=[self.division_id]) + self.public_query


class CatalogueVersionQuerySet(ScopedQuerySet):
    scope_field = "catalogue__division"
    level_field = "catalogue__division__level"
    write_roles = CatalogueQuerySet.write_roles

    def published(self):
        return self.filter(status=VersionStatus.PUBLISHED)

    def restrict(self, user, action: str = "view"):
        return _published_or_own(self, user, action, models.Q(status=VersionStatus.PUBLISHED))


class CatalogueVersion(PublishedVersion):
    """One edition of a catalogue. Published versions are frozen."""

    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("catalogue"), on_delete=models.PROTECT, related_name="versions"
    )
    guidance_version = models.ForeignKey(
        "self",
        verbose_name=_("adopted guidance version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a county: the provincial guidance version whose changes this version adopted."),
    )

    objects = CatalogueVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
        ordering = ["catalogue_id", "-number"]
        constraints = versioning.version_constraints("catalogue", "catalogue")

    def __str__(self) -> str:
        return f"{self.catalogue} v{self.number} ({self.get_status_display()})"


class CatalogueItemQuerySet(ScopedQuerySet):
    level_field = "division__level"
    write_roles = CatalogueQuerySet.write_roles

    def active(self):
        return self.filter(status=ItemStatus.ACTIVE)

    def restrict(self, user, action: str = "view"):
        return _published_or_own(self, user, action, models.Q(version__status=VersionStatus.PUBLISHED))


class CatalogueItem(versioning.FrozenWhenPublished, BaseModel):
    """One item of one version of a catalogue.

    Each version holds its own copy of every item, so a published version is
    a complete, unchangeable record of the lists as they stood.
    """

    # No index of their own: "code per version" (version, code) and (division, kind) lead with
    # them, and each index less is one write less per item an import copies.
    version = models.ForeignKey(
        CatalogueVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="items",
        db_index=False,
    )
    # Denormalised from version.catalogue for scoping by code range.
    division = models.ForeignKey(
        "divisions.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
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
    # The history is read by item (its id); its other foreign keys need no index.
    history = HistoricalRecords(no_db_index=["version", "division", "inherited_from"])
    # Set by the services before save() so the history row names who changed the
    # item; read by simple_history (HistoricalRecords.get_history_user), not a field.
    _history_user: User

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

    @property
    def is_inherited(self) -> bool:
        return self.inherited_from_id is not None


class ChangeProposal(ChangeProposalBase):
    """A proposal to add an item to, or cancel one from, a published catalogue.

    Dynamic management (动态管理): "确需新增或取消的...严格执行事前协商、评估审核、
    审定批准程序后，动态纳入清单管理" (seed 001; seed 003 §3(2)); the procedure is the
    shared one (``listchanges``). Approval writes the change into the
    catalogue's draft; it takes effect when that draft is published.
    """

    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("catalogue"), on_delete=models.PROTECT, related_name="proposals"
    )
    applied_version = models.ForeignKey(
        CatalogueVersion,
        verbose_name=_("applied to version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    url_name = "catalogs:proposal"

    class Meta(ChangeProposalBase.Meta):
        constraints = proposal_constraints("proposal")


class ChangeProposalStepRecord(ProposalStepBase):
    """One recorded step of a proposal: who, when, with what opinion. Append-only."""

    proposal = models.ForeignKey(
        ChangeProposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="steps"
    )

    class Meta(ProposalStepBase.Meta):
        pass


class ImportJobQuerySet(ScopedQuerySet):
    write_roles = {"add": KEEPERS, "change": KEEPERS}

    def restrict(self, user, action: str = "view"):
        if action == "view":
            return super().restrict(user, action)
        return _keeper_write(self, user, action, "division__level")


class ImportJob(ImportJobBase):
    """One catalogue spreadsheet import (the shared machinery: ``spreadsheets``)."""

    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("catalogue"), on_delete=models.CASCADE, related_name="imports"
    )
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="catalog-imports/%Y/%m/")
    version = models.ForeignKey(
        CatalogueVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ImportJobQuerySet.as_manager()

    class Meta(ImportJobBase.Meta):
        pass

    def __str__(self) -> str:
        # Identity only: the audit trail keeps this text, and a status in it would stay "pending".
        return f"{self.original_name} (#{self.pk})"
