"""Statuses and kinds of the ledgers, the task-division table and the periodic reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.models import register_kinds


class PlanStatus(models.TextChoices):
    """Where one task of the county's work plan stands (任务分工一览表)."""

    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    ONGOING = "ongoing", _("standing task (长期坚持)")


OPEN_PLAN_STATUSES = {PlanStatus.NOT_STARTED, PlanStatus.IN_PROGRESS}


class ReportKind(models.TextChoices):
    """The two reports of seed 004 annex 1: 周报告、月小结."""

    WEEKLY = "weekly", _("weekly report")
    MONTHLY = "monthly", _("monthly summary")


class NotificationKind(models.TextChoices):
    REPORT_READY = "report_ready", _("report ready")
    PLAN_REMINDER = "plan_reminder", _("work-plan task due")
    PLAN_OVERDUE = "plan_overdue", _("work-plan task overdue")


register_kinds(NotificationKind)
