"""Monitoring points, their monitors, and the burden reports monitors file from the village.

Seed 004 §2(5): 设立一批村(社区)负担情况监测点、监测员，定期收集基层负担情况，对随意向
基层摊派工作任务的单位加强通报整改. Seed 002 §4(3): the county collects 表格填报、机制牌子、
证明事项、迎检信息 regularly and corrects what burdens the villages.

Who sees what (``restrict``):

- a monitor: only the villages that are their monitoring points (``points_of``);
- the county's organisation department (its reviewers and submitters): the
  county's points and reports — they designate points and handle reports;
- provincial admins and auditors: their jurisdiction, read only;
- everyone else (townships, departments — the institutions reported on): nothing.

A report's reporter is stored so that they can follow it and be told the
outcome; it is shown only to the reporter and, unless the report is anonymous,
to the handlers. Nothing an institution can reach (the ranking, public notices,
exports) carries it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from divisions.scoping import ScopedQuerySet
from organisations.choices import OrgKind, Role
from villageburden.decisions import DecisionBase
from villageburden.models import BaseModel

from .choices import EvidenceKind, Finding, ReportKind, ReportStatus

# The county's organisation department handles reports and designates points
# (seed 004 §2(5): 牵头单位 县委组织部).
HANDLER_ROLES = {Role.COUNTY_REVIEWER, Role.DEPT_SUBMITTER}
# Read-only beyond the handlers: the province and the auditors.
READERS = {Role.PROVINCIAL_ADMIN, Role.AUDITOR}


def is_handler(user) -> bool:
    org = getattr(user, "organisation", None)
    return bool(
        user.is_authenticated
        and user.role in HANDLER_ROLES
        and org is not None
        and org.kind == OrgKind.ORGANISATION_DEPT
    )


class MonitoringQuerySet(ScopedQuerySet):
    """Monitors see their points' villages; handlers their county; readers their jurisdiction."""

    village_field = "village"

    def restrict(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.MONITOR:
            if action not in ("view", "add"):
                return self.none()
            villages = MonitorAssignment.objects.filter(monitor=user, active=True, point__active=True).values(
                "point__village_id"
            )
            return self.filter(**{f"{self.village_field}__in": villages})
        if is_handler(user) or (user.role in READERS and action == "view"):
            prefix = user.jurisdiction_prefix
            return self.in_subtree(prefix) if prefix else self.none()
        return self.none()


class PointQuerySet(MonitoringQuerySet):
    scope_field = "village"


class MonitoringPoint(BaseModel):
    """A village the county designated as a burden monitoring point (监测点)."""

    village = models.OneToOneField(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("designated by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = PointQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitoring point")
        verbose_name_plural = _("monitoring points")
        ordering = ["village_id"]

    def __str__(self) -> str:
        return str(self.village)


class AssignmentQuerySet(MonitoringQuerySet):
    scope_field = "point__village"
    village_field = "point__village"


class MonitorAssignment(BaseModel):
    """A monitor (监测员) designated for one monitoring point."""

    point = models.ForeignKey(
        MonitoringPoint,
        verbose_name=_("monitoring point"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    monitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("monitor"), on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("designated by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitor designation")
        verbose_name_plural = _("monitor designations")
        ordering = ["point_id", "id"]
        constraints = [models.UniqueConstraint(fields=["point", "monitor"], name="monitor_once_per_point")]

    def __str__(self) -> str:
        return f"{self.monitor} @ {self.point}"


class ReportQuerySet(MonitoringQuerySet):
    scope_field = "village"


class BurdenReport(BaseModel):
    """A burden a monitor saw placed on a village, naming the institution that placed it."""

    village = models.ForeignKey(
        "divisions.Division", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("what was placed on the village"), max_length=20, choices=ReportKind.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="burden_reports",
    )
    description = models.TextField(_("what was demanded"))
    seen_on = models.DateField(_("when"))
    hours = models.DecimalField(
        _("hours the village spent on it"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    # Inspections and visits (迎检): who came, how many, what they asked for.
    visitors = models.CharField(_("who came"), max_length=200, blank=True)
    visitor_count = models.PositiveIntegerField(_("how many people"), null=True, blank=True)
    asked = models.TextField(_("what was asked"), blank=True)
    # An unplanned form: its name as the village was given it.
    form_name = models.CharField(_("form"), max_length=200, blank=True)
    anonymous = models.BooleanField(_("anonymous to the institution"), default=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reporter"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    due_on = models.DateField(_("to be handled by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("burden report")
        verbose_name_plural = _("burden reports")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["county", "status"], name="report_county_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ReportKind.INSPECTION) | ~Q(visitors=""), name="inspection_names_visitors"
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.OPEN) | Q(closed_at__isnull=False), name="closed_report_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} · {self.institution}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("monitoring:report", args=[self.pk])

    def reporter_shown_to(self, user) -> bool:
        """The reporter is shown to themselves and, unless anonymous, to the handlers — to no one else."""
        if user.pk == self.reporter_id:
            return True
        return not self.anonymous and (user.is_superuser or is_handler(user))


class EvidenceQuerySet(MonitoringQuerySet):
    scope_field = "report__village"
    village_field = "report__village"


class Evidence(BaseModel):
    """A photo (re-encoded, EXIF dropped) or a document proving a report."""

    report = models.ForeignKey(
        BurdenReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to="monitoring/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=120)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["report_id", "id"]

    def __str__(self) -> str:
        return self.name


class ReportDecision(DecisionBase):
    """How the organisation department closed a report: substantiated or not, why, and the correction made."""

    report = models.OneToOneField(
        BurdenReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("finding"), max_length=13, choices=Finding.choices)
    correction = models.TextField(_("correction made"), blank=True)

    class Meta:
        verbose_name = _("report decision")
        verbose_name_plural = _("report decisions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=Finding.SUBSTANTIATED) | ~Q(correction=""),
                name="substantiated_names_correction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.get_outcome_display()}"
