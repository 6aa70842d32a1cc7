"""Plaques and working mechanisms of village-level organisations.

Rules (seed 000 §8 for Inner Mongolia, seed 002's annex for Shandong, seed 003
§6 nationally) are *versioned per province*: a ``RuleSet`` is one complete
copy of a province's plaque rules and service-facility floor-area standards
with the date it takes effect, so a compliance check uses the rules in force
on its date (as the work-affairs lists do). What actually hangs in a village
is its ``VillagePlaque`` inventory, recorded by township staff; every breach
the check finds becomes a ``Rectification`` with a deadline and an owner.
``WorkingMechanism`` is the registry of village-level mechanisms and dedicated
posts (seed 000 §6, seed 002 §3(6)).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from divisions.models import SettlementKind
from divisions.scoping import ScopedQuerySet
from organisations.choices import Role
from spreadsheets.models import ImportJobBase
from villageburden.models import BaseModel

from .choices import (
    AppliesTo,
    Cleanup,
    Colour,
    Language,
    MechanismBasis,
    MechanismKind,
    MechanismStatus,
    Placement,
    PlaqueStatus,
    RectificationStatus,
    Resolution,
    RuleSetStatus,
    Shape,
    SignKind,
    Typeface,
    ViolationKind,
)

__all__ = [
    "FloorAreaStandard",
    "Placement",
    "PlaqueRule",
    "Rectification",
    "RuleSet",
    "SignKind",
    "VillagePlaque",
    "WorkingMechanism",
]

PROVINCE_WRITERS = {Role.PROVINCIAL_ADMIN}
TOWNSHIP_WRITERS = {Role.TOWNSHIP_STAFF}


class RuleSetQuerySet(ScopedQuerySet):
    """Published rules are public (villagers may check what may hang); drafts stay with the province."""

    write_roles = {"add": PROVINCE_WRITERS, "change": PROVINCE_WRITERS, "publish": PROVINCE_WRITERS}

    def restrict(self, user, action: str = "view"):
        if action == "view" and not (user is not None and user.is_authenticated and user.is_superuser):
            published = self.filter(status=RuleSetStatus.PUBLISHED)
            if user is None or not user.is_authenticated:
                return published
            return published | super().restrict(user, action)
        return super().restrict(user, action)


class RuleSet(BaseModel):
    """One version of a province's plaque rules and floor-area standards, in force from a date."""

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    # Urban communities' service centres follow their own rules by the same
    # mechanism (seed 002, end: "机制牌子...参照本方案执行"); the settlement kinds of
    # divisions/models.py. Every rule set before communities had rules is the villages'.
    settlement = models.CharField(
        _("applies to"),
        max_length=10,
        choices=SettlementKind.choices,
        default=SettlementKind.VILLAGE,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    title = models.CharField(_("policy document"), max_length=200)
    languages = models.JSONField(_("languages required on plaques"), default=list)
    language_source = models.CharField(_("source of the language rule"), max_length=300, blank=True)
    others_allowed = models.BooleanField(_("other plaques allowed"), default=False)
    others_source = models.CharField(_("source of the rule on other plaques"), max_length=300, blank=True)
    one_room_one_plaque = models.BooleanField(_("one room, one plaque"), default=False)
    one_room_source = models.CharField(_("source of the one-room rule"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = RuleSetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plaque rule set")
        verbose_name_plural = _("plaque rule sets")
        ordering = ["division_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["division", "number"], name="ruleset_unique_number"),
            models.UniqueConstraint(
                fields=["division", "settlement"],
                condition=models.Q(status="draft"),
                name="ruleset_one_draft",
            ),
            models.UniqueConstraint(
                fields=["division", "settlement", "effective_from"],
                condition=models.Q(status="published"),
                name="ruleset_unique_effective_date",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(effective_from__isnull=False),
                name="ruleset_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == RuleSetStatus.DRAFT


class RuleQuerySet(ScopedQuerySet):
    write_roles = {"add": PROVINCE_WRITERS, "change": PROVINCE_WRITERS, "delete": PROVINCE_WRITERS}

    def restrict(self, user, action: str = "view"):
        if action == "view":
            return self.filter(ruleset__in=RuleSet.objects.restrict(user))
        return super().restrict(user, action).filter(ruleset__status=RuleSetStatus.DRAFT)


class PlaqueRule(BaseModel):
    """One plaque or emblem a province allows, as its policy text describes it.

    A blank colour, typeface or size is not checked: the policy leaves it to
    the village ("材质和大小根据实际情况自行确定", seed 000 §8).
    """

    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="rules"
    )
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    placement = models.CharField(_("placement"), max_length=10, choices=Placement.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=SignKind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    organ = models.CharField(
        _("organisation named on the plaque"),
        max_length=60,
        blank=True,
        help_text=_(
            "Follows the village's full standard name on the plaque; blank for emblems and categories."
        ),
    )
    required = models.BooleanField(_("required"), default=False)
    ground_colour = models.CharField(_("ground colour"), max_length=10, choices=Colour.choices, blank=True)
    text_colour = models.CharField(_("text colour"), max_length=10, choices=Colour.choices, blank=True)
    typeface = models.CharField(_("typeface"), max_length=10, choices=Typeface.choices, blank=True)
    shapes = models.JSONField(
        _("allowed shapes and sizes"),
        default=list,
        blank=True,
        help_text=_(
            'e.g. [{"shape": "strip", "width": [30, 40], "height": [180, 250]}] (cm); empty: not checked'
        ),
    )
    size = models.CharField(_("size"), max_length=120, blank=True)
    material = models.CharField(_("material"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=200)

    objects = RuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plaque rule")
        verbose_name_plural = _("plaque rules")
        ordering = ["ruleset_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "placement", "name"], name="plaque_rule_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class FloorAreaStandard(BaseModel):
    """A minimum floor area of the village's comprehensive service facilities.

    Seed 000 §7: farming areas ≥ 200 m², pastoral ≥ 150 m². Seed 002 §3(7):
    central villages ≥ 500 m², others ≥ 100 m², and ≥ 30 m² per 100 households.
    A village's requirement is the largest of the standards that apply to it.
    """

    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="floor_standards"
    )
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    applies_to = models.CharField(_("applies to"), max_length=12, choices=AppliesTo.choices)
    minimum_m2 = models.DecimalField(_("minimum (m²)"), max_digits=8, decimal_places=1)
    per_100_households_m2 = models.DecimalField(
        _("per 100 households (m²)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=200)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("floor-area standard")
        verbose_name_plural = _("floor-area standards")
        ordering = ["ruleset_id", "applies_to"]
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "applies_to"], name="floor_standard_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_applies_to_display()} ≥ {self.minimum_m2} m²"


class VillageScopedQuerySet(ScopedQuerySet):
    scope_field = "village"
    write_roles = {"add": TOWNSHIP_WRITERS, "change": TOWNSHIP_WRITERS, "delete": TOWNSHIP_WRITERS}


class VillagePlaque(BaseModel):
    """A plaque or emblem that actually hangs (or hung) at a village's service facilities."""

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    rule_name = models.CharField(
        _("listed plaque"), max_length=100, blank=True, help_text=_("Blank: not on the province's list.")
    )
    text = models.CharField(_("text on the plaque"), max_length=200)
    placement = models.CharField(_("placement"), max_length=10, choices=Placement.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=SignKind.choices, default=SignKind.PLAQUE)
    room = models.CharField(_("room"), max_length=60, blank=True)
    owner_department = models.CharField(_("owning department"), max_length=100, blank=True)
    shape = models.CharField(_("shape"), max_length=10, choices=Shape.choices, blank=True)
    width_cm = models.DecimalField(_("width (cm)"), max_digits=6, decimal_places=1, null=True, blank=True)
    height_cm = models.DecimalField(_("height (cm)"), max_digits=6, decimal_places=1, null=True, blank=True)
    ground_colour = models.CharField(_("ground colour"), max_length=10, choices=Colour.choices, blank=True)
    text_colour = models.CharField(_("text colour"), max_length=10, choices=Colour.choices, blank=True)
    typeface = models.CharField(_("typeface"), max_length=10, choices=Typeface.choices, blank=True)
    material = models.CharField(_("material"), max_length=60, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    photo = models.ImageField(_("photo"), upload_to="signage/plaques/%Y/%m/", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlaqueStatus.choices, default=PlaqueStatus.HANGING
    )
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_note = models.CharField(_("removal note"), max_length=300, blank=True)
    removal_photo = models.ImageField(
        _("photo after removal"), upload_to="signage/removals/%Y/%m/", blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = VillageScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["photo", "removal_photo"])

    class Meta:
        verbose_name = _("village plaque")
        verbose_name_plural = _("village plaques")
        ordering = ["village_id", "placement", "id"]
        indexes = [models.Index(fields=["village", "status"], name="village_plaque_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="hanging", removed_on__isnull=True)
                | models.Q(status="removed", removed_on__isnull=False),
                name="village_plaque_removed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def language_list(self) -> list[str]:
        return [str(Language(code).label) if code in Language.values else code for code in self.languages]


class Rectification(BaseModel):
    """One violation of the rules in force, to be put right by a deadline (a rectification item).

    ``key`` identifies the finding across re-checks (its kind and the plaque,
    or the missing rule's name), so a re-check neither duplicates an open item
    nor forgets one that was put right.
    """

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    plaque = models.ForeignKey(
        VillagePlaque,
        verbose_name=_("plaque"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("rules checked"), on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField(_("finding"), max_length=160)
    kind = models.CharField(_("violation"), max_length=12, choices=ViolationKind.choices)
    rule_name = models.CharField(_("rule"), max_length=100, blank=True)
    message = models.CharField(_("what is wrong"), max_length=300)
    source = models.CharField(_("source"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    due_on = models.DateField(_("due on"))
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("responsible organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_department = models.CharField(_("department that owns the plaque"), max_length=100, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=12, choices=Resolution.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = VillageScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "key"], condition=models.Q(status="open"), name="rectification_one_open"
            ),
        ]

    def __str__(self) -> str:
        return self.message


class MechanismQuerySet(ScopedQuerySet):
    scope_field = "village"
    write_roles = {
        "add": {Role.TOWNSHIP_STAFF, Role.DEPT_SUBMITTER},
        "change": {Role.TOWNSHIP_STAFF},
        "cleanup": {Role.TOWNSHIP_STAFF, Role.COUNTY_APPROVER},
        "decide": PROVINCE_WRITERS,
    }


class WorkingMechanism(BaseModel):
    """A village-level working mechanism or dedicated post, with who set it up and on what basis.

    Seed 000 §6 / seed 002 §3(6): unless the Party Central Committee and the
    State Council or a law require it, no new one without the province's
    approval; where one is required, the department that wants it provides
    the people and the money, not the village.
    """

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=14, choices=MechanismKind.choices)
    set_up_by = models.CharField(_("set up by (department)"), max_length=100)
    basis = models.CharField(_("basis"), max_length=12, choices=MechanismBasis.choices)
    basis_reference = models.CharField(
        _("basis reference"),
        max_length=300,
        blank=True,
        help_text=_("Document and clause, or approval number."),
    )
    provides_staff = models.CharField(_("who provides the people"), max_length=200, blank=True)
    provides_funding = models.CharField(_("who provides the money"), max_length=200, blank=True)
    is_new = models.BooleanField(_("newly requested"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MechanismStatus.choices, default=MechanismStatus.ACTIVE
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # The province-level request to the gate that a new mechanism waits on.
    access_request = models.ForeignKey(
        "gate.AccessRequest",
        verbose_name=_("provincial request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cleanup = models.CharField(_("clean-up"), max_length=10, choices=Cleanup.choices, blank=True)
    cleanup_reason = models.CharField(_("clean-up reason"), max_length=300, blank=True)
    merged_into = models.CharField(_("merged into"), max_length=120, blank=True)
    cleaned_on = models.DateField(_("cleaned up on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = MechanismQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working mechanism")
        verbose_name_plural = _("working mechanisms")
        ordering = ["village_id", "name"]

    def __str__(self) -> str:
        return self.name


class PlaqueImportJobQuerySet(ScopedQuerySet):
    """Scoped by the township that imports; only its staff upload and confirm."""

    write_roles = {"add": TOWNSHIP_WRITERS, "change": TOWNSHIP_WRITERS}


class PlaqueImportJob(ImportJobBase):
    """One spreadsheet of village plaques, checked first and written only when confirmed."""

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="plaque-imports/%Y/%m/")

    objects = PlaqueImportJobQuerySet.as_manager()

    class Meta(ImportJobBase.Meta):
        verbose_name = _("plaque import")
        verbose_name_plural = _("plaque imports")
