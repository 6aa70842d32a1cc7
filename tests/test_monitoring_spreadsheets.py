"""Monitoring points and monitors through the shared checked import: per-row Chinese errors, nothing written
until confirmed; monitors' mobile numbers encrypted at rest, masked for those without the need and in the export,
never in the audit trail or a log; an export re-imports unchanged."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring import spreadsheets
from monitoring.models import MonitorAssignment, MonitorContact, MonitoringImportJob, MonitoringPoint
from organisations.choices import Role

from . import factories as f

pytestmark = pytest.mark.django_db

HEADER = "村代码,村名,监测员账号,监测员姓名,监测员手机号,备注\n"
PHONE, PHONE2 = "13812345678", "15947001234"


@pytest.fixture
def monitors(world):
    """The cast's monitor and a second one in township B."""
    second = f.UserFactory(
        username="monitor_b",
        role=Role.MONITOR,
        organisation=world.orgs["township_b"],
        display_name="monitor_b",
    )
    return world.user("monitor"), second


def _upload(text: str, name: str = "监测点.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\ufeff" + text).encode(), content_type="text/csv")


def _import(world, text: str, capture, user="reviewer_org") -> MonitoringImportJob:
    with capture(execute=True):
        job = spreadsheets.import_job_create(upload=_upload(text), user=world.user(user))
    return MonitoringImportJob.objects.get(pk=job.pk)


def _confirm(world, job, capture) -> MonitoringImportJob:
    with capture(execute=True):
        spreadsheets.import_job_confirm(job=job, user=world.user("reviewer_org"))
    job.refresh_from_db()
    return job


def test_bad_rows_get_chinese_errors_by_row_and_column_and_nothing_is_written(
    world, monitors, django_capture_on_commit_callbacks
):
    a1, b1, c1 = world.village_a1.code, world.village_b1.code, world.village_c1.code
    text = (
        HEADER
        + f"{a1},哈达图嘎查,monitor,高娃,{PHONE},\n"  # fine on its own
        + f"{c1},东园村,monitor,高娃,{PHONE},\n"  # a village of the next county
        + "150223104299,,monitor,高娃,{PHONE},\n".replace("{PHONE}", PHONE)  # no such village
        + f"{b1},乌兰敖包村,monitor_b,巴特尔,1381234,\n"  # a malformed mobile number
        + f"{a1},哈达图嘎查,monitor,高娃,{PHONE},\n"  # the first row again
        + f"{a1},大苏吉嘎查,,,,\n"  # the name is another village's
        + "15022310420,,,,,\n"  # 11 digits
        + f"{b1},,nobody,某人,{PHONE2},\n"  # no such monitor account
        + f"{b1},,,某人,{PHONE2},\n"  # a name and number without an account
    )
    job = _import(world, text, django_capture_on_commit_callbacks)
    assert job.status == "invalid", job.errors
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert messages[(3, "村代码")] == "这个村不在本县。"
    assert messages[(4, "村代码")] == "没有这个代码的村。"
    assert "11位" in messages[(5, "监测员手机号")]
    assert "出现了两次" in messages[(6, "村代码")]
    assert "哈达图嘎查" in messages[(7, "村名")] and "不符" in messages[(7, "村名")]
    assert "12位" in messages[(8, "村代码")]
    assert "监测员账号" in messages[(9, "监测员账号")] or "没有" in messages[(9, "监测员账号")]
    assert "账号" in messages[(10, "监测员账号")]
    assert job.error_count == 8 and (2, "村代码") not in messages
    assert all(PHONE not in e["message"] for e in job.errors)  # no error quotes a number
    assert not MonitoringPoint.objects.exists() and not MonitorContact.objects.exists()
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.import_job_confirm(job=job, user=world.user("reviewer_org"))
    assert not MonitoringPoint.objects.exists()


def test_one_number_per_monitor_in_a_file(world, monitors, django_capture_on_commit_callbacks):
    a1, a2 = world.village_a1.code, world.village_a2.code
    text = HEADER + f"{a1},,monitor,高娃,{PHONE},\n{a2},,monitor,高娃,{PHONE2},\n"
    job = _import(world, text, django_capture_on_commit_callbacks)
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "监测员手机号")]
    assert not MonitoringPoint.objects.exists()


def test_confirmed_rows_designate_points_and_monitors_numbers_protected_and_an_export_reimports_unchanged(
    world, monitors, client, django_capture_on_commit_callbacks, caplog
):
    from audit.models import AuditEvent

    caplog.set_level(logging.DEBUG)
    a1, a2, b1 = world.village_a1.code, world.village_a2.code, world.village_b1.code
    text = (
        HEADER
        + f"{a1},哈达图嘎查,monitor,高娃,{PHONE},牧区\n"
        + f"{a2},大苏吉嘎查,monitor,高娃,{PHONE},\n"
        + f"{a2},大苏吉嘎查,monitor_b,巴特尔,{PHONE2},\n"
        + f"{b1},乌兰敖包村,,,,\n"
    )
    job = _import(world, text, django_capture_on_commit_callbacks)
    assert (job.status, job.new_count, job.error_count) == ("checked", 4, 0), job.errors
    assert not MonitoringPoint.objects.exists()  # the check writes nothing
    assert not job.file.storage.exists(job.file.name)  # the upload (numbers in clear) is gone
    checked = spreadsheets.IMPORTER.checked_path(job).read_text(encoding="utf-8")
    assert PHONE not in checked and PHONE2 not in checked  # the checked rows keep them encrypted
    job = _confirm(world, job, django_capture_on_commit_callbacks)
    assert job.status == "done", job.message
    assert set(MonitoringPoint.objects.values_list("village_id", flat=True)) == {a1, a2, b1}
    assert MonitoringPoint.objects.get(village_id=a1).note == "牧区"
    assert MonitorAssignment.objects.filter(point__village_id=a2, active=True).count() == 2
    contact = MonitorContact.objects.get(monitor=world.user("monitor"))
    assert (contact.name, contact.phone_masked) == ("高娃", "138****5678")
    assert PHONE not in contact.phone_encrypted and PHONE not in contact.phone_hash

    # Full for the department and the monitor; masked for the auditor; never in the audit trail or a log.
    client.force_login(world.user("reviewer_org"))
    assert PHONE in client.get("/monitoring/points/").content.decode()
    client.force_login(world.user("monitor"))
    assert PHONE in client.get("/monitoring/points/").content.decode()
    client.force_login(world.user("auditor"))
    page = client.get("/monitoring/points/").content.decode()
    assert "138****5678" in page and PHONE not in page
    assert not any(PHONE in (e.summary or "") for e in AuditEvent.objects.all())
    assert PHONE not in caplog.text

    # The export masks the number; re-imported, nothing changes.
    client.force_login(world.user("reviewer_org"))
    response = client.get("/monitoring/points/export/")
    exported = b"".join(response.streaming_content).decode("utf-8-sig")
    assert (
        exported.startswith("村代码,村名,监测员账号") and "138****5678" in exported and PHONE not in exported
    )
    again = _import(world, exported, django_capture_on_commit_callbacks)
    assert (again.status, again.new_count, again.changed_count, again.unchanged_count) == (
        "checked",
        0,
        0,
        4,
    ), again.errors
    xlsx = client.get("/monitoring/points/export/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"

    # A changed number is a change; a masked number that is not the recorded one is refused.
    changed = exported.replace("138****5678", "13900001111")
    job = _import(world, changed, django_capture_on_commit_callbacks)
    assert (job.status, job.changed_count, job.unchanged_count) == ("checked", 2, 2), job.errors
    wrong = exported.replace("138****5678", "139****0000")
    job = _import(world, wrong, django_capture_on_commit_callbacks)
    assert job.status == "invalid" and "打码" in job.errors[0]["message"]


def test_only_the_county_organisation_department_imports(world, monitors):
    for name in ("township", "monitor", "submitter", "auditor"):
        with pytest.raises(PermissionDenied):
            spreadsheets.import_job_create(upload=_upload(HEADER), user=world.user(name))
    assert not MonitoringImportJob.objects.exists()


def test_the_import_pages(world, monitors, client, django_capture_on_commit_callbacks):
    client.force_login(world.user("reviewer_org"))
    page = client.get("/monitoring/points/import/")
    assert page.status_code == 200 and "监测员手机号" in page.content.decode()
    bad = client.post("/monitoring/points/import/", {"file": SimpleUploadedFile("x.txt", b"hello")})
    assert bad.status_code == 400 and "xlsx" in bad.content.decode()
    assert not MonitoringImportJob.objects.exists()
    text = HEADER + f"{world.village_a1.code},,monitor,高娃,{PHONE},\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/monitoring/points/import/", {"file": _upload(text)})
    job = MonitoringImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/monitoring/points/import/{job.pk}/"
    assert "确认" in client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/monitoring/points/import/{job.pk}/confirm/")
    assert MonitoringPoint.objects.filter(village=world.village_a1).exists()
    client.force_login(world.user("township"))
    assert client.get(f"/monitoring/points/import/{job.pk}/").status_code == 404
    assert client.post(f"/monitoring/points/import/{job.pk}/confirm/").status_code == 404


def test_contact_api_records_encrypted_answers_masked(world, points, api):
    client = api.as_user("reviewer_org")
    point = points[0]
    url = f"/api/v1/monitoring-points/{point.pk}/monitors/monitor/contact/"
    bad = client.post(url, {"name": "", "phone": "12"}, format="json")
    assert bad.status_code == 400 and {"name", "phone"} <= set(bad.json())
    assert not MonitorContact.objects.exists()
    ok = client.post(url, {"name": "高娃", "phone": PHONE}, format="json")
    assert ok.status_code == 200 and ok.json() == {"name": "高娃", "phone_masked": "138****5678"}
    assert api.as_user("monitor").post(url, {"name": "x", "phone": PHONE2}, format="json").status_code in (
        403,
        404,
    )
    assert MonitorContact.objects.get().phone_masked == "138****5678"
