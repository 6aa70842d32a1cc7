"""Assessments placed on villages (考核评比), the township's integrated assessment and the villagers' survey.

- The **assessment items list** (考核评比项目清单) is versioned like the work-affairs
  catalogue and the certificate lists (villageburden/versioning.py): a province keeps
  guidance, each county its own; a list says whom it governs (villages,
  communities or both), so the community comprehensive assessment items list
  (社区综合考核评比项目清单, seed 002 end) is the same list for communities.
- The **integrated assessment** (综合考评, seed 004 task 13: "明确每年由乡镇统一对村
  (社区)进行综合考评"): one per township and year, with weighted criteria, reviewed
  by the county, scored per village, results published.
- The **survey**: villagers' satisfaction as the main measure ("以群众满意度为主要衡量
  标准", seed 004 task 13). Only tallies are kept, never a respondent's answers: a
  ballot records that a phone (as a keyed hash) has answered, the tallies count
  answers per question and value, and nothing links one to the other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from divisions.scoping import ScopedQuerySet
from listchanges.models import ChangeProposalBase, ProposalStepBase, proposal_constraints
from organisations.choices import Role
from spreadsheets.models import ListImportJobBase
from villageburden import versioning
from villageburden.decisions import DecisionBase
from villageburden.models import BaseModel
from villageburden.versioning import PublishedVersion

from .choices import (
    AppliesTo,
    AssessmentKind,
    DecisionOutcome,
    Frequency,
    ItemStatus,
    PlanStatus,
    SurveyStatus,
)

# The township defines and scores its assessment (seed 002 §(五): 以乡镇（街道）为单位，
# 制定村级组织考核办法和考核标准); the county reviews it.
TOWNSHIP_ROLES = {Role.TOWNSHIP_STAFF}
COUNTY_REVIEWERS = {Role.COUNTY_REVIEWER, Role.COUNTY_APPROVER}


# --- the assessment items list --------------------------------------------------------------


class AssessmentListQuerySet(versioning.ListQuerySet):
    """Assessment items lists (the shared rules: ``villageburden.versioning``)."""


class AssessmentList(BaseModel):
    """The assessment items list of one province (guidance) or one county, for villages, communities or both."""

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    applies_to = models.CharField(
        _("applies to"), max_length=12, choices=AppliesTo.choices, default=AppliesTo.VILLAGES
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

    objects = AssessmentListQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment items list")
        verbose_name_plural = _("assessment items lists")
        ordering = ["division_id", "applies_to"]
        constraints = [
            models.UniqueConstraint(fields=["division", "applies_to"], name="assess_list_per_kind"),
            models.CheckConstraint(
                condition=models.Q(applies_to__in=AppliesTo.values), name="assess_list_applies_to"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessments:list", args=[self.division_id[:6], self.applies_to])


class AssessmentListVersionQuerySet(versioning.ListVersionQuerySet):
    scope_field = "assessment_list__division"
    level_field = "assessment_list__division__level"


class AssessmentListVersion(PublishedVersion):
    """One edition of an assessment items list."""

    assessment_list = models.ForeignKey(
        AssessmentList,
        verbose_name=_("assessment items list"),
        on_delete=models.PROTECT,
        related_name="versions",
    )

    objects = AssessmentListVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment list version")
        verbose_name_plural = _("assessment list versions")
        ordering = ["assessment_list_id", "-number"]
        constraints = versioning.version_constraints("assessment_list", "assess")

    def __str__(self) -> str:
        return f"{self.assessment_list} v{self.number} ({self.get_status_display()})"


class AssessmentItemQuerySet(versioning.ListItemQuerySet):
    """Assessments of the lists' versions (the shared rules: ``villageburden.versioning``)."""


class AssessmentItem(versioning.FrozenWhenPublished, BaseModel):
    """One assessment, evaluation, ranking or one-vote veto aimed at villages (seed 004 task 13)."""

    version = models.ForeignKey(
        AssessmentListVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="items"
    )
    # Denormalised from version.assessment_list for scoping by code range.
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("code"), max_length=20)
    kind = models.CharField(_("kind"), max_length=12, choices=AssessmentKind.choices)
    name = models.CharField(_("name"), max_length=200)
    common_names = models.TextField(
        _("common names"),
        blank=True,
        help_text=_("How villages and departments say it, separated by 、 or commas."),
    )
    owner = models.CharField(_("owner department"), max_length=200)
    basis = models.TextField(_("basis"), blank=True)
    basis_missing = models.BooleanField(
        _("basis to be supplied"),
        default=False,
        help_text=_("Flagged: no basis is cited in the policy texts for this assessment yet."),
    )
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices)
    measures = models.TextField(_("what it measures"))
    hours_per_occurrence = models.DecimalField(
        _("village hours per occurrence"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_(
            "Time a village spends on it each time; left empty, the burden account uses its default."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.ACTIVE
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

    objects = AssessmentItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["version_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="assess_item_code_per_version"),
            models.CheckConstraint(
                condition=~models.Q(basis="") | models.Q(basis_missing=True), name="assess_item_basis_or_flag"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def names(self) -> list[str]:
        import re

        return [self.name, *[n.strip() for n in re.split(r"[、,，;；\n]", self.common_names) if n.strip()]]


class AssessmentChangeProposal(ChangeProposalBase):
    """A proposal to add an assessment to, or cancel one from, a published assessment items list.

    Items are "added or cancelled only through the catalogue's dynamic-management
    procedure" (seed 001: 确需新增或取消的...严格执行事前协商、评估审核、审定批准程序后，
    动态纳入清单管理): the shared one, ``listchanges``.
    """

    assessment_list = models.ForeignKey(
        AssessmentList,
        verbose_name=_("assessment items list"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    applied_version = models.ForeignKey(
        AssessmentListVersion,
        verbose_name=_("applied to version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    url_name = "assessments:proposal"

    class Meta(ChangeProposalBase.Meta):
        verbose_name = _("assessment list change proposal")
        verbose_name_plural = _("assessment list change proposals")
        constraints = proposal_constraints("assess_proposal")


class AssessmentProposalStep(ProposalStepBase):
    proposal = models.ForeignKey(
        AssessmentChangeProposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="steps"
    )

    class Meta(ProposalStepBase.Meta):
        pass


class AssessmentImportJob(ListImportJobBase):
    """One spreadsheet import into an assessment items list's draft (``spreadsheets.lists``)."""

    assessment_list = models.ForeignKey(
        AssessmentList,
        verbose_name=_("assessment items list"),
        on_delete=models.CASCADE,
        related_name="imports",
    )
    file = models.FileField(_("file"), upload_to="assessment-imports/%Y/%m/")

    class Meta(ListImportJobBase.Meta):
        pass


# --- the township's integrated assessment ------------------------------------------------------


class IntegratedAssessmentQuerySet(ScopedQuerySet):
    scope_field = "township"
    write_roles = {"change": TOWNSHIP_ROLES, "review": COUNTY_REVIEWERS}


class IntegratedAssessment(BaseModel):
    """A township's one integrated assessment of its villages for a year (综合考评, seed 004 task 13)."""

    township = models.ForeignKey(
        "divisions.Division", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    method = models.TextField(
        _("method"), help_text=_("How the township assesses: when, by whom, how scores are given.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    objects = IntegratedAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("integrated assessment")
        verbose_name_plural = _("integrated assessments")
        ordering = ["-year", "township_id"]
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="assess_one_per_township_year"),
            models.CheckConstraint(
                condition=models.Q(status__in=PlanStatus.values), name="assess_plan_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township.name} {self.year}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessments:plan", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


class Criterion(BaseModel):
    """One criterion of an integrated assessment, with its weight (weights of an assessment sum to 100)."""

    assessment = models.ForeignKey(
        IntegratedAssessment,
        verbose_name=_("integrated assessment"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("criterion"), max_length=200)
    measures = models.TextField(_("what it measures"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    # The criterion fed by the villagers' survey (its scores are the survey's figure, never typed in).
    is_satisfaction = models.BooleanField(_("villagers' satisfaction (from the survey)"), default=False)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["assessment_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=100), name="assess_criterion_weight_range"
            ),
            models.UniqueConstraint(
                fields=["assessment"],
                condition=models.Q(is_satisfaction=True),
                name="assess_one_satisfaction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}%）"

    def warnings(self):
        from .traces import trace_warnings

        return [] if self.is_satisfaction else trace_warnings(self.name, self.measures)


class AssessmentDecision(DecisionBase):
    """The county's review of a township's method and criteria: approved, or returned with the reason."""

    assessment = models.ForeignKey(
        IntegratedAssessment,
        verbose_name=_("integrated assessment"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )

    class Meta:
        verbose_name = _("assessment decision")
        verbose_name_plural = _("assessment decisions")
        ordering = ["assessment_id", "-created"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=DecisionOutcome.values), name="assess_decision_outcome"
            )
        ]


class Score(BaseModel):
    """A village's score (0–100) on one criterion."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("scored by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "village"], name="assess_score_once"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=100), name="assess_score_range"
            ),
        ]


# --- the villagers' survey ------------------------------------------------------------------


class SurveyQuestion(BaseModel):
    """A question of the township's survey, answered on a scale of 1 (very dissatisfied) to 5 (very satisfied)."""

    assessment = models.ForeignKey(
        IntegratedAssessment,
        verbose_name=_("integrated assessment"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=200)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["assessment_id", "order", "id"]


class SurveyQuerySet(ScopedQuerySet):
    scope_field = "village"
    write_roles = {"change": TOWNSHIP_ROLES}


class Survey(BaseModel):
    """The satisfaction survey of one village in one integrated assessment; public, no login."""

    assessment = models.ForeignKey(
        IntegratedAssessment,
        verbose_name=_("integrated assessment"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.OPEN
    )
    closes_on = models.DateField(_("closes on"))

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["assessment_id", "village_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "village"], name="assess_survey_per_village")
        ]

    def __str__(self) -> str:
        return f"{self.village.name} {self.assessment.year}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessments:survey", args=[self.pk])


class PhoneCode(models.Model):
    """A one-time code sent to a phone for one survey: single use, expiring, a few attempts.

    The phone is kept only as a keyed hash (``phone_hash``), the code only as a
    keyed hash too; ``token`` is the random handle the answer page carries.
    """

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=43, unique=True)
    phone_hash = models.CharField(max_length=64, db_index=True)
    ip_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.token[:6]}…"


class Ballot(models.Model):
    """That a phone has answered a survey (one ballot per phone and survey). Holds no answers and no time."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="ballots"
    )
    phone_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["survey", "phone_hash"], name="assess_one_ballot_per_phone")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.phone_hash[:8]}…"


class Tally(models.Model):
    """How many respondents gave one value to one question of a village's survey (no row per respondent)."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="tallies"
    )
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.PositiveSmallIntegerField(_("value"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(fields=["survey", "question", "value"], name="assess_tally_cell"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="assess_tally_value"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}={self.value}: {self.count}"
