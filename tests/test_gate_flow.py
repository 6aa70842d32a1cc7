"""The access request's life, and every way around the gate refused with no rows written."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from gate import services
from gate.choices import Opinion, Outcome, RequestStatus, TaskStatus, Verdict
from gate.exceptions import GateRefused, InvalidTransition, NotPermitted, StaleVersion
from gate.models import AccessRequest, Decision, ReviewOpinion, VillageTask
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_full_flow_from_draft_to_village_tasks(world, make_request):
    req = make_request("draft")
    assert req.status == RequestStatus.DRAFT and req.number.startswith("ZR150223-")
    req = services.access_request_submit(user=world.user("submitter"), request_id=req.pk)
    assert req.status == RequestStatus.IN_REVIEW
    assert req.verdict == Verdict.REVIEW and req.review_due > timezone.localdate()
    assert Notification.objects.about(req).filter(user=world.user("reviewer_org")).exists()
    for name in ("reviewer_org", "reviewer_civil"):
        services.access_request_review(
            user=world.user(name), request_id=req.pk, opinion="agree", reason="同意"
        )
    req.refresh_from_db()
    assert req.status == RequestStatus.IN_REVIEW
    services.access_request_review(
        user=world.user("reviewer_agri"),
        request_id=req.pk,
        opinion="conditional",
        reason="可以",
        conditions="费随事转",
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_DECISION and req.decision_due
    assert Notification.objects.about(req).filter(user=world.user("approver")).exists()
    services.access_request_decide(
        user=world.user("approver"), request_id=req.pk, outcome="approve", reason="同意"
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED and req.approved_until == req.ends_on
    result = services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    assert result.created == 3
    villages = set(VillageTask.objects.filter(access_request=req).values_list("village_id", flat=True))
    assert villages == {world.village_a1.code, world.village_a2.code, world.village_b1.code}
    # Dispatching again writes nothing new.
    again = services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    assert again.created == 0 and again.already == 3
    actions = set(AuditEvent.objects.filter(object_id=str(req.pk)).values_list("action", flat=True))
    assert {
        "gate.request.submit",
        "gate.request.review",
        "gate.request.approve",
        "gate.request.dispatch",
    } <= actions
    # Every version of the request has one history row (version 1 two: the create and its
    # number), a change ('~') by whoever made it, copied from the row as it then stood.
    req.refresh_from_db()
    history = list(req.history.order_by("history_date", "history_id"))
    assert Counter(h.version for h in history) == {1: 2, **{v: 1 for v in range(2, req.version + 1)}}
    by_version = {h.version: h for h in history}
    last = history[-1]
    assert last.history_type == "~" and last.status == RequestStatus.APPROVED
    assert last.updated == req.updated and last.history_date >= last.updated
    assert by_version[req.version - 1].updated < last.updated
    assert last.history_user == world.user("submitter")  # the dispatch
    assert by_version[2].history_user == world.user("submitter")  # the submission
    assert by_version[req.version - 2].history_user == world.user("approver")  # two dispatches ago


def test_scope_townships_reaches_exactly_those_villages(world, make_request):
    req = make_request("approved", scope=[world.township_a], scope_kind="townships")
    services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    assert set(VillageTask.objects.values_list("village_id", flat=True)) == {
        world.village_a1.code,
        world.village_a2.code,
    }


def test_scope_villages(world, make_request):
    req = make_request("approved", scope=[world.village_b1], scope_kind="villages")
    services.access_request_dispatch(user=world.user("approver"), request_id=req.pk)
    assert list(VillageTask.objects.values_list("village_id", flat=True)) == [world.village_b1.code]


def test_submitted_request_cannot_be_edited(world, make_request):
    req = make_request("in_review")
    with pytest.raises(InvalidTransition):
        services.access_request_update(user=world.user("submitter"), request_id=req.pk, data={"title": "改"})


def test_returned_request_can_be_revised_and_resubmitted(world, make_request):
    req = make_request("awaiting_decision")
    services.access_request_decide(
        user=world.user("approver"), request_id=req.pk, outcome="return", reason="补充依据"
    )
    req = services.access_request_update(
        user=world.user("submitter"), request_id=req.pk, data={"legal_basis": "《村民委员会组织法》第五条"}
    )
    req = services.access_request_submit(user=world.user("submitter"), request_id=req.pk)
    assert req.status == RequestStatus.IN_REVIEW and req.round == 2
    # A new round needs new opinions.
    services.access_request_review(
        user=world.user("reviewer_org"), request_id=req.pk, opinion="agree", reason="ok"
    )
    assert ReviewOpinion.objects.filter(request=req).count() == 4


def test_reviewer_cannot_review_twice_in_a_round(world, make_request):
    req = make_request("in_review")
    services.access_request_review(
        user=world.user("reviewer_org"), request_id=req.pk, opinion="agree", reason="ok"
    )
    with pytest.raises(InvalidTransition):
        services.access_request_review(
            user=world.user("reviewer_org"), request_id=req.pk, opinion="disagree", reason="no"
        )
    assert ReviewOpinion.objects.count() == 1


def test_only_reviewers_review_and_only_approver_decides(world, make_request):
    req = make_request("in_review")
    with pytest.raises(NotPermitted):
        services.access_request_review(
            user=world.user("approver"), request_id=req.pk, opinion="agree", reason="x"
        )
    with pytest.raises(NotPermitted):
        services.access_request_decide(
            user=world.user("reviewer_org"), request_id=req.pk, outcome="approve", reason="x"
        )
    with pytest.raises(InvalidTransition):
        services.access_request_decide(
            user=world.user("approver"), request_id=req.pk, outcome="approve", reason="x"
        )
    assert not Decision.objects.exists()


def test_reason_is_required(world, make_request):
    req = make_request("in_review")
    with pytest.raises(GateRefused):
        services.access_request_review(
            user=world.user("reviewer_org"), request_id=req.pk, opinion="agree", reason=" "
        )
    with pytest.raises(GateRefused):
        services.access_request_review(
            user=world.user("reviewer_org"), request_id=req.pk, opinion="conditional", reason="可以"
        )


def test_withdraw(world, make_request):
    req = make_request("in_review")
    services.access_request_withdraw(user=world.user("submitter"), request_id=req.pk, reason="不再需要")
    req.refresh_from_db()
    assert req.status == RequestStatus.WITHDRAWN
    with pytest.raises(InvalidTransition):
        services.access_request_review(
            user=world.user("reviewer_org"), request_id=req.pk, opinion="agree", reason="x"
        )


def test_stale_version_is_refused(world, make_request):
    req = make_request("in_review")
    services.access_request_review(
        user=world.user("reviewer_org"),
        request_id=req.pk,
        opinion="agree",
        reason="ok",
        expected_version=req.version,
    )
    with pytest.raises(StaleVersion):
        services.access_request_review(
            user=world.user("reviewer_civil"),
            request_id=req.pk,
            opinion="agree",
            reason="ok",
            expected_version=req.version,
        )
    assert ReviewOpinion.objects.count() == 1


# --- ways around the gate ------------------------------------------------------------------------


def test_negative_responsible_is_blocked_at_submit_and_never_approvable(world, make_request):
    req = make_request(
        "blocked", title="违法建筑拆除", description="由村委会负责本村违法建筑拆除", village_role="assist"
    )
    assert req.status == RequestStatus.BLOCKED and req.verdict == Verdict.BLOCK
    assert req.hits()[0]["item_code"] == "FM-02"
    assert Notification.objects.about(req).filter(kind="blocked").exists()
    assert not ReviewOpinion.objects.exists()
    # Forced into review by a direct write, it still cannot be approved: screening runs again.
    AccessRequest.objects.filter(pk=req.pk).update(status=RequestStatus.AWAITING_DECISION, round=1)
    with pytest.raises(GateRefused):
        services.access_request_decide(
            user=world.user("approver"), request_id=req.pk, outcome="approve", reason="x"
        )
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_DECISION and not Decision.objects.exists()


def test_database_refuses_an_approved_block(world, make_request):
    req = make_request(
        "blocked", title="招商引资任务", description="村负责招商引资", village_role="responsible"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRequest.objects.filter(pk=req.pk).update(status=RequestStatus.APPROVED)


def test_assisting_a_negative_matter_is_flagged_for_reviewers(world, make_request):
    req = make_request(
        "in_review",
        title="配合开展安全生产检查",
        description="村委会配合应急管理局入户宣传，发现隐患及时报告",
        village_role="assist",
    )
    assert req.verdict == Verdict.FLAG
    assert req.hits()[0]["item_code"] == "FM-04"


def test_no_dispatch_without_approval(world, make_request):
    for state in ("draft", "in_review", "awaiting_decision"):
        req = make_request(state)
        with pytest.raises(InvalidTransition):
            services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    assert not VillageTask.objects.exists()


def test_no_dispatch_of_rejected_request(world, make_request):
    req = make_request("awaiting_decision")
    services.access_request_decide(
        user=world.user("approver"), request_id=req.pk, outcome="reject", reason="不必要"
    )
    with pytest.raises(InvalidTransition):
        services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    assert not VillageTask.objects.exists()


def test_no_dispatch_after_expiry(world, make_request):
    req = make_request("approved")
    AccessRequest.objects.filter(pk=req.pk).update(approved_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(GateRefused):
        services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    assert services.access_requests_expire() == 1
    req.refresh_from_db()
    assert req.status == RequestStatus.EXPIRED
    # The sweep's change is history too, made by the system (no user).
    expired = req.history.order_by("history_date", "history_id").last()
    assert expired.status == RequestStatus.EXPIRED and expired.version == req.version
    assert expired.history_type == "~" and expired.history_user is None
    with pytest.raises(GateRefused):
        services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    assert not VillageTask.objects.exists()


def test_no_dispatch_outside_scope_or_county(world, make_request):
    req = make_request("approved", scope=[world.township_a], scope_kind="townships")
    with pytest.raises(GateRefused):  # wrong township
        services.access_request_dispatch(
            user=world.user("submitter"), request_id=req.pk, villages=[world.village_b1]
        )
    with pytest.raises(GateRefused):  # wrong county
        services.access_request_dispatch(
            user=world.user("submitter"), request_id=req.pk, villages=[world.village_c1]
        )
    assert not VillageTask.objects.exists()


def test_scope_must_lie_in_the_county(world, gate_lists):
    from tests.fixtures_gate import request_data

    with pytest.raises(GateRefused):
        services.access_request_create(
            user=world.user("submitter"),
            county=world.county,
            data=request_data(scope_kind="townships"),
            scope=[world.other_township],
        )
    assert not AccessRequest.objects.exists()


def test_submitter_cannot_file_to_another_county(world, gate_lists):
    from tests.fixtures_gate import request_data

    with pytest.raises(GateRefused):
        services.access_request_create(
            user=world.user("submitter"), county=world.other_county, data=request_data()
        )
    with pytest.raises(NotPermitted):
        services.access_request_create(user=world.user("township"), county=world.county, data=request_data())
    assert not AccessRequest.objects.exists()


def test_other_countys_approver_cannot_decide(world, make_request):
    from organisations.choices import OrgKind, Role
    from tests import factories as f

    org = f.OrganisationFactory(kind=OrgKind.COUNTY_LEADERSHIP, division=world.other_county)
    other = f.UserFactory(role=Role.COUNTY_APPROVER, organisation=org)
    req = make_request("awaiting_decision")
    with pytest.raises(AccessRequest.DoesNotExist):
        services.access_request_decide(user=other, request_id=req.pk, outcome="approve", reason="x")
    assert not Decision.objects.exists()


def test_other_department_cannot_dispatch_or_see(world, make_request):
    from organisations.choices import OrgKind, Role
    from tests import factories as f

    org = f.OrganisationFactory(kind=OrgKind.COUNTY_DEPARTMENT, division=world.county)
    other = f.UserFactory(role=Role.DEPT_SUBMITTER, organisation=org)
    req = make_request("approved")
    with pytest.raises(AccessRequest.DoesNotExist):
        services.access_request_dispatch(user=other, request_id=req.pk)
    assert not VillageTask.objects.exists()


def test_database_refuses_direct_task_rows(world, make_request):
    req = make_request("in_review")
    base = dict(
        village=world.village_a1,
        county=world.county,
        organisation=req.organisation,
        dispatched_by=world.user("submitter"),
        title="x",
        village_role="assist",
        starts_on=timezone.localdate(),
        due_on=timezone.localdate(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():  # request not approved
        VillageTask.objects.create(access_request=req, **base)
    with pytest.raises(IntegrityError), transaction.atomic():  # no source at all
        VillageTask.objects.create(**base)
    approved = make_request("approved")
    with pytest.raises(IntegrityError), transaction.atomic():  # village of another county
        VillageTask.objects.create(access_request=approved, **{**base, "village": world.village_c1})
    assert not VillageTask.objects.exists()


def test_database_refuses_negative_item_as_source(world, make_request, gate_lists):
    base = dict(
        village=world.village_a1,
        county=world.county,
        organisation=world.orgs["emergency"],
        dispatched_by=world.user("submitter"),
        title="x",
        village_role="assist",
        starts_on=timezone.localdate(),
        due_on=timezone.localdate(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        VillageTask.objects.create(catalogue_item=gate_lists["FM-02"], **base)
    assert not VillageTask.objects.exists()


def test_dispatch_under_list_item(world, gate_lists):
    due = timezone.localdate() + timedelta(days=10)
    result = services.catalogue_item_dispatch(
        user=world.user("submitter"),
        item_id=gate_lists["XZ-01"].pk,
        county=world.county,
        due_on=due,
        townships=[world.township_b],
    )
    assert result.created == 1
    task = VillageTask.objects.get()
    assert task.catalogue_item == gate_lists["XZ-01"] and task.village == world.village_b1
    with pytest.raises(GateRefused):
        services.catalogue_item_dispatch(
            user=world.user("submitter"), item_id=gate_lists["FM-01"].pk, county=world.county, due_on=due
        )
    with pytest.raises(GateRefused):  # the next county's item does not govern this county
        other_item = gate_lists["XZ-01"].__class__.objects.get(division=world.other_county, code="XZ-01")
        services.catalogue_item_dispatch(
            user=world.user("submitter"), item_id=other_item.pk, county=world.county, due_on=due
        )
    assert VillageTask.objects.count() == 1


def test_township_updates_progress_of_own_villages_only(world, make_request):
    req = make_request("approved")
    services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    a1 = VillageTask.objects.get(village=world.village_a1)
    b1 = VillageTask.objects.get(village=world.village_b1)
    task = services.village_task_progress(
        user=world.user("township"), task_id=a1.pk, status="in_progress", progress=40
    )
    assert task.progress == 40 and task.version == 2
    with pytest.raises(VillageTask.DoesNotExist):
        services.village_task_progress(user=world.user("township"), task_id=b1.pk, status="done")
    with pytest.raises(NotPermitted):
        services.village_task_progress(user=world.user("submitter"), task_id=a1.pk, status="done")
    done = services.village_task_progress(user=world.user("township"), task_id=a1.pk, status=TaskStatus.DONE)
    assert done.progress == 100


def test_task_source_cannot_be_rewritten(world, make_request):
    req = make_request("approved")
    services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        VillageTask.objects.filter(village=world.village_a1).update(village=world.village_c1)


def test_renew_creates_a_linked_draft(world, make_request):
    req = make_request("approved")
    new = services.access_request_renew(user=world.user("submitter"), request_id=req.pk)
    assert new.status == RequestStatus.DRAFT and new.renews == req and new.starts_on > req.approved_until


def test_outcomes_are_labelled():
    assert set(Outcome.values) == {"approve", "reject", "return"}
    assert set(Opinion.values) == {"agree", "disagree", "conditional"}


def test_admin_cannot_add_or_change_village_tasks(world, make_request, client):
    from organisations.models import User

    req = make_request("approved")
    services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    admin_user = User.objects.create_superuser("root", "root@example.org", "Root-pass-2026")
    client.force_login(admin_user)
    assert client.get("/admin/gate/villagetask/add/").status_code == 403
    task = VillageTask.objects.first()
    page = client.get(f"/admin/gate/villagetask/{task.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    r = client.post(f"/admin/gate/villagetask/{task.pk}/change/", {"status": "done"})
    assert r.status_code == 403
    assert client.get("/admin/gate/accessrequest/add/").status_code == 403
    assert VillageTask.objects.filter(status="done").count() == 0


def test_bulk_dispatch_to_many_villages(world, make_request):
    """Above 200 villages PostgreSQL takes the COPY path; the insert trigger still checks every row."""
    from divisions.models import Division, Level

    Division.objects.bulk_create(
        Division(code=f"150223107{n:03d}", name=f"测试村{n}", level=Level.VILLAGE, parent=world.township_b)
        for n in range(300, 600)
    )
    req = make_request("approved", scope=[world.township_b], scope_kind="townships")
    result = services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    assert result.created == 301
    assert VillageTask.objects.filter(access_request=req).count() == 301
    again = services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    assert again.created == 0 and again.already == 301


def test_due_date_must_fall_within_the_approval(world, make_request):
    req = make_request("approved")
    with pytest.raises(GateRefused):
        services.access_request_dispatch(
            user=world.user("submitter"), request_id=req.pk, due_on=req.approved_until + timedelta(days=1)
        )
    with pytest.raises(GateRefused):
        services.access_request_dispatch(
            user=world.user("submitter"), request_id=req.pk, due_on=timezone.localdate() - timedelta(days=1)
        )
    assert not VillageTask.objects.exists()


def test_approval_cannot_outlast_the_task(world, make_request):
    req = make_request("awaiting_decision")
    with pytest.raises(GateRefused):
        services.access_request_decide(
            user=world.user("approver"),
            request_id=req.pk,
            outcome="approve",
            reason="同意",
            valid_until=req.ends_on + timedelta(days=1),
        )
    assert not Decision.objects.exists()
