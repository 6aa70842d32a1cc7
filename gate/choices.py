"""Statuses and kinds of the access gate (准入机制)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.models import register_kinds


class VillageRole(models.TextChoices):
    """What the village is asked to be in the task (seed 000 §2, seed 003 §2(1)1)."""

    RESPONSIBLE = "responsible", _("responsible subject")
    ASSIST = "assist", _("assists a department that stays responsible")
    INFORM = "inform", _("only passes information on")


class ScopeKind(models.TextChoices):
    COUNTY = "county", _("whole county")
    TOWNSHIPS = "townships", _("chosen townships")
    VILLAGES = "villages", _("chosen villages")


class Frequency(models.TextChoices):
    ONCE = "once", _("once")
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    YEARLY = "yearly", _("yearly")
    STANDING = "standing", _("standing (ongoing)")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    BLOCKED = "blocked", _("blocked by the negative list")
    IN_REVIEW = "in_review", _("in joint review")
    AWAITING_DECISION = "awaiting_decision", _("awaiting county decision")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    RETURNED = "returned", _("returned for revision")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPIRED = "expired", _("expired")


# A submitter may edit (and submit again) only these.
EDITABLE_STATUSES = {RequestStatus.DRAFT, RequestStatus.RETURNED, RequestStatus.BLOCKED}
# Still on its way through the gate: may be withdrawn.
OPEN_STATUSES = {RequestStatus.IN_REVIEW, RequestStatus.AWAITING_DECISION}
# Shown on the county's public page with the decision and its reason.
PUBLIC_STATUSES = {RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.EXPIRED}


class Verdict(models.TextChoices):
    BLOCK = "block", _("blocked: negative list, village responsible")
    FLAG = "flag", _("flagged: touches the negative list")
    LISTED = "listed", _("already on the county's lists")
    REVIEW = "review", _("new work: joint review")


class Opinion(models.TextChoices):
    AGREE = "agree", _("agree")
    DISAGREE = "disagree", _("disagree")
    CONDITIONAL = "conditional", _("agree with conditions")


class Outcome(models.TextChoices):
    APPROVE = "approve", _("approve")
    REJECT = "reject", _("reject")
    RETURN = "return", _("return for revision")


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("request submitted")
    REVIEW_NEEDED = "review_needed", _("review needed")
    DECISION_NEEDED = "decision_needed", _("decision needed")
    DECIDED = "decided", _("request decided")
    BLOCKED = "blocked", _("request blocked")
    WITHDRAWN = "withdrawn", _("request withdrawn")
    DISPATCHED = "dispatched", _("tasks dispatched")
    REMINDER = "reminder", _("deadline reminder")
    ESCALATION = "escalation", _("deadline passed")
    RENEWAL = "renewal", _("approval about to expire")


register_kinds(NotificationKind)
