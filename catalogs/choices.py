from django.db import models
from django.utils.translation import gettext_lazy as _

from spreadsheets.choices import ImportStatus as ImportStatus  # the shared import's states


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


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


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
