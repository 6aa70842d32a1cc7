"""Statuses and kinds of the access gate (准入机制)."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from divisions.models import Level
from notifications.models import register_kinds
from organisations.choices import REVIEWING_KINDS, Role


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


class RequestLevel(models.TextChoices):
    """Where a request is decided: one engine, configured per level in ``LEVEL_RULES``."""

    COUNTY = "county", _("county: a task for villages")
    PROVINCE = "province", _("province: a new village working mechanism or dedicated post")


@dataclass(frozen=True)
class LevelRules:
    """Who decides a request of one level, and what its approval allows."""

    division_level: int  # the level of the division the request is filed to
    review_kinds: tuple[str, ...]  # departments that review it jointly; none: straight to the decision
    reviewer_role: str
    approver_role: str
    dispatches: bool  # whether its approval may send tasks to villages
    source: str


LEVEL_RULES: dict[str, LevelRules] = {
    # Seed 000 §2, seed 002 §3(1): reviewed by the organisation, civil-affairs and
    # agriculture departments, approved by the county Party committee and government.
    RequestLevel.COUNTY: LevelRules(
        division_level=Level.COUNTY,
        review_kinds=tuple(REVIEWING_KINDS),
        reviewer_role=Role.COUNTY_REVIEWER,
        approver_role=Role.COUNTY_APPROVER,
        dispatches=True,
        source="seed 000 §2; seed 002 §3(1)",
    ),
    # Seed 000 §6, seed 002 §3(6): "未经省委、省政府同意，党政群机构不得新设村级工作机制，
    # 不得要求专人专岗". The seeds name no provincial joint review (缺依据 for one), so
    # the province's admin records the province's decision after screening; the
    # approval creates a mechanism, never a village task.
    RequestLevel.PROVINCE: LevelRules(
        division_level=Level.PROVINCE,
        review_kinds=(),
        reviewer_role=Role.COUNTY_REVIEWER,
        approver_role=Role.PROVINCIAL_ADMIN,
        dispatches=False,
        source="seed 000 §6; seed 002 §3(6)",
    ),
}


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
