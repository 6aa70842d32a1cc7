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
from spreadsheets.models import ImportJobBase
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
    taken_up_at = models.DateTimeField(_("taken up at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("why it was withdrawn"), blank=True)

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
                condition=~Q(status=ReportStatus.CLOSED) | Q(closed_at__isnull=False),
                name="closed_report_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.WITHDRAWN)
                | Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason=""),
                name="withdrawn_report_dated_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} · {self.institution}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("monitoring:report", args=[self.pk])

    @property
    def editable(self) -> bool:
        """Its reporter may still edit or withdraw it: nobody has taken it up."""
        return self.status == ReportStatus.OPEN

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


class RevisionQuerySet(MonitoringQuerySet):
    scope_field = "report__village"
    village_field = "report__village"


class ReportRevision(BaseModel):
    """One edit of a report by its reporter before it was taken up: each field's value before and after.

    The department reads the history beside the report; like the report, it
    names the reporter only to those ``reporter_shown_to`` allows.
    """

    report = models.ForeignKey(
        BurdenReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="revisions"
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("edited by"), on_delete=models.PROTECT, related_name="+"
    )
    # [{"field": name, "before": text, "after": text}, ...] in the form's order.
    changes = models.JSONField(_("changes"), default=list)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        ordering = ["report_id", "created", "id"]

    def __str__(self) -> str:
        return f"#{self.report_id} · {self.created:%Y-%m-%d %H:%M}"


class MonitorContactQuerySet(ScopedQuerySet):
    """Monitors' contact details: the county's organisation department, the province and auditors (masked)."""

    scope_field = "county"

    def restrict(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.role == Role.MONITOR:
            return self.filter(monitor=user) if action == "view" else self.none()
        if is_handler(user) or (user.role in READERS and action == "view"):
            prefix = user.jurisdiction_prefix
            return self.in_subtree(prefix) if prefix else self.none()
        return self.none()


class MonitorContact(BaseModel):
    """A monitor's name and mobile number as the county recorded them.

    The number is personal data: kept encrypted (Fernet under the personal-data
    key) with a keyed hash for matching and a masked form for every screen
    without the need and every export — as the certificate register keeps ID
    numbers (``certificates/identity.py``). Only the county's organisation
    department and the monitor themself see it in full.
    """

    monitor = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("monitor"), on_delete=models.CASCADE, related_name="+"
    )
    county = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=60)
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, db_index=True, editable=False)
    phone_encrypted = models.TextField(_("phone (encrypted)"), editable=False)
    phone_masked = models.CharField(_("phone"), max_length=11, editable=False)

    objects = MonitorContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("monitor's contact details")
        verbose_name_plural = _("monitors' contact details")
        ordering = ["county_id", "name"]

    def __str__(self) -> str:
        return f"{self.name} {self.phone_masked}"

    def phone_shown_to(self, user) -> str:
        """The full number for the monitor and the county's organisation department; masked for everyone else."""
        from villageburden.personaldata import decrypt

        if (
            user.pk == self.monitor_id
            or user.is_superuser
            or (is_handler(user) and user.organisation.division_id == self.county_id)
        ):
            return decrypt(self.phone_encrypted)
        return self.phone_masked


class MonitoringImportJobQuerySet(ScopedQuerySet):
    """Only the county's organisation department imports points and monitors, and reads its imports."""

    def restrict(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if is_handler(user):
            prefix = user.jurisdiction_prefix
            return self.in_subtree(prefix) if prefix else self.none()
        return self.none()


class MonitoringImportJob(ImportJobBase):
    """One spreadsheet of monitoring points and their monitors, checked first and written only when confirmed."""

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="monitoring-imports/%Y/%m/")

    objects = MonitoringImportJobQuerySet.as_manager()

    class Meta(ImportJobBase.Meta):
        verbose_name = _("monitoring points import")
        verbose_name_plural = _("monitoring points imports")
