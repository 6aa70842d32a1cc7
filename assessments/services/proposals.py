"""Adding an assessment to, or cancelling one from, a published assessment items list: dynamic management.

"确需新增或取消的...严格执行事前协商、评估审核、审定批准程序后，动态纳入清单管理"
(seed 001, 实行动态管理); seed 002 §1: 实行村级组织工作事务清单动态管理. The
procedure is the catalogue's, shared (``listchanges``): a proposal with its
reason → consultation → assessment and review → the county's approval with its
reason (or a rejection), written into the list's draft and in force when that
draft is published as the next version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from listchanges import procedure
from villageburden import versioning

from ..choices import ItemStatus
from ..models import AssessmentChangeProposal, AssessmentList, AssessmentListVersion
from .lists import ITEM_FIELDS, item_clean, item_write

if TYPE_CHECKING:
    from organisations.models import User


class AssessmentListProcedure(procedure.ListProcedure):
    app = "assessments"
    proposal_model = AssessmentChangeProposal
    list_field = "assessment_list"

    def clean_add(self, owner, data: dict[str, Any], item_code: str, source: str) -> dict[str, Any]:
        values = item_clean({**data, "code": data.get("code") or item_code, "status": ItemStatus.ACTIVE})
        values["source"] = values["source"] or source
        if values["hours_per_occurrence"] is not None:
            values["hours_per_occurrence"] = str(values["hours_per_occurrence"])
        return {k: values[k] for k in ITEM_FIELDS if k != "status"}

    def item_in_force_or_draft(self, owner, code: str):
        versions = owner.versions.all()
        version = versions.filter(status="draft").first() or versioning.latest_published(versions)
        return version.items.filter(code=code).first() if version is not None else None

    def open_draft(self, owner, user):
        # The approver decides (the procedure checked the role); the draft is the list's.
        draft = versioning.draft_open(owner, user=user, event="assessments.draft_create", fields=ITEM_FIELDS)
        return versioning.lock_draft(
            AssessmentListVersion.objects.select_related("assessment_list"), draft.pk
        )

    def apply_add(self, draft, proposal, user) -> str:
        data = {**proposal.item_data, "status": ItemStatus.ACTIVE}
        return item_write(version=draft, data=data, user=user, published_rule=False).code

    def apply_cancel(self, draft, proposal, user) -> None:
        item = draft.items.select_for_update().filter(code=proposal.item_code).first()
        if item is None or item.status != ItemStatus.ACTIVE:
            raise ValidationError(_("The item to cancel is no longer active in the draft."))
        values = {f: getattr(item, f) for f in ITEM_FIELDS}
        item_write(
            version=draft,
            data={**values, "status": ItemStatus.CANCELLED},
            user=user,
            item=item,
            published_rule=False,
        )


PROCEDURE = AssessmentListProcedure()


def proposal_create(
    *,
    assessment_list: AssessmentList,
    action: str,
    proposed_by: User,
    reason: str,
    item_data: dict | None = None,
    item_code: str = "",
    source: str = "",
) -> AssessmentChangeProposal:
    """Propose to add an assessment to the published list, or to cancel one, with the reason."""
    return cast(
        AssessmentChangeProposal,
        procedure.proposal_create(
            procedure=PROCEDURE,
            owner=assessment_list,
            action=action,
            item_data=item_data or {},
            proposed_by=proposed_by,
            reason=reason,
            item_code=item_code,
            source=source,
        ),
    )


def proposal_step(*, proposal: AssessmentChangeProposal, step: str, user: User, opinion: str):
    """Take the next step: ``consult``, ``assess``, ``approve`` (with the reason) or ``reject`` (with the reason)."""
    if step not in procedure.STEPS:
        raise ValidationError({"step": _("Unknown step.")})
    return procedure.STEPS[step](procedure=PROCEDURE, proposal=proposal, user=user, opinion=opinion)
