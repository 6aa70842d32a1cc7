"""The steps and states of dynamic management (seed 001: 事前协商、评估审核、审定批准)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.models import register_kinds


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


# A proposal still under way (neither approved nor rejected).
OPEN = (ProposalStatus.PROPOSED, ProposalStatus.CONSULTED, ProposalStatus.ASSESSED)


class ProposalStep(models.TextChoices):
    PROPOSAL = "proposal", _("proposal")
    CONSULTATION = "consultation", _("consultation")
    ASSESSMENT = "assessment", _("assessment and review")
    APPROVAL = "approval", _("approval")
    REJECTION = "rejection", _("rejection")


class NotificationKind(models.TextChoices):
    PROPOSAL_NEXT_STEP = "listchanges.next_step", _("a list change proposal awaits your step")
    PROPOSAL_DECIDED = "listchanges.decided", _("your list change proposal was decided")


register_kinds(NotificationKind)
