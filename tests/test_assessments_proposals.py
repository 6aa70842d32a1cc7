"""Adding or cancelling an assessment on a published list goes through dynamic management (seed 001)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import selectors, services
from assessments.models import AssessmentChangeProposal
from audit.models import AuditEvent
from notifications.models import Notification

NEW = {
    "kind": "evaluation",
    "name": "美丽庭院示范村评比",
    "owner": "妇联",
    "frequency": "yearly",
    "measures": "庭院整治",
    "basis_missing": True,
}


def _through_review(world, proposal):
    services.proposal_step(
        proposal=proposal, step="consult", user=world.user("keeper"), opinion="已征求乡镇意见"
    )
    return services.proposal_step(
        proposal=proposal, step="assess", user=world.user("reviewer_org"), opinion="评估通过"
    )


def test_an_item_is_added_to_a_published_list_only_by_an_approved_proposal(world, assessment_list):
    keeper = world.user("keeper")
    draft = services.draft_get_or_create(assessment_list=assessment_list, user=keeper)
    with pytest.raises(ValidationError):
        services.item_save(version=draft, data=NEW, user=keeper)
    assert not draft.items.filter(name=NEW["name"]).exists()

    proposal = services.proposal_create(
        assessment_list=assessment_list,
        action="add",
        item_data=NEW,
        proposed_by=world.user("submitter"),
        reason="妇联申请新增年度评比",
    )
    # The county's keepers and reviewers are told a proposal awaits their step.
    assert Notification.objects.filter(user=keeper, target_id=str(proposal.pk)).exists()
    proposal = _through_review(world, proposal)
    with pytest.raises(ValidationError) as empty:
        services.proposal_step(proposal=proposal, step="approve", user=world.user("approver"), opinion=" ")
    assert "opinion" in empty.value.message_dict
    proposal = services.proposal_step(
        proposal=proposal, step="approve", user=world.user("approver"), opinion="同意列入清单"
    )
    assert proposal.status == "approved" and proposal.applied_version.status == "draft"
    item = proposal.applied_version.items.get(code=proposal.item_code)
    assert item.name == NEW["name"] and item.status == "active"
    assert [s.step for s in proposal.steps.all()] == ["proposal", "consultation", "assessment", "approval"]
    assert AuditEvent.objects.filter(
        action="assessments.proposal_approval", object_id=str(proposal.pk)
    ).exists()
    assert Notification.objects.filter(user=world.user("submitter"), kind="listchanges.decided").exists()
    # Not listed until the draft is published as the next version.
    assert not selectors.listed_assessment(world.county, NEW["name"]).listed

    with pytest.raises(ValidationError):  # deciding twice
        services.proposal_step(
            proposal=proposal, step="approve", user=world.user("approver"), opinion="再次同意"
        )
    assert proposal.steps.count() == 4


def test_cancelling_needs_an_active_item_a_reason_and_a_different_decider(world, assessment_list):
    code = assessment_list.versions.get().items.filter(status="active").first().code
    submitter = world.user("submitter")
    with pytest.raises(ValidationError) as no_reason:
        services.proposal_create(
            assessment_list=assessment_list, action="cancel", item_code=code, proposed_by=submitter, reason=""
        )
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError):
        services.proposal_create(
            assessment_list=assessment_list,
            action="cancel",
            item_code="KH-99",
            proposed_by=submitter,
            reason="x",
        )
    assert not AssessmentChangeProposal.objects.exists()
    proposal = services.proposal_create(
        assessment_list=assessment_list,
        action="cancel",
        item_code=code,
        proposed_by=submitter,
        reason="已整合",
    )
    with pytest.raises(PermissionDenied):
        services.proposal_step(proposal=proposal, step="consult", user=world.user("township"), opinion="x")
    _through_review(world, proposal)
    proposal = services.proposal_step(
        proposal=proposal, step="approve", user=world.user("approver"), opinion="同意取消"
    )
    assert proposal.applied_version.items.get(code=code).status == "cancelled"


def test_another_countys_keeper_cannot_propose(world, assessment_list):
    from organisations.choices import Role

    from . import factories as f

    outsider = f.UserFactory(role=Role.CATALOGUE_KEEPER, organisation=world.orgs["other_township"])
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            assessment_list=assessment_list, action="add", item_data=NEW, proposed_by=outsider, reason="x"
        )


def test_proposal_pages_in_chinese_with_errors_and_404s(login, world, assessment_list):
    url = "/assessments/lists/150223/villages/proposals/"
    submitter = login("submitter")
    bad = submitter.post(url, {"action": "add", **NEW, "basis_missing": "on", "reason": ""})
    assert bad.status_code == 200 and "请说明调整清单的理由" in bad.content.decode()
    assert not AssessmentChangeProposal.objects.exists()
    filed = submitter.post(url, {"action": "add", **NEW, "basis_missing": "on", "reason": "新增评比"})
    assert filed.status_code == 302, filed.content.decode()[:2000]
    proposal = AssessmentChangeProposal.objects.get()
    page = login("keeper").get(f"/assessments/proposals/{proposal.pk}/").content.decode()
    assert "美丽庭院示范村评比" in page and "记录事前协商" in page
    assert login("outsider").get(f"/assessments/proposals/{proposal.pk}/").status_code == 404
    assert login("outsider").post(url, {"action": "add", **NEW, "reason": "x"}).status_code == 404
    assert AssessmentChangeProposal.objects.count() == 1


def test_proposal_api(world, api, assessment_list):
    created = api.as_user("submitter").post(
        "/api/v1/assessment-proposals/",
        {"assessment_list": assessment_list.pk, "action": "add", "item_data": NEW, "reason": "新增"},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    empty = api.as_user("keeper").post(f"/api/v1/assessment-proposals/{pk}/consult/", {"opinion": ""})
    assert empty.status_code == 400 and "opinion" in empty.json()
    assert (
        api.as_user("outsider")
        .post(f"/api/v1/assessment-proposals/{pk}/consult/", {"opinion": "x"})
        .status_code
        == 404
    )
    other = api.as_user("outsider").post(
        "/api/v1/assessment-proposals/",
        {"assessment_list": assessment_list.pk, "action": "add", "item_data": NEW, "reason": "x"},
        format="json",
    )
    assert other.status_code == 404
    assert AssessmentChangeProposal.objects.count() == 1
