"""Kinds, states and outcomes of the monitoring points' burden reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.models import register_kinds


class ReportKind(models.TextChoices):
    """What a monitor saw placed on the village (issue 10; seed 000 §4–5, seed 002 §3(3–5), seed 004 §2(5))."""

    UNAPPROVED_TASK = "unapproved_task", _("a task without access approval")
    UNPLANNED_FORM = "unplanned_form", _("a form outside the annual plan")
    PLAQUE = "plaque", _("a plaque or working-mechanism demand")
    CERTIFICATE = "certificate", _("a certificate demand")
    INSPECTION = "inspection", _("an inspection or visit (迎检)")
    WORK_GROUP = "work_group", _("a WeChat work group or government app")
    PROOF = "proof", _("screenshots or photos demanded as proof (留痕)")
    ASSESSMENT = "assessment", _("a one-vote veto or ranking placed on the village")


class ReportStatus(models.TextChoices):
    """A report waits to be taken up; until then its reporter may edit or withdraw it."""

    OPEN = "open", _("waiting to be taken up")
    TAKEN_UP = "taken_up", _("taken up")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn by the reporter")


# A report still in the organisation department's hands (reminded, escalated, waiting).
HANDLING = (ReportStatus.OPEN, ReportStatus.TAKEN_UP)


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("substantiated")
    NOT_SUBSTANTIATED = "unfounded", _("not substantiated")


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("photo")
    FILE = "file", _("file")


class NotificationKind(models.TextChoices):
    REPORT_FILED = "burden_report", _("burden report filed")
    REPORT_REMINDER = "burden_report_due", _("burden report due")
    REPORT_ESCALATION = "burden_report_late", _("burden report overdue")
    REPORT_CLOSED = "burden_report_closed", _("burden report closed")
    REPORT_TAKEN_UP = "burden_report_taken", _("burden report taken up")
    REPORT_EDITED = "burden_report_edited", _("burden report edited by its reporter")
    REPORT_WITHDRAWN = "burden_report_withdrawn", _("burden report withdrawn by its reporter")


register_kinds(NotificationKind)
