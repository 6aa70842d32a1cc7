"""Kinds and states of the assessment items list, the township's integrated assessment and its survey."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from divisions.models import SettlementKind


class AppliesTo(models.TextChoices):
    """Who a list governs (seed 002, end: communities follow the same rules, 参照执行)."""

    VILLAGES = "villages", _("villages")
    COMMUNITIES = "communities", _("urban communities")
    BOTH = "both", _("villages and communities")


def applies_to_for(settlement_kind: str) -> str:
    """The list a village-level division is governed by: a community's or a village's."""
    return AppliesTo.COMMUNITIES if settlement_kind == SettlementKind.COMMUNITY else AppliesTo.VILLAGES


class AssessmentKind(models.TextChoices):
    """What seed 004 task 13 asks every county to list: 面向村(社区)考核和"一票否决"事项."""

    ASSESSMENT = "assessment", _("assessment (考核)")
    EVALUATION = "evaluation", _("evaluation (评比)")
    RANKING = "ranking", _("ranking (排名)")
    VETO = "veto", _("one-vote veto (一票否决)")


class Frequency(models.TextChoices):
    YEARLY = "yearly", _("once a year")
    HALF_YEARLY = "half_yearly", _("twice a year")
    QUARTERLY = "quarterly", _("quarterly")
    MONTHLY = "monthly", _("monthly")
    ONCE = "once", _("once")


# Occurrences a year, for the burden account (Standard Cost Model: time × occurrences).
PER_YEAR = {
    Frequency.YEARLY: 1,
    Frequency.HALF_YEARLY: 2,
    Frequency.QUARTERLY: 4,
    Frequency.MONTHLY: 12,
    Frequency.ONCE: 1,
}

KIND_CODE_PREFIX = {
    AssessmentKind.ASSESSMENT: "KH",
    AssessmentKind.EVALUATION: "PB",
    AssessmentKind.RANKING: "PM",
    AssessmentKind.VETO: "FJ",
}


class ItemStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    CANCELLED = "cancelled", _("cancelled")


class PlanStatus(models.TextChoices):
    """The township's integrated assessment of a year: defined, reviewed by the county, scored, published."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted to the county")
    RETURNED = "returned", _("returned by the county")
    APPROVED = "approved", _("approved by the county")
    PUBLISHED = "published", _("results published")


class DecisionOutcome(models.TextChoices):
    APPROVE = "approve", _("approved")
    RETURN = "return", _("returned")


class SurveyStatus(models.TextChoices):
    OPEN = "open", _("open for answers")
    CLOSED = "closed", _("closed")
