"""The annual forms plan (表格填报, seed 000 §5, seed 002 §3(3)).

"旗县党委和政府要整合党政群机构要求村级组织填报的各类表格，每年年初统一交由苏木乡镇
安排村级组织按规定频次填报。未经旗县党委和政府统一部署，党政群机构不得要求村级组织
填报表格、提供材料。"

- Departments register the forms they want villages to fill (``PlanForm``,
  with its ``FormField``s) into the county's plan for a year while it is a draft.
- The county merges duplicate fields and forms (the merged row keeps what it
  was merged into), and a county approver approves the plan with a reason
  (``PlanDecision``). Approved, the plan is fixed for the year.
- Townships assign the approved plan's forms to their villages at the
  plan's frequency (``FormAssignment``).
- A form demanded of a village outside the approved plan is an
  ``UnplannedDemand``, counted against the demanding institution.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from divisions.scoping import CountyWideQuerySet, ScopedQuerySet
from organisations.choices import Role
from spreadsheets.models import ImportJobBase
from villageburden.decisions import DecisionBase
from villageburden.models import BaseModel

from .choices import DecisionOutcome, FieldKind, FormStatus, PlanStatus

# Who does what (DESIGN §2): departments register, the county integrates and
# approves, townships assign and record, monitors record what they see.
REGISTRANTS = {Role.DEPT_SUBMITTER}
INTEGRATORS = {Role.COUNTY_REVIEWER, Role.CATALOGUE_KEEPER, Role.COUNTY_APPROVER}
APPROVERS = {Role.COUNTY_APPROVER}
ASSIGNERS = {Role.TOWNSHIP_STAFF}
DEMAND_RECORDERS = {Role.TOWNSHIP_STAFF, Role.MONITOR}

MAX_FREQUENCY = 366  # fillings a year: at most daily
MAX_MINUTES = 24 * 60


class FormsPlanQuerySet(CountyWideQuerySet):
    write_roles = {"change": INTEGRATORS | REGISTRANTS, "approve": APPROVERS, "assign": ASSIGNERS}


class FormsPlan(BaseModel):
    """One county's forms plan for one year."""

    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = FormsPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("forms plan")
        verbose_name_plural = _("forms plans")
        ordering = ["-year", "county_id"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="formsplan_one_plan_a_year"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(approved_at__isnull=False),
                name="formsplan_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.year}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("formsplan:plan", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT


class PlanFormQuerySet(CountyWideQuerySet):
    write_roles = FormsPlanQuerySet.write_roles

    def active(self):
        return self.filter(status=FormStatus.ACTIVE)


class PlanForm(BaseModel):
    """A form a department wants villages to fill, registered in a year's plan."""

    plan = models.ForeignKey(
        FormsPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="forms"
    )
    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("form"), max_length=120)
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owner department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    frequency = models.PositiveSmallIntegerField(
        _("fillings a year"), validators=[MinValueValidator(1), MaxValueValidator(MAX_FREQUENCY)]
    )
    basis = models.TextField(_("legal or policy basis"), blank=True)
    basis_missing = models.BooleanField(
        _("basis to be supplied"),
        default=False,
        help_text=_("Flagged: the department cited no legal or policy basis for this form."),
    )
    minutes = models.PositiveSmallIntegerField(
        _("minutes per filling"), null=True, blank=True, validators=[MaxValueValidator(MAX_MINUTES)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FormStatus.choices, default=FormStatus.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = PlanFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("planned form")
        verbose_name_plural = _("planned forms")
        ordering = ["plan_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "owner", "name"],
                condition=models.Q(status="active"),
                name="formsplan_form_once_per_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(status="active", merged_into__isnull=True)
                | models.Q(status="merged", merged_into__isnull=False),
                name="formsplan_merged_names_target",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("formsplan:form", args=[self.pk])


class FormField(models.Model):
    """One field of a form; ``key`` is its normalised name (formsplan/fieldnames.py)."""

    form = models.ForeignKey(
        PlanForm, verbose_name=_("form"), on_delete=models.CASCADE, related_name="fields"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("field"), max_length=60)
    kind = models.CharField(_("type"), max_length=10, choices=FieldKind.choices, default=FieldKind.TEXT)
    key = models.CharField(_("normalised name"), max_length=60, db_index=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        ordering = ["form_id", "position", "id"]

    def __str__(self) -> str:
        return self.name


class PlanDecisionQuerySet(CountyWideQuerySet):
    scope_field = "plan__county"


class PlanDecision(DecisionBase):
    """The county's approval of a year's plan, with its reason (seed 004: reasoned, traceable)."""

    plan = models.ForeignKey(
        FormsPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=DecisionOutcome.choices)

    objects = PlanDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan decision")
        verbose_name_plural = _("plan decisions")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.outcome}"


class FormAssignmentQuerySet(ScopedQuerySet):
    scope_field = "village"
    write_roles = {"add": ASSIGNERS}


class FormAssignment(BaseModel):
    """A planned form a township gave one of its villages, at the plan's fixed frequency."""

    form = models.ForeignKey(
        PlanForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="assignments"
    )
    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    frequency = models.PositiveSmallIntegerField(_("fillings a year"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = FormAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("form assignment")
        verbose_name_plural = _("form assignments")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "village"], name="formsplan_assigned_once"),
        ]

    def __str__(self) -> str:
        return f"{self.form} → {self.village}"


class UnplannedDemandQuerySet(ScopedQuerySet):
    scope_field = "village"
    write_roles = {"add": DEMAND_RECORDERS}

    def standing(self) -> UnplannedDemandQuerySet:
        """The demands that count: not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class UnplannedDemand(BaseModel):
    """A form demanded of a village outside the approved plan; it counts against the institution."""

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    form_name = models.CharField(_("what was demanded"), max_length=120)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("demanded by"),
        on_delete=models.PROTECT,
        related_name="unplanned_forms",
    )
    demanded_on = models.DateField(_("demanded on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    # Set when another record holds the demand too (a monitor's report: "monitoring.report:12"):
    # that record's withdrawal or correction reaches this one through it.
    source_key = models.CharField(_("recorded from"), max_length=60, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = UnplannedDemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("unplanned form demand")
        verbose_name_plural = _("unplanned form demands")
        ordering = ["-demanded_on", "-id"]
        indexes = [models.Index(fields=["county", "demanded_on"], name="formsplan_unplanned_county")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True, withdrawal_reason="")
                | (models.Q(withdrawn_at__isnull=False) & ~models.Q(withdrawal_reason="")),
                name="formsplan_unplanned_withdrawn_with_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_name}（{self.institution}）"


class FormsImportJobQuerySet(ScopedQuerySet):
    write_roles = {"add": REGISTRANTS | INTEGRATORS, "change": REGISTRANTS | INTEGRATORS}


class FormsImportJob(ImportJobBase):
    """One spreadsheet of forms imported into a draft plan (the shared checked import)."""

    plan = models.ForeignKey(
        FormsPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="imports"
    )
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="formsplan-imports/%Y/%m/")

    objects = FormsImportJobQuerySet.as_manager()

    class Meta(ImportJobBase.Meta):
        verbose_name = _("forms import")
        verbose_name_plural = _("forms imports")
