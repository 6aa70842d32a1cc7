"""The county's task-division table (its own burden-reduction work plan) and its periodic reports.

Seed 004 annex 1 asks the county's working team (工作专班) to keep a task-division
table (任务分工一览表: task, measure, lead unit, responsible units, deadline) and
to report weekly and monthly (周报告、月小结). The table lives here with its
progress; the reports are generated from the records of the neighbouring apps.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from divisions.scoping import ScopedQuerySet
from organisations.choices import Role
from spreadsheets.models import ImportJobBase
from villageburden.models import BaseModel

from .choices import PlanStatus, ReportKind

# The county's working team keeps the table: the county leadership's approver and
# the civil-affairs keeper (seed 004 annex 1: the rural team sits in the county's 民政局).
PLAN_KEEPERS = {Role.COUNTY_APPROVER, Role.CATALOGUE_KEEPER}
# Who reads the plan and the reports: the county's leadership, reviewers, keeper, auditor, the province.
READERS = PLAN_KEEPERS | {Role.COUNTY_REVIEWER, Role.AUDITOR, Role.PROVINCIAL_ADMIN}


class ReadersQuerySet(ScopedQuerySet):
    """Scoped by the county; seen only by the roles in ``READERS`` (never by a department or a portal)."""

    write_roles = {"add": PLAN_KEEPERS, "change": PLAN_KEEPERS, "delete": PLAN_KEEPERS}

    def restrict(self, user, action: str = "view"):
        qs = super().restrict(user, action)
        if getattr(user, "is_authenticated", False) and not user.is_superuser and user.role not in READERS:
            return qs.none()
        return qs


class PlanTask(BaseModel):
    """One row of a county's task-division table (任务分工一览表, seed 004 annex 1)."""

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("no."))
    task = models.CharField(_("task"), max_length=100)
    measure = models.TextField(_("measure"))
    lead_units = models.CharField(_("lead unit"), max_length=300)
    responsible_units = models.CharField(_("responsible units"), max_length=500, blank=True)
    deadline_text = models.CharField(
        _("deadline as written"),
        max_length=40,
        blank=True,
        help_text=_("As the plan words it, e.g. 8月上旬 or 长期坚持."),
    )
    deadline = models.DateField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("The date it is due; empty for a standing task or where the plan gives no date."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.NOT_STARTED
    )
    progress = models.TextField(_("progress notes"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ReadersQuerySet.as_manager()

    class Meta:
        verbose_name = _("work-plan task")
        verbose_name_plural = _("work-plan tasks")
        ordering = ["division_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["division", "number"], name="reports_plan_task_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.task}"


class PlanImportJob(ImportJobBase):
    """A spreadsheet of the task-division table, checked before it is written (spreadsheets/)."""

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="plan-imports/%Y/%m/")

    objects = ReadersQuerySet.as_manager()

    class Meta(ImportJobBase.Meta):
        verbose_name = _("work-plan import")
        verbose_name_plural = _("work-plan imports")


class Report(BaseModel):
    """One weekly report or monthly summary of a county: a numbered PDF (documents/) and an .xlsx."""

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    figures = models.JSONField(_("figures"), default=list)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    xlsx = models.FileField(_("spreadsheet"), upload_to="reports/%Y/%m/", blank=True)
    emailed_at = models.DateTimeField(_("sent to subscribers at"), null=True, blank=True)

    objects = ReadersQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_end", "kind", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "kind", "period_start"], name="reports_one_report_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start}–{self.period_end}"  # type: ignore[attr-defined]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:detail", args=[self.pk])


class SubscriptionQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view"):
        """A subscription is its owner's alone."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self if user.is_superuser else self.filter(user=user)


class Subscription(BaseModel):
    """A reader who receives a county's weekly report or monthly summary by e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "division", "kind"], name="reports_one_subscription"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.division_id} · {self.kind}"


class LedgerJobQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view"):
        """A ledger built in the background is its requester's alone (its sheets follow their role)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self if user.is_superuser else self.filter(created_by=user)


class LedgerJob(BaseModel):
    """A ledger too large to write during the request: built by a worker, its progress shown, then downloaded."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("being written")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    division = models.ForeignKey(
        "divisions.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="+"
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    sheets = models.JSONField(_("sheets"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    sheets_done = models.PositiveSmallIntegerField(_("sheets written"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="ledgers/%Y/%m/", blank=True)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.CASCADE, related_name="+"
    )

    objects = LedgerJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger being built")
        verbose_name_plural = _("ledgers being built")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.division_id} {self.date_from}–{self.date_to} ({self.get_status_display()})"  # type: ignore[attr-defined]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(self.sheets_done * 100 / len(self.sheets))) if self.sheets else 0

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def filename(self) -> str:
        prefix = self.division_id.rstrip("0") or self.division_id
        return f"ledger-{prefix}-{self.date_from.isoformat()}-{self.date_to.isoformat()}.xlsx"
