"""The township's view of a village task: its page, the inline progress update and its rule."""

from __future__ import annotations

import pytest

from gate import services
from gate.exceptions import GateRefused
from gate.models import VillageTask
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(world, make_request):
    req = make_request("approved")
    services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    return req


def test_task_page_shows_what_the_request_asks(world, login, dispatched):
    task = VillageTask.objects.get(village=world.village_a1)
    client = login("township")
    listing = client.get("/gate/tasks/").content.decode()
    assert f"/gate/tasks/{task.pk}/" in listing
    page = client.get(f"/gate/tasks/{task.pk}/").content.decode()
    for shown in (
        "组织村民参加义务植树",  # the content
        "植树登记表",  # forms and materials
        "每村2000元",  # funding
        "技术员1名",  # staff
        "树苗",  # equipment
        dispatched.number,  # approval number
        f"{dispatched.approved_until:%Y-%m-%d}",  # its end
        "每年",  # frequency, in words
    ):
        assert shown in page, shown
    # Read-only for the township: the request page stays the county's.
    assert f'href="/gate/requests/{dispatched.pk}/"' not in page
    assert client.get(f"/gate/requests/{dispatched.pk}/").status_code == 404


def test_task_page_is_within_jurisdiction(world, login, dispatched):
    other = VillageTask.objects.get(village=world.village_b1)
    assert login("township").get(f"/gate/tasks/{other.pk}/").status_code == 404
    assert login("township_b").get(f"/gate/tasks/{other.pk}/").status_code == 200
    assert login("outsider").get(f"/gate/tasks/{other.pk}/").status_code == 404


def test_task_api_carries_the_request_content(world, api, dispatched):
    task = VillageTask.objects.get(village=world.village_a1)
    body = api.as_user("township").get(f"/api/v1/village-tasks/{task.pk}/").json()
    assert body["request"]["materials"] == "植树登记表"
    assert body["request"]["provides_funding"] == "每村2000元"
    assert body["page"] == f"/gate/tasks/{task.pk}/"


def test_dispatch_notification_leads_the_township_to_its_tasks(world, login, dispatched):
    note = Notification.objects.get(user=world.user("township"), kind="dispatched")
    assert (note.target_type, note.target_id) == ("gate.accessrequest", str(dispatched.pk))
    page = login("township").get("/notifications/").content.decode()
    assert f'href="/gate/tasks/?request={dispatched.pk}"' in page
    tasks = login("township").get(f"/gate/tasks/?request={dispatched.pk}").content.decode()
    assert world.village_a1.name in tasks
    assert login("township").get("/gate/tasks/?request=abc").status_code == 400


def test_township_downloads_the_request_forms(world, login, make_request, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gate.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    req = make_request("approved")
    att = Attachment.objects.create(
        request=req, file=SimpleUploadedFile("登记表.pdf", b"%PDF-1.4 test"), name="登记表.pdf"
    )
    assert login("township").get(f"/gate/attachments/{att.pk}/").status_code == 404
    services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    assert login("township").get(f"/gate/attachments/{att.pk}/").status_code == 200
    assert login("outsider").get(f"/gate/attachments/{att.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("status", "progress"),
    [("done", 0), ("done", 50), ("pending", 40)],
)
def test_contradictory_status_and_progress_are_refused(world, dispatched, status, progress):
    task = VillageTask.objects.get(village=world.village_a1)
    with pytest.raises(GateRefused) as exc:
        services.village_task_progress(
            user=world.user("township"), task_id=task.pk, status=status, progress=progress
        )
    assert exc.value.details["field"] == "progress"
    task.refresh_from_db()
    assert (task.status, task.progress, task.version) == ("pending", 0, 1)


def _post(client, task, **data):
    return client.post(
        f"/gate/tasks/{task.pk}/progress/",
        {"version": task.version, **data},
        HTTP_HX_REQUEST="true",
    ).content.decode()


def test_refused_progress_keeps_what_was_typed_with_a_message_per_field(world, login, dispatched):
    task = VillageTask.objects.get(village=world.village_a1)
    client = login("township")
    row = _post(client, task, status="in_progress", progress="abc", note="已通知村民")
    assert 'value="abc"' in row and 'value="已通知村民"' in row
    assert 'data-testid="error-progress"' in row and "整数" in row
    row = _post(client, task, status="done", progress="0", note="")
    assert 'data-testid="error-progress"' in row and 'value="0"' in row
    assert '<option value="done" selected' in row
    row = _post(client, task, status="in_progress", progress="150")
    assert 'data-testid="error-progress"' in row and 'value="150"' in row
    task.refresh_from_db()
    assert (task.status, task.progress) == ("pending", 0)
    row = _post(client, task, status="in_progress", progress="40")
    assert "error-progress" not in row
    task.refresh_from_db()
    assert (task.status, task.progress) == ("in_progress", 40)


# --- attachments and free-text limits --------------------------------------------------------


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00 program"),
        ("通知.pdf", b"MZ\x90\x00 a program renamed"),
        ("表格.docx", b"PK\x03\x04 not really a document"),
        ("空.pdf", b""),
    ],
)
def test_attachments_are_refused_unless_a_document_by_name_and_content(
    world, make_request, settings, tmp_path, name, content
):
    from gate.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    req = make_request("draft")
    with pytest.raises(GateRefused):
        services.access_request_attach(
            user=world.user("submitter"), request_id=req.pk, upload=_upload(name, content)
        )
    assert not Attachment.objects.exists()


def test_attachment_size_is_limited_and_downloads_are_safe(world, make_request, login, settings, tmp_path):
    from villageburden.uploads import MAX_ATTACHMENT_BYTES

    settings.MEDIA_ROOT = tmp_path
    req = make_request("draft")
    big = _upload("大.pdf", b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES)
    with pytest.raises(GateRefused):
        services.access_request_attach(user=world.user("submitter"), request_id=req.pk, upload=big)
    att = services.access_request_attach(
        user=world.user("submitter"), request_id=req.pk, upload=_upload("登记表.pdf", b"%PDF-1.4 ok")
    )
    response = login("submitter").get(f"/gate/attachments/{att.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_form_refuses_an_exe_with_a_message(world, login, gate_lists, settings, tmp_path):
    from gate.models import AccessRequest
    from tests.test_gate_pages import form_data

    settings.MEDIA_ROOT = tmp_path
    page = login("submitter").post(
        "/gate/requests/new/", {**form_data(world), "attachment": _upload("setup.exe", b"MZ")}
    )
    assert page.status_code == 200 and "PDF" in page.content.decode()
    assert not AccessRequest.objects.exists()


def test_free_text_has_limits_and_the_public_page_holds(world, make_request, client, api):
    from gate.services import TEXT_LIMITS

    req = make_request("awaiting_decision")
    with pytest.raises(GateRefused):
        services.access_request_decide(
            user=world.user("approver"), request_id=req.pk, outcome="approve", reason="理" * 10_000
        )
    response = api.as_user("approver").post(
        f"/api/v1/access-requests/{req.pk}/decide/",
        {"outcome": "approve", "reason": "理" * 10_000},
        format="json",
    )
    assert response.status_code == 400
    services.access_request_decide(
        user=world.user("approver"), request_id=req.pk, outcome="approve", reason="长" * TEXT_LIMITS["reason"]
    )
    page = client.get(f"/gate/public/{world.county.code[:6]}/").content.decode()
    assert "长" * 100 in page
