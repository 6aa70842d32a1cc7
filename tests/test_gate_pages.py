"""The gate's browser pages: filing with live screening, queues, decisions, township tasks, progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gate.models import AccessRequest, VillageTask

pytestmark = pytest.mark.django_db


def form_data(world, **overrides):
    today = timezone.localdate()
    data = {
        "division": world.county.code,
        "title": "开展春季植树",
        "description": "组织村民义务植树，林草局提供树苗",
        "village_role": "assist",
        "scope_kind": "townships",
        "townships": [world.township_a.code],
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=60)).isoformat(),
        "frequency": "yearly",
        "hours_per_village": "4",
    }
    data.update(overrides)
    return data


def test_file_and_submit_in_browser(world, login, gate_lists):
    client = login("submitter")
    assert client.get("/gate/requests/new/").status_code == 200
    r = client.post("/gate/requests/new/", {**form_data(world), "submit": "1"})
    assert r.status_code == 302
    req = AccessRequest.objects.get()
    assert req.status == "in_review" and list(req.scope_divisions.all()) == [world.township_a]
    page = client.get(f"/gate/requests/{req.pk}/").content.decode()
    assert req.number in page


def test_live_screening_partial(world, login, gate_lists):
    client = login("submitter")
    r = client.post(
        "/gate/requests/screen/",
        {
            "division": world.county.code,
            "title": "拆违",
            "description": "由村负责拆除违法建筑",
            "village_role": "assist",
        },
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert r.status_code == 200 and 'data-verdict="block"' in body and "FM-02" in body


def test_blocked_submission_shows_the_clause(world, login, gate_lists):
    client = login("submitter")
    client.post(
        "/gate/requests/new/",
        {
            **form_data(
                world, title="招商任务", description="各村负责引进项目、到位资金", village_role="responsible"
            ),
            "submit": "1",
        },
    )
    req = AccessRequest.objects.get()
    assert req.status == "blocked"
    page = client.get(f"/gate/requests/{req.pk}/").content.decode()
    assert "FM-03" in page and 'data-verdict="block"' in page


def test_queues_review_decide_dispatch_in_browser(world, login, make_request):
    req = make_request("in_review")
    for name in ("reviewer_org", "reviewer_civil", "reviewer_agri"):
        client = login(name)
        assert req.number in client.get("/gate/").content.decode()
        r = client.post(
            f"/gate/requests/{req.pk}/review/",
            {"opinion": "agree", "reason": "同意", "version": AccessRequest.objects.get(pk=req.pk).version},
        )
        assert r.status_code == 302
    client = login("approver")
    req.refresh_from_db()
    assert req.status == "awaiting_decision" and req.number in client.get("/").content.decode()
    client.post(
        f"/gate/requests/{req.pk}/decide/", {"outcome": "approve", "reason": "同意", "version": req.version}
    )
    req.refresh_from_db()
    assert req.status == "approved"
    client = login("submitter")
    r = client.post(f"/gate/requests/{req.pk}/dispatch/", {"version": req.version})
    assert r.status_code == 302 and VillageTask.objects.count() == 3
    page = client.get(f"/gate/requests/{req.pk}/progress/").content.decode()
    assert "progress-data" in page and "百灵庙镇" in page


def test_stale_form_is_refused_with_message(world, login, make_request):
    req = make_request("in_review")
    client = login("reviewer_org")
    r = client.post(
        f"/gate/requests/{req.pk}/review/",
        {"opinion": "agree", "reason": "ok", "version": req.version - 1},
        follow=True,
    )
    assert "版本" in r.content.decode() or "version" in r.content.decode()
    assert not req.opinions.exists()


def test_township_workbench_and_progress_update(world, login, make_request):
    from gate import services

    req = make_request("approved")
    services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    client = login("township")
    home = client.get("/").content.decode()
    assert "township-tasks" in home
    page = client.get("/gate/tasks/").content.decode()
    assert world.village_a1.name in page and world.village_b1.name not in page
    task = VillageTask.objects.get(village=world.village_a1)
    r = client.post(
        f"/gate/tasks/{task.pk}/progress/",
        {"status": "in_progress", "progress": "30", "version": task.version},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and f"task-{task.pk}" in r.content.decode()
    task.refresh_from_db()
    assert task.progress == 30
    other = VillageTask.objects.get(village=world.village_b1)
    assert (
        client.post(f"/gate/tasks/{other.pk}/progress/", {"status": "done", "version": 1}).status_code == 404
    )


def test_public_page_shows_decisions_without_login(world, client, make_request):
    req = make_request("approved")
    draft = make_request("draft", title="尚未提交的草稿")
    page = client.get(f"/gate/public/{world.county.code}/").content.decode()
    assert req.number in page and "同意准入" in page and draft.number not in page


def test_role_panels_render(world, login, gate_lists):
    for name in ("submitter", "reviewer_org", "approver", "township"):
        assert login(name).get("/").status_code == 200


def test_item_dispatch_page(world, login, gate_lists):
    client = login("submitter")
    assert client.get("/gate/items/dispatch/").status_code == 200
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    r = client.post("/gate/items/dispatch/", {"item": gate_lists["XZ-01"].pk, "due_on": due})
    assert r.status_code == 302 and VillageTask.objects.count() == 3


def test_attachment_is_scoped(world, login, gate_lists, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = login("submitter")
    upload = SimpleUploadedFile("表格.pdf", "%PDF-1.4 登记表".encode(), content_type="application/pdf")
    client.post("/gate/requests/new/", {**form_data(world), "attachment": upload})
    att = AccessRequest.objects.get().attachments.get()
    assert client.get(f"/gate/attachments/{att.pk}/").status_code == 200
    assert login("outsider").get(f"/gate/attachments/{att.pk}/").status_code == 404
