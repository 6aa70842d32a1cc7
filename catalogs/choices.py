from django.db import models
from django.utils.translation import gettext_lazy as _

from spreadsheets.choices import ImportStatus as ImportStatus  # the shared import's states
from villageburden.versioning import VersionStatus as _VersionStatus


class ItemKind(models.TextChoices):
    """The three lists (seed 000 §2, seed 001, seed 002 §3(1))."""

    AUTONOMY = "autonomy", _("autonomy (duties by law)")
    ASSIST = "assist", _("assist")
    NEGATIVE = "negative", _("negative")


# Stable code prefixes (分类赋码, seed 004 §2(2)): ZZ-01, XZ-12, FM-03.
KIND_CODE_PREFIX: dict[str, str] = {ItemKind.AUTONOMY: "ZZ", ItemKind.ASSIST: "XZ", ItemKind.NEGATIVE: "FM"}


class ItemStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    CANCELLED = "cancelled", _("cancelled")
    NOT_APPLICABLE = "not_applicable", _("not applicable here")


# Shared by every versioned list (villageburden/versioning.py).
VersionStatus = _VersionStatus


class ProposalAction(models.TextChoices):
    """Dynamic management (动态管理): add an item to a list or cancel one (seed 001, seed 003 §3(2))."""

    ADD = "add", _("add an item")
    CANCEL = "cancel", _("cancel an item")


class ProposalStatus(models.TextChoices):
    """事前协商、评估审核、审定批准 (seed 001): each step is recorded."""

    PROPOSED = "proposed", _("proposed")
    CONSULTED = "consulted", _("consulted")
    ASSESSED = "assessed", _("assessed")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class ProposalStep(models.TextChoices):
    PROPOSAL = "proposal", _("proposal")
    CONSULTATION = "consultation", _("consultation")
    ASSESSMENT = "assessment", _("assessment and review")
    APPROVAL = "approval", _("approval")
    REJECTION = "rejection", _("rejection")


class AppliesTo(models.TextChoices):
    """Who a catalogue governs. Urban residents' committees follow the same rules
    ("参照执行") with their own community work items list (seed 002, end: 三张清单)."""

    VILLAGES = "villages", _("villages")
    COMMUNITIES = "communities", _("urban communities")
    BOTH = "both", _("villages and communities")


def applies_to_values(settlement_kind: str) -> list[str]:
    """The ``applies_to`` values of the catalogues that govern one settlement kind."""
    if settlement_kind == "community":
        return [AppliesTo.COMMUNITIES, AppliesTo.BOTH]
    return [AppliesTo.VILLAGES, AppliesTo.BOTH]
