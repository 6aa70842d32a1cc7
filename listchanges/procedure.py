"""The services of dynamic management, one set for every list that keeps it.

Each step is a typed, keyword-only function under ``transaction.atomic``: it
locks the proposal, checks the caller's role and jurisdiction and the
proposal's state inside the transaction, writes the step with its audit event
(``<app>.proposal_<step>``) and notifies whoever takes the next step. A list
says what differs in a :class:`ListProcedure` (how an item is checked, found,
added to and cancelled in its draft).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Level
from organisations.choices import Role
from villageburden.decisions import clean_reason
from villageburden.versioning import covers

from .choices import OPEN, NotificationKind, ProposalAction, ProposalStatus, ProposalStep
from .models import PROPOSERS, STEP_ROLES

if TYPE_CHECKING:
    from organisations.models import User

    from .models import ChangeProposalBase


class ListProcedure:
    """What one list tells the shared procedure. Subclass it once per list."""

    #: The audit events' prefix (``catalogs`` → ``catalogs.proposal_consultation``).
    app: str
    #: The concrete proposal model and the name of its foreign key to the list.
    proposal_model: type[models.Model]
    list_field: str
    #: An approval records a reason (decisions with reasons, villageburden/decisions.py).
    approval_needs_reason = True

    # --- the list's items -------------------------------------------------------

    def clean_add(self, owner, data: dict[str, Any], item_code: str, source: str) -> dict[str, Any]:
        """The proposed item's values as JSON (a ValidationError per field); ``code`` may be empty."""
        raise NotImplementedError

    def item_in_force_or_draft(self, owner, code: str):
        """The item of that code in the list's draft, else in its latest published version."""
        raise NotImplementedError

    def is_active(self, item) -> bool:
        return item.status == "active"

    def cancel_data(self, item) -> dict[str, Any]:
        return {"name": item.name, "kind": item.kind}

    def open_draft(self, owner, user: User):
        """The list's draft (opened as a copy of its latest published version), locked."""
        raise NotImplementedError

    def apply_add(self, draft, proposal, user: User) -> str:
        """Write the approved item into the draft; return its code."""
        raise NotImplementedError

    def apply_cancel(self, draft, proposal, user: User) -> None:
        """Cancel the item in the draft (a ValidationError if it is no longer active there)."""
        raise NotImplementedError

    # --- people and pages -------------------------------------------------------

    def approver_role(self, owner) -> str:
        """A county's lists are approved by the county Party committee and government (seed 000 §2);
        a province's guidance by the provincial admin."""
        return Role.PROVINCIAL_ADMIN if owner.division.level == Level.PROVINCE else Role.COUNTY_APPROVER

    def next_step_roles(self, status: str, owner) -> set[str]:
        if status == ProposalStatus.PROPOSED:
            return {Role.CATALOGUE_KEEPER, Role.COUNTY_REVIEWER, Role.PROVINCIAL_ADMIN}
        if status == ProposalStatus.CONSULTED:
            return {Role.COUNTY_REVIEWER, Role.CATALOGUE_KEEPER, Role.PROVINCIAL_ADMIN}
        if status == ProposalStatus.ASSESSED:
            return {self.approver_role(owner)}
        return set()

    def proposal_url(self, proposal) -> str:
        return proposal.get_absolute_url()

    # --- derived ----------------------------------------------------------------

    def owner_of(self, proposal):
        return getattr(proposal, self.list_field)

    @property
    def list_model(self) -> type[models.Model]:
        return self.proposal_model._meta.get_field(self.list_field).related_model  # type: ignore[return-value]


def _notify_next(procedure: ListProcedure, proposal, user: User) -> None:
    from notifications.services import notify
    from organisations.models import User as Users

    owner = procedure.owner_of(proposal)
    url = procedure.proposal_url(proposal)
    if proposal.status in (ProposalStatus.APPROVED, ProposalStatus.REJECTED):
        notify(
            [proposal.proposed_by],
            kind=NotificationKind.PROPOSAL_DECIDED,
            target=proposal,
            subject=_("%(proposal)s: %(status)s")
            % {"proposal": proposal, "status": proposal.get_status_display()},
            key=f"{proposal._meta.label_lower}-{proposal.pk}-{proposal.status}",
            url=url,
        )
        return
    roles = procedure.next_step_roles(proposal.status, owner)
    recipients = Users.objects.filter(
        role__in=roles, is_active=True, organisation__division_id=owner.division_id
    ).exclude(pk=user.pk)
    notify(
        recipients,
        kind=NotificationKind.PROPOSAL_NEXT_STEP,
        target=proposal,
        subject=_("%(list)s: %(proposal)s is %(status)s")
        % {"list": owner, "proposal": proposal, "status": proposal.get_status_display()},
        key=f"{proposal._meta.label_lower}-{proposal.pk}-{proposal.status}",
        url=url,
    )


def _step(procedure: ListProcedure, proposal, step: str, user: User, opinion: str) -> None:
    proposal.steps.create(step=step, actor=user, opinion=opinion.strip())
    record_event(
        user,
        f"{procedure.app}.proposal_{step}",
        obj=proposal,
        division=proposal.division_id,
        summary=opinion.strip()[:500],
        after={"status": proposal.status},
    )
    _notify_next(procedure, proposal, user)


@transaction.atomic
def proposal_create(
    *,
    procedure: ListProcedure,
    owner,
    action: str,
    item_data: dict,
    proposed_by: User,
    reason: str,
    item_code: str = "",
    source: str = "",
) -> ChangeProposalBase:
    """Start the procedure: propose to add an item to the list or to cancel one, with the reason."""
    owner = type(owner)._default_manager.select_for_update().select_related("division").get(pk=owner.pk)
    if not (proposed_by.is_superuser or proposed_by.role in PROPOSERS) or not covers(
        proposed_by, owner.division
    ):
        raise PermissionDenied(_("You may not propose changes to this list."))
    if action not in ProposalAction.values:
        raise ValidationError({"action": _("Propose to add or to cancel an item.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the list should change.")})
    item_code = (item_code or "").strip().upper()
    source = (source or "").strip()[:300]
    if action == ProposalAction.ADD:
        data = procedure.clean_add(owner, dict(item_data or {}), item_code, source)
        item_code = data.get("code") or ""
        if item_code and procedure.item_in_force_or_draft(owner, item_code) is not None:
            raise ValidationError(
                {"code": _("The code %(code)s is already used in this list.") % {"code": item_code}}
            )
    else:
        if not item_code:
            raise ValidationError({"item_code": _("Name the item to cancel.")})
        existing = procedure.item_in_force_or_draft(owner, item_code)
        if existing is None or not procedure.is_active(existing):
            raise ValidationError(
                {"item_code": _("No active item %(code)s in this list.") % {"code": item_code}}
            )
        data = procedure.cancel_data(existing)
    proposals = procedure.proposal_model._default_manager.filter(**{procedure.list_field: owner})
    if item_code and proposals.filter(action=action, status__in=OPEN, item_code=item_code).exists():
        raise ValidationError(_("A proposal for this item is already under way."))
    proposal = proposals.create(
        **{procedure.list_field: owner},
        division_id=owner.division_id,
        action=action,
        item_code=item_code,
        item_data=data,
        reason=reason.strip(),
        source=source,
        proposed_by=proposed_by,
    )
    _step(procedure, proposal, ProposalStep.PROPOSAL, proposed_by, reason)
    return proposal


def _lock(procedure: ListProcedure, proposal, user: User, action: str, expected: tuple[str, ...]):
    proposals = procedure.proposal_model._default_manager
    proposal = (
        proposals.select_for_update()
        .select_related(f"{procedure.list_field}__division", "proposed_by")
        .get(pk=proposal.pk)
    )
    if not proposals.restrict(user, action).filter(pk=proposal.pk).exists():  # type: ignore[attr-defined]
        raise PermissionDenied(_("You may not take this step."))
    if user.role == Role.PROVINCIAL_ADMIN and procedure.owner_of(proposal).division.level != Level.PROVINCE:
        # A province changes its guidance; a county's list is the county's to decide (seed 000 §2).
        raise PermissionDenied(_("You may not take this step."))
    if proposal.status not in expected:
        raise ValidationError(
            _("This proposal is %(status)s; that step is not possible now.")
            % {"status": proposal.get_status_display()}
        )
    return proposal


def _advance(procedure: ListProcedure, proposal, user: User, status: str, step: str, opinion: str):
    proposal.status = status
    proposal.save(update_fields=["status", "updated"])
    _step(procedure, proposal, step, user, opinion)
    return proposal


@transaction.atomic
def proposal_consult(*, procedure: ListProcedure, proposal, user: User, opinion: str):
    """事前协商: record the consultation (with the departments and villages concerned)."""
    proposal = _lock(procedure, proposal, user, "consult", (ProposalStatus.PROPOSED,))
    if not (opinion or "").strip():
        raise ValidationError({"opinion": _("Record what the consultation found.")})
    return _advance(procedure, proposal, user, ProposalStatus.CONSULTED, ProposalStep.CONSULTATION, opinion)


@transaction.atomic
def proposal_assess(*, procedure: ListProcedure, proposal, user: User, opinion: str):
    """评估审核: record the assessment and review."""
    proposal = _lock(procedure, proposal, user, "assess", (ProposalStatus.CONSULTED,))
    if not (opinion or "").strip():
        raise ValidationError({"opinion": _("Record the assessment.")})
    return _advance(procedure, proposal, user, ProposalStatus.ASSESSED, ProposalStep.ASSESSMENT, opinion)


@transaction.atomic
def proposal_approve(*, procedure: ListProcedure, proposal, user: User, opinion: str = ""):
    """审定批准: approve (by someone other than the proposer), and write the change into the list's draft.

    The change takes effect when the draft is published as the next version.
    """
    proposal = _lock(procedure, proposal, user, "approve", (ProposalStatus.ASSESSED,))
    owner = procedure.owner_of(proposal)
    if not user.is_superuser and user.role != procedure.approver_role(owner):
        raise PermissionDenied(_("You may not take this step."))
    if proposal.proposed_by_id == user.pk:
        raise PermissionDenied(_("A proposal is approved by someone other than its proposer."))
    if procedure.approval_needs_reason:
        opinion = clean_reason(opinion, field="opinion")
    draft = procedure.open_draft(owner, user)
    if proposal.action == ProposalAction.ADD:
        code = procedure.apply_add(draft, proposal, user)
        proposal.item_code = proposal.item_code or code
    else:
        procedure.apply_cancel(draft, proposal, user)
    proposal.status = ProposalStatus.APPROVED
    proposal.applied_version = draft
    proposal.save(update_fields=["status", "applied_version", "item_code", "updated"])
    _step(procedure, proposal, ProposalStep.APPROVAL, user, opinion or "")
    return proposal


@transaction.atomic
def proposal_reject(*, procedure: ListProcedure, proposal, user: User, opinion: str):
    proposal = _lock(procedure, proposal, user, "reject", OPEN)
    if not (opinion or "").strip():
        raise ValidationError({"opinion": _("Say why the proposal is rejected.")})
    return _advance(procedure, proposal, user, ProposalStatus.REJECTED, ProposalStep.REJECTION, opinion)


# The steps after the proposal, by the name a page or endpoint posts.
STEPS = {
    "consult": proposal_consult,
    "assess": proposal_assess,
    "approve": proposal_approve,
    "reject": proposal_reject,
}
assert set(STEPS) | {"add"} == set(STEP_ROLES)
