"""The gate's REST API: the portal contract, the workflow actions, 409/412, idempotency, scopes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, get_application_model
from rest_framework.test import APIClient

from gate.models import AccessRequest, IdempotencyRecord, ReviewOpinion, VillageTask
from tests.fixtures_gate import request_data

pytestmark = pytest.mark.django_db


def payload(world, **overrides):
    data = request_data(**overrides)
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data["division"] = world.county.code[:6]
    return data


def token_client(world, scopes: str) -> APIClient:
    import uuid

    user = world.user("portal")
    app = get_application_model().objects.create(
        name="portal", user=user, client_type="confidential", authorization_grant_type="client-credentials"
    )
    token = AccessToken.objects.create(
        user=user,
        application=app,
        token=f"tok-{uuid.uuid4().hex}",
        scope=scopes,
        expires=timezone.now() + timedelta(hours=1),
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.token}")
    return client


def test_screening_contract(world, api, gate_lists):
    body = {
        "division": world.county.code,
        "title": "违法建筑拆除专项行动",
        "description": "由村委会负责组织拆除本村违法建筑",
        "village_role": "assist",
    }
    r = api.as_user("submitter").post("/api/v1/screenings/", body, format="json")
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["verdict"] == "block"
    hit = data["hits"][0]
    assert set(hit) >= {"item_code", "kind", "name", "matched", "score"}
    assert hit["item_code"] == "FM-02" and hit["kind"] == "negative"
    assert hit["score"] is None  # internal scores are for reviewers and approvers only
    reviewer = api.as_user("reviewer_org").post("/api/v1/screenings/", body, format="json").json()
    assert isinstance(reviewer["hits"][0]["score"], float)
    r = api.post(
        "/api/v1/screenings/",
        {**body, "title": "低保对象入户核查", "description": "协助核查低保对象"},
        format="json",
    )
    assert r.json()["verdict"] == "listed" and r.json()["hits"][0]["item_code"] == "XZ-01"


def test_screening_other_county_is_404(world, api, gate_lists):
    body = {"division": world.other_county.code, "title": "x", "description": "y", "village_role": "assist"}
    assert api.as_user("submitter").post("/api/v1/screenings/", body, format="json").status_code == 404


def test_portal_scopes_are_enforced(world, gate_lists):
    body = {
        "division": world.county.code,
        "title": "植树",
        "description": "组织植树",
        "village_role": "assist",
    }
    assert token_client(world, "read").post("/api/v1/screenings/", body, format="json").status_code == 403
    assert token_client(world, "screen").post("/api/v1/screenings/", body, format="json").status_code == 200
    assert (
        token_client(world, "screen")
        .post("/api/v1/access-requests/", payload(world), format="json")
        .status_code
        == 403
    )
    r = token_client(world, "submit").post("/api/v1/access-requests/", payload(world), format="json")
    assert r.status_code == 201, r.content
    assert AccessRequest.objects.get().organisation == world.orgs["portal"]


def test_api_flow_and_dispatch(world, api, gate_lists):
    r = api.as_user("submitter").post("/api/v1/access-requests/", payload(world), format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = api.post(f"/api/v1/access-requests/{pk}/submit/")
    assert r.status_code == 200 and r.json()["status"] == "in_review"
    for name in ("reviewer_org", "reviewer_civil", "reviewer_agri"):
        r = api.as_user(name).post(
            f"/api/v1/access-requests/{pk}/review/", {"opinion": "agree", "reason": "同意"}
        )
        assert r.status_code == 200, r.content
    r = api.as_user("approver").post(
        f"/api/v1/access-requests/{pk}/decide/", {"outcome": "approve", "reason": "同意"}
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = api.as_user("submitter").post(f"/api/v1/access-requests/{pk}/dispatch/", {}, format="json")
    assert r.status_code == 200 and r.json()["created"] == 3
    r = api.as_user("township").get("/api/v1/village-tasks/")
    codes = {t["village"] for t in r.json()["results"]}
    assert codes == {world.village_a1.code, world.village_a2.code}
    task = r.json()["results"][0]
    assert task["source"]["ref"].startswith("ZR")
    r = api.post(f"/api/v1/village-tasks/{task['id']}/progress/", {"status": "in_progress", "progress": 50})
    assert r.status_code == 200 and r.json()["progress"] == 50
    r = api.as_user("submitter").get("/api/v1/village-tasks/")
    assert len(r.json()["results"]) == 3


def test_illegal_transition_is_409_and_stale_etag_is_412(world, api, make_request):
    req = make_request("in_review")
    r = api.as_user("approver").post(
        f"/api/v1/access-requests/{req.pk}/decide/", {"outcome": "approve", "reason": "x"}
    )
    assert r.status_code == 409 and r.json()["code"] == "invalid_state"
    etag = api.as_user("reviewer_org").get(f"/api/v1/access-requests/{req.pk}/")["ETag"]
    r = api.post(
        f"/api/v1/access-requests/{req.pk}/review/", {"opinion": "agree", "reason": "ok"}, HTTP_IF_MATCH=etag
    )
    assert r.status_code == 200
    r = api.as_user("reviewer_civil").post(
        f"/api/v1/access-requests/{req.pk}/review/", {"opinion": "agree", "reason": "ok"}, HTTP_IF_MATCH=etag
    )
    assert r.status_code == 412 and r.json()["code"] == "stale_version"
    assert ReviewOpinion.objects.count() == 1


def test_block_cannot_be_approved_through_the_api(world, api, make_request):
    req = make_request(
        "blocked", title="招商引资", description="各村负责完成引进项目、到位资金任务", village_role="assist"
    )
    assert req.status == "blocked"
    r = api.as_user("approver").post(
        f"/api/v1/access-requests/{req.pk}/decide/", {"outcome": "approve", "reason": "x"}
    )
    assert r.status_code == 409
    r = api.as_user("submitter").post(f"/api/v1/access-requests/{req.pk}/dispatch/", {}, format="json")
    assert r.status_code == 409
    assert not VillageTask.objects.exists()


def test_idempotency_key_replays_the_first_result(world, api, gate_lists):
    client = api.as_user("submitter")
    r1 = client.post("/api/v1/access-requests/", payload(world), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    r2 = client.post("/api/v1/access-requests/", payload(world), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert r1.status_code == r2.status_code == 201
    assert r2["Idempotent-Replayed"] == "true" and r1.json()["id"] == r2.json()["id"]
    assert AccessRequest.objects.count() == 1
    r3 = client.post(
        "/api/v1/access-requests/", payload(world, title="别的"), format="json", HTTP_IDEMPOTENCY_KEY="abc-1"
    )
    assert r3.status_code == 422 and AccessRequest.objects.count() == 1
    pk = r1.json()["id"]
    s1 = client.post(f"/api/v1/access-requests/{pk}/submit/", HTTP_IDEMPOTENCY_KEY="sub-1")
    s2 = client.post(f"/api/v1/access-requests/{pk}/submit/", HTTP_IDEMPOTENCY_KEY="sub-1")
    assert s1.status_code == s2.status_code == 200 and s2["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.count() == 2


def test_village_tasks_cannot_be_created_or_edited_via_api(world, api, make_request):
    req = make_request("approved")
    body = {"village": world.village_a1.code, "access_request": req.pk, "title": "x"}
    client = api.as_user("submitter")
    assert client.post("/api/v1/village-tasks/", body, format="json").status_code == 405
    client.post(f"/api/v1/access-requests/{req.pk}/dispatch/", {}, format="json")
    task = VillageTask.objects.first()
    assert client.put(f"/api/v1/village-tasks/{task.pk}/", body, format="json").status_code == 405
    assert client.delete(f"/api/v1/village-tasks/{task.pk}/").status_code == 405
    assert VillageTask.objects.count() == 3


def test_submitted_request_cannot_be_patched(world, api, make_request):
    req = make_request("in_review")
    r = api.as_user("submitter").patch(f"/api/v1/access-requests/{req.pk}/", {"title": "改"}, format="json")
    assert r.status_code == 409
    draft = make_request("draft")
    r = api.patch(f"/api/v1/access-requests/{draft.pk}/", {"title": "改过的标题"}, format="json")
    assert r.status_code == 200 and r.json()["title"] == "改过的标题"


def test_dispatch_outside_scope_is_422_with_no_rows(world, api, make_request):
    req = make_request("approved", scope=[world.township_a], scope_kind="townships")
    r = api.as_user("submitter").post(
        f"/api/v1/access-requests/{req.pk}/dispatch/", {"villages": [world.village_b1.code]}, format="json"
    )
    assert r.status_code == 422 and r.json()["outside"] == [world.village_b1.code]
    assert not VillageTask.objects.exists()


def test_other_county_cannot_see_requests(world, api, make_request):
    req = make_request("in_review")
    assert api.as_user("outsider").get(f"/api/v1/access-requests/{req.pk}/").status_code == 404
    assert api.as_user("outsider").post(f"/api/v1/access-requests/{req.pk}/withdraw/").status_code == 404


def test_schema_documents_the_gate(world, api):
    r = api.as_user("submitter").get("/api/schema/")
    text = r.content.decode()
    for path in ("/api/v1/screenings/", "/api/v1/access-requests/{id}/decide/", "/api/v1/village-tasks/"):
        assert path in text


def test_refusals_are_audited(world, api, make_request):
    from audit.models import AuditEvent

    req = make_request("in_review")
    api.as_user("approver").post(
        f"/api/v1/access-requests/{req.pk}/decide/", {"outcome": "approve", "reason": "x"}
    )
    event = AuditEvent.objects.get(action="gate.refused")
    assert event.actor == world.user("approver") and event.after["code"] == "invalid_state" and event.summary


def test_item_dispatch_through_the_api(world, api, gate_lists):
    from datetime import timedelta as td

    due = (timezone.localdate() + td(days=7)).isoformat()
    client = api.as_user("submitter")
    body = {
        "division": world.county.code,
        "item": "xz-01",
        "due_on": due,
        "townships": [world.township_a.code],
    }
    r = client.post("/api/v1/item-dispatches/", body, format="json")
    assert r.status_code == 200 and r.json()["created"] == 2
    r = client.post("/api/v1/item-dispatches/", {**body, "item": "FM-02"}, format="json")
    assert r.status_code == 422
    r = client.post("/api/v1/item-dispatches/", {**body, "division": world.other_county.code}, format="json")
    assert r.status_code == 404
    assert api.as_user("township").post("/api/v1/item-dispatches/", body, format="json").status_code == 404
    assert VillageTask.objects.count() == 2


def test_patch_with_stale_if_match_is_412(world, api, make_request):
    draft = make_request("draft")
    client = api.as_user("submitter")
    etag = client.get(f"/api/v1/access-requests/{draft.pk}/")["ETag"]
    r = client.patch(
        f"/api/v1/access-requests/{draft.pk}/", {"title": "第一次修改"}, format="json", HTTP_IF_MATCH=etag
    )
    assert r.status_code == 200 and r["ETag"] != etag
    r = client.patch(
        f"/api/v1/access-requests/{draft.pk}/", {"title": "过期的修改"}, format="json", HTTP_IF_MATCH=etag
    )
    assert r.status_code == 412
    draft.refresh_from_db()
    assert draft.title == "第一次修改"
