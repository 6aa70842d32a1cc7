from django.db import models
from django.utils.translation import gettext_lazy as _

from listchanges.choices import ProposalAction as _ProposalAction
from listchanges.choices import ProposalStatus as _ProposalStatus
from listchanges.choices import ProposalStep as _ProposalStep
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


# Dynamic management (动态管理) is shared by every list that keeps it (listchanges).
ProposalAction = _ProposalAction
ProposalStatus = _ProposalStatus
ProposalStep = _ProposalStep


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
