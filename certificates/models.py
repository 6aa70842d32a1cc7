"""Certificates (证明事项): the negative and retained lists, versioned, and the village register.

The lists are versioned like the work-affairs catalogue (villageburden/versioning.py):
a province keeps guidance lists, each county its own derived from them; a
published version never changes and has the date it takes effect; each
version holds a complete copy of its items.

The register records every certificate a village is asked for, by whom
(the demanding institution) and what came of it: issued (retained list),
refused with a slip (negative list), issued after verification (unlisted),
a commitment signed instead (告知承诺), or referred to the township.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from divisions.scoping import ScopedQuerySet
from organisations.choices import Role
from spreadsheets.models import ImportJobBase
from villageburden import versioning
from villageburden.models import BaseModel
from villageburden.versioning import KEEPERS, PublishedVersion

from .choices import AlternativeRoute, DemandActionKind, ItemStatus, ListKind, MeetingType, RequestStatus

# Who records and handles requests: township staff for their villages (the
# register is kept by the township for the villages it runs, DESIGN §2).
REGISTRARS = {Role.TOWNSHIP_STAFF}
# Civil affairs answers unreasonable demands (seed 002 §3(9): 由民政部门…发函予以提醒).
CIVIL_AFFAIRS_ROLES = {Role.COUNTY_REVIEWER, Role.CATALOGUE_KEEPER}


class CertificateListQuerySet(versioning.ListQuerySet):
    """Certificate lists (the shared rules: ``villageburden.versioning``)."""


class CertificateList(BaseModel):
    """The certificate lists of one province (guidance) or one county (its own)."""

    division = models.OneToOneField(
        "divisions.Division",
        verbose_name=_("division"),
        on_delete=models.PROTECT,
        related_name="certificate_list",
    )
    name = models.CharField(_("name"), max_length=200)
    guidance = models.ForeignKey(
        "self",
        verbose_name=_("guidance lists"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived",
    )

    objects = CertificateListQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate lists")
        verbose_name_plural = _("certificate lists")
        ordering = ["division_id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("certificates:lists", args=[self.division_id])


class CertificateListVersionQuerySet(versioning.ListVersionQuerySet):
    scope_field = "certificate_list__division"
    level_field = "certificate_list__division__level"


class CertificateListVersion(PublishedVersion):
    """One edition of a division's certificate lists."""

    certificate_list = models.ForeignKey(
        CertificateList,
        verbose_name=_("certificate lists"),
        on_delete=models.PROTECT,
        related_name="versions",
    )

    objects = CertificateListVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate list version")
        verbose_name_plural = _("certificate list versions")
        ordering = ["certificate_list_id", "-number"]
        constraints = versioning.version_constraints("certificate_list", "cert")

    def __str__(self) -> str:
        return f"{self.certificate_list} v{self.number} ({self.get_status_display()})"


class CertificateItemQuerySet(versioning.ListItemQuerySet):
    """Certificates of the lists' versions (the shared rules: ``villageburden.versioning``)."""


class CertificateItem(versioning.FrozenWhenPublished, BaseModel):
    """One certificate of one version of the lists: negative (not to be issued) or retained."""

    version = models.ForeignKey(
        CertificateListVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="items"
    )
    # Denormalised from version.certificate_list for scoping by code range.
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code"), max_length=20)
    kind = models.CharField(_("list"), max_length=10, choices=ListKind.choices)
    name = models.CharField(_("name"), max_length=100)
    common_names = models.TextField(
        _("common names"),
        blank=True,
        help_text=_("How villagers and clerks say it, separated by 、 or commas."),
    )
    # Negative list
    reason = models.TextField(_("why it is not issued by the village"), blank=True)
    alternative_route = models.CharField(
        _("alternative route"), max_length=20, choices=AlternativeRoute.choices, blank=True
    )
    alternative = models.TextField(_("where to go instead"), blank=True)
    # Retained list
    legal_basis = models.TextField(_("legal basis"), blank=True)
    basis_missing = models.BooleanField(
        _("legal basis to be supplied"),
        default=False,
        help_text=_("Flagged: no legal basis is cited in the policy texts for this certificate yet."),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    materials = models.TextField(_("required materials"), blank=True)
    procedure = models.TextField(_("procedure"), blank=True)
    time_limit_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"), default=0, help_text=_("0: issued on the spot.")
    )
    template = models.TextField(
        _("uniform template (式样)"),
        blank=True,
        help_text=_(
            "The certificate's wording; {name}, {id}, {village}, {purpose} and {facts} are filled in."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.ACTIVE
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    inherited_from = models.ForeignKey(
        "self",
        verbose_name=_("inherited from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CertificateItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate item")
        verbose_name_plural = _("certificate items")
        ordering = ["version_id", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="cert_item_code_per_version"),
            models.CheckConstraint(
                condition=~models.Q(kind="negative") | ~models.Q(alternative=""),
                name="cert_negative_has_alternative",
            ),
        ]
        indexes = [models.Index(fields=["division", "kind"], name="cert_item_division_kind")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def on_the_spot(self) -> bool:
        return self.time_limit_days == 0

    def names(self) -> list[str]:
        import re

        return [self.name, *[n.strip() for n in re.split(r"[、,，;；\n]", self.common_names) if n.strip()]]


# Who reads the register (names, masked ID numbers): the townships that keep
# it and the county that oversees it; not departments or portals.
REGISTER_READERS = REGISTRARS | {
    Role.COUNTY_REVIEWER,
    Role.COUNTY_APPROVER,
    Role.CATALOGUE_KEEPER,
    Role.AUDITOR,
    Role.PROVINCIAL_ADMIN,
}


class CertificateRequestQuerySet(ScopedQuerySet):
    scope_field = "village"
    write_roles = {"add": REGISTRARS, "change": REGISTRARS, "view": REGISTER_READERS}

    def restrict(self, user, action: str = "view"):
        qs = super().restrict(user, action)
        if action == "view" and user is not None and user.is_authenticated and not user.is_superuser:
            return qs if user.role in REGISTER_READERS else qs.none()
        return qs


class CertificateRequest(BaseModel):
    """One certificate a villager came to the village for, and what came of it.

    The applicant's resident ID number is never stored in clear: a keyed hash
    (HMAC-SHA256) for finding a person's requests, the value encrypted
    (Fernet, key from settings) for the certificate itself, and a masked
    form for every screen and export (certificates/identity.py).
    """

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    applicant_name = models.CharField(_("applicant"), max_length=60)
    id_hash = models.CharField(_("ID number (keyed hash)"), max_length=64, db_index=True, editable=False)
    id_encrypted = models.TextField(_("ID number (encrypted)"), editable=False)
    id_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    certificate_name = models.CharField(_("certificate asked for"), max_length=100)
    item = models.ForeignKey(
        CertificateItem,
        verbose_name=_("list item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("demanded by"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECORDED
    )
    due_on = models.DateField(_("to be issued by"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    facts = models.TextField(_("facts certified"), blank=True)
    note = models.TextField(_("note"), blank=True)
    # Unlisted certificates of major consequence (seed 000 §10, seed 003 §8).
    major_matter = models.BooleanField(_("major consequence or legal risk"), default=False)
    investigation_note = models.TextField(_("investigation note"), blank=True)
    meeting_type = models.CharField(_("deliberation"), max_length=20, choices=MeetingType.choices, blank=True)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    meeting_participants = models.TextField(_("participants"), blank=True)
    meeting_outcome = models.TextField(_("outcome of the deliberation"), blank=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CertificateRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate request")
        verbose_name_plural = _("certificate requests")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values), name="cert_request_status"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | models.Q(item__isnull=False),
                name="cert_refusal_cites_item",
            ),
            models.CheckConstraint(
                condition=models.Q(status="recorded") | models.Q(handled_at__isnull=False),
                name="cert_handled_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["village", "-created", "-id"], name="cert_request_village"),
            models.Index(fields=["county", "status", "created"], name="cert_request_county"),
            models.Index(fields=["-created", "-id"], name="cert_request_cursor"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_name}（{self.applicant_name}）"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("certificates:request", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.RECORDED


class DemandActionQuerySet(ScopedQuerySet):
    scope_field = "county"
    write_roles = {"add": CIVIL_AFFAIRS_ROLES}


class DemandAction(BaseModel):
    """A reminder letter to, or a public notice about, an institution that demands unreasonable certificates."""

    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DemandActionKind.choices)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    refusals = models.PositiveIntegerField(_("unreasonable demands in the period"))
    text = models.TextField(_("text"))
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = DemandActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action on unreasonable demands")
        verbose_name_plural = _("actions on unreasonable demands")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.institution}"


class CertificateImportJobQuerySet(ScopedQuerySet):
    write_roles = {"add": KEEPERS, "change": KEEPERS}

    def restrict(self, user, action: str = "view"):
        if action == "view":
            return super().restrict(user, action)
        return versioning.keeper_write(self, user, action, "division__level")


class CertificateImportJob(ImportJobBase):
    """One spreadsheet import into a division's certificate lists (the shared checked import)."""

    certificate_list = models.ForeignKey(
        CertificateList, verbose_name=_("certificate lists"), on_delete=models.CASCADE, related_name="imports"
    )
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="certificate-imports/%Y/%m/")

    objects = CertificateImportJobQuerySet.as_manager()

    class Meta(ImportJobBase.Meta):
        verbose_name = _("certificate list import")
        verbose_name_plural = _("certificate list imports")
