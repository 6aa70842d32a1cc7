"""Ledgers, the task-division table and the periodic reports (issue 11; seed 000 §11, seed 004 annex)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from audit.models import AuditEvent
from certificates import services as certificates
from gate import services as gate
from notifications.models import Notification
from reports import demo, selectors, services, spreadsheets
from reports.models import PlanImportJob, PlanTask, Report
from signage.models import VillagePlaque

from .fixtures_certificates import VALID_ID, VALID_ID_X

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return "".join(text.split())


def _records(world, make_request):
    """One approved request dispatched to the county's three villages, two certificates, one plaque."""
    req = make_request("approved")
    gate.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    kw = {
        "user": world.user("township"),
        "village": world.village_a1,
        "purpose": "领取养老金",
        "institution_name": "某商业银行百灵庙支行",
    }
    issued = certificates.request_record(
        applicant_name="张建国", id_number=VALID_ID_X, certificate_name="草场承包证明", **kw
    )
    certificates.request_issue(request=issued, user=world.user("township"), facts="系哈达图嘎查村民")
    refused = certificates.request_record(
        applicant_name="其木格", id_number=VALID_ID, certificate_name="在世证明", **kw
    )
    certificates.request_refuse(request=refused, user=world.user("township"), item=refused.item)
    VillagePlaque.objects.create(
        village=world.village_a1,
        text="哈达图嘎查村民委员会",
        placement="outside",
        recorded_by=world.user("township"),
    )
    return req, issued, refused


def _ledger(client, division: str, today):
    start = (today - timedelta(days=30)).isoformat()
    return client.get(
        "/reports/ledger/", {"division": division, "date_from": start, "date_to": today.isoformat()}
    )


def _sheets(content: bytes) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_county_ledger_has_a_sheet_per_record_kind_and_no_full_id_number(
    world, make_request, cert_lists, login
):
    req, issued, refused = _records(world, make_request)
    today = timezone.localdate()
    response = _ledger(login("approver"), "150223000000", today)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    content = b"".join(response.streaming_content)
    sheets = _sheets(content)
    assert list(sheets) == ["封面", "清单事项", "准入审批", "派发任务", "证明登记", "牌子清单", "牌子整改"]
    approvals = sheets["准入审批"]
    assert approvals[0][:3] == ("申请编号", "事项名称", "申请单位")
    (row,) = approvals[1:]
    assert (
        row[0] == req.number and row[2] == "达茂旗应急管理局" and row[12] == "同意" and row[13] == "同意准入"
    )
    assert "同意" in row[11]  # the three review opinions
    dispatched = sheets["派发任务"][1:]
    assert sorted(r[0] for r in dispatched) == ["150223104200", "150223104201", "150223107200"]
    register = sheets["证明登记"][1:]
    assert [(r[3], r[4], r[8]) for r in register] == [
        ("张建国", issued.id_masked, "已出具"),
        ("其木格", refused.id_masked, "不予出具（负面清单）"),
    ]
    assert [r[2] for r in sheets["牌子清单"][1:]] == ["哈达图嘎查村民委员会"]
    assert any(r[2] == "健在证明" for r in sheets["清单事项"][1:]) is False  # certificates are not list items
    assert len(sheets["清单事项"]) > 1
    # Grep the whole workbook, every part of the zip: the full numbers are nowhere.
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        raw = b"".join(z.read(name) for name in z.namelist())
    assert VALID_ID.encode() not in raw and VALID_ID_X.encode() not in raw
    assert issued.id_masked.encode() in raw
    assert AuditEvent.objects.filter(action="reports.ledger_export").exists()


def test_a_townships_ledger_holds_only_its_villages_and_others_are_refused(
    world, make_request, cert_lists, login
):
    _records(world, make_request)
    today = timezone.localdate()
    sheets = _sheets(b"".join(_ledger(login("township"), "150223104000", today).streaming_content))
    assert sorted(r[0] for r in sheets["派发任务"][1:]) == ["150223104200", "150223104201"]
    assert len(sheets["准入审批"]) == 2  # the request whose tasks reached the township
    assert (
        _ledger(login("township_b"), "150223104000", today).status_code == 200
    )  # the form again: not its own
    assert _ledger(login("outsider"), "150223000000", today).status_code == 200
    assert "Content-Disposition" not in _ledger(login("outsider"), "150223000000", today)
    assert _ledger(login("submitter"), "150223000000", today).status_code == 403
    # A department's ledger has no certificate register: only its readers get that sheet.
    auditor = _sheets(b"".join(_ledger(login("auditor"), "150223000000", today).streaming_content))
    assert "证明登记" in auditor


@pytest.mark.parametrize("name, offered", [("submitter", False), ("monitor", False), ("approver", True)])
def test_the_reports_navigation_offers_the_ledger_only_to_those_who_may_download_it(
    world, login, name, offered
):
    client = login(name)
    body = client.get("/reports/").content.decode()
    assert ('href="/reports/ledger/"' in body) == offered
    assert client.get("/reports/ledger/").status_code == (200 if offered else 403)


# --- the task-division table --------------------------------------------------------------


def _plan(world):
    for row in demo.plan_rows():
        services.plan_task_create(user=world.user("keeper"), county=world.county, data=row)


def _upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_the_demo_plan_is_seed_004s_annex_without_invented_dates(world):
    _plan(world)
    tasks = list(PlanTask.objects.filter(division=world.county))
    assert len(tasks) == 17
    assert (
        tasks[0].lead_units == "县政府办"
        and tasks[0].deadline_text == "8月上旬"
        and tasks[0].deadline is None
    )
    assert {t.status for t in tasks if t.deadline_text == "长期坚持"} == {"ongoing"}
    assert all(t.source.startswith("种子文件004") for t in tasks)


def test_plan_export_reimports_unchanged_and_changes_are_written_after_confirming(
    world, login, django_capture_on_commit_callbacks
):
    _plan(world)
    keeper = world.user("keeper")
    response = login("keeper").get("/reports/plan/county/150223/export.xlsx")
    assert response.status_code == 200
    exported = response.content
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(
            county=world.county, upload=_upload(exported, "plan.xlsx"), user=keeper
        )
    job = PlanImportJob.objects.get(pk=job.pk)
    assert (job.status, job.unchanged_count, job.new_count, job.error_count) == ("checked", 17, 0, 0), (
        job.errors
    )
    # Edit the exported table: task 3 is done, a new task 18.
    wb = load_workbook(io.BytesIO(exported))
    ws = wb.active
    header = [c.value for c in ws[1]]
    row3 = next(r for r in ws.iter_rows(min_row=2) if r[0].value == 3)
    row3[header.index("状态")].value = "已完成"
    row3[header.index("进展情况")].value = "已印发分类赋码目录"
    ws.append(
        [
            18,
            "专项清理",
            "清理村级微信工作群",
            "县委组织部",
            "各乡镇",
            "9月底",
            "2026-09-30",
            "推进中",
            "",
            "",
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(
            county=world.county, upload=_upload(out.getvalue(), "p.xlsx"), user=keeper
        )
    job = PlanImportJob.objects.get(pk=job.pk)
    assert (job.status, job.new_count, job.changed_count, job.unchanged_count) == ("checked", 1, 1, 16)
    assert PlanTask.objects.filter(division=world.county).count() == 17  # nothing written by the check
    with django_capture_on_commit_callbacks(execute=True):
        spreadsheets.import_job_confirm(job=job, user=keeper)
    assert PlanImportJob.objects.get(pk=job.pk).status == "done"
    task3 = PlanTask.objects.get(division=world.county, number=3)
    assert task3.status == "done" and task3.progress == "已印发分类赋码目录" and task3.version == 2
    assert str(PlanTask.objects.get(division=world.county, number=18).deadline) == "2026-09-30"
    assert AuditEvent.objects.filter(action="reports.plan_import").exists()


def test_the_job_page_shows_the_check_and_confirming_there_writes_the_table(
    world, login, django_capture_on_commit_callbacks
):
    _plan(world)
    exported = login("keeper").get("/reports/plan/county/150223/export.xlsx").content
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(
            county=world.county, upload=_upload(exported, "分工表.xlsx"), user=world.user("keeper")
        )
    page = login("keeper").get(f"/reports/plan/imports/{job.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-status="checked"' in html and "分工表.xlsx" in html
    assert 'data-testid="import-confirm"' in html and "确认" in html
    assert 'class="nav-link active"' in html  # the reports navigation, on the table's tab
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = login("keeper").post(f"/reports/plan/imports/{job.pk}/confirm/")
    assert confirmed.status_code == 302 and confirmed["Location"].endswith(f"/reports/plan/imports/{job.pk}/")
    done = login("keeper").get(f"/reports/plan/imports/{job.pk}/").content.decode()
    assert 'data-status="done"' in done and "/reports/plan/?county=150223" in done
    # Someone of another county never sees the job.
    assert login("outsider").get(f"/reports/plan/imports/{job.pk}/").status_code == 404


def test_bad_rows_are_said_in_chinese_per_row_and_nothing_is_written(
    world, django_capture_on_commit_callbacks
):
    keeper = world.user("keeper")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["序号", "工作任务", "推进措施", "牵头单位", "责任单位", "完成时限", "完成日期", "状态"])
    writer.writerow([1, "明确基层职能职责", "厘清责任边界", "县政府办", "", "8月上旬", "", "未启动"])
    writer.writerow(["一", "规范流程", "分类赋码", "县行政审批局", "", "", "", ""])
    writer.writerow([3, "", "没有任务名", "", "", "", "明年", "搞定"])
    writer.writerow([1, "重复的序号", "措施", "县民政局", "", "", "", ""])
    writer.writerow(["2.5", "半个序号", "措施", "县民政局", "", "", "", ""])
    upload = _upload(("\ufeff" + text.getvalue()).encode(), "plan.csv")
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(county=world.county, upload=upload, user=keeper)
    job = PlanImportJob.objects.get(pk=job.pk)
    assert job.status == "invalid"
    errors = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "1至999的整数" in errors[(3, "序号")]
    assert "必填" in errors[(4, "工作任务")] and "必填" in errors[(4, "牵头单位")]
    assert "完成日期应为日期" in errors[(4, "完成日期")]
    assert "无法识别" in errors[(4, "状态")] and "已完成" in errors[(4, "状态")]
    assert "两次" in errors[(5, "序号")] or "重复" in errors[(5, "序号")] or (5, "序号") in errors
    assert "1至999的整数" in errors[(6, "序号")]  # never read as task 2
    assert not PlanTask.objects.exists()
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.import_job_confirm(job=job, user=keeper)
    assert not PlanTask.objects.exists()


def test_only_the_county_team_keeps_the_table_and_stale_edits_are_refused(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    _plan(world)
    task = PlanTask.objects.get(division=world.county, number=1)
    with pytest.raises(PermissionDenied):
        services.plan_task_update(user=world.user("reviewer_org"), task_id=task.pk, data={"status": "done"})
    services.plan_task_update(
        user=world.user("approver"), task_id=task.pk, data={"status": "in_progress"}, version=1
    )
    with pytest.raises(ValidationError) as exc:
        services.plan_task_update(
            user=world.user("keeper"), task_id=task.pk, data={"status": "done"}, version=1
        )
    assert "他人修改" in exc.value.message_dict["version"][0]
    with pytest.raises(ValidationError):
        services.plan_task_create(user=world.user("keeper"), county=world.county, data=demo.plan_rows()[0])


def test_overdue_tasks_are_reminded_then_escalated_once(world):
    _plan(world)
    today = timezone.localdate()
    due_soon = PlanTask.objects.get(division=world.county, number=1)
    late = PlanTask.objects.get(division=world.county, number=2)
    services.plan_task_update(user=world.user("keeper"), task_id=due_soon.pk, data={"deadline": today})
    services.plan_task_update(
        user=world.user("keeper"), task_id=late.pk, data={"deadline": today - timedelta(days=3)}
    )
    assert services.plan_reminders(today) == 3  # keeper + approver reminded, approver told of the late one
    assert services.plan_reminders(today) == 0  # once per key
    kinds = set(Notification.objects.values_list("user__username", "kind"))
    assert kinds == {("keeper", "plan_reminder"), ("approver", "plan_reminder"), ("approver", "plan_overdue")}
    assert selectors.plan_progress(world.county, today)["overdue"] == 1


# --- the periodic reports ----------------------------------------------------------------


def _next_monday():
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


@pytest.mark.pdf
def test_weekly_report_pdf_holds_the_chinese_figures_and_reaches_subscribers(
    world, make_request, cert_lists, login, mailoutbox, django_capture_on_commit_callbacks
):
    _records(world, make_request)
    make_request("in_review")
    _plan(world)
    task = PlanTask.objects.get(division=world.county, number=3)
    services.plan_task_update(
        user=world.user("keeper"), task_id=task.pk, data={"status": "done", "progress": "目录已印发"}
    )
    approver = world.user("approver")
    approver.email = "approver@example.org"
    approver.save()
    services.subscription_set(user=approver, county=world.county, kind="weekly", subscribed=True)
    with django_capture_on_commit_callbacks(execute=True):
        (report,) = services.reports_run(kind="weekly", today=_next_monday())
    figures = {row["key"]: row["value"] for row in report.figures}
    assert figures["gate_new"] == 2 and figures["gate_approved"] == 1 and figures["gate_refused"] == 0
    assert figures["gate_dispatched"] == 3 and figures["certificates_issued"] == 1
    assert figures["certificates_refused"] == 1 and figures["plan_done"] == 1 and figures["plan_ongoing"] == 2
    assert report.document.number.startswith("达尔罕茂明安联合旗减负周报〔")
    response = login("approver").get(f"/reports/r/{report.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("村（社区）减负工作周报告", "新提交准入申请2", "批准准入1", "派发到村任务3", "出具证明1",
                     "拒开证明（负面清单）1", "任务分工：已完成1", "目录已印发", "村级负担账本", "合计"):  # fmt: skip
        assert expected in text, expected
    assert "尚未纳入" not in text  # the burden account is part of the report
    # Issued by the schedule, not by a person: no author, labelled so, and no stand-in account.
    assert report.document.created_by is None and "系统自动生成" in text
    issued = AuditEvent.objects.get(action="documents.issue", object_id=str(report.document.pk))
    assert issued.actor_id is None and issued.actor_name == "system"
    from organisations.models import User

    assert not User.objects.filter(is_active=False, is_superuser=True).exists()
    xlsx = _sheets(login("approver").get(f"/reports/r/{report.pk}/report.xlsx").getvalue())
    assert ("新提交准入申请", 2) in xlsx["周报告"] and len(xlsx["任务分工"]) == 18
    assert mailoutbox and mailoutbox[0].to == ["approver@example.org"] and "周报告" in mailoutbox[0].subject
    # Beat firing twice (or a worker dying mid-run) makes no second report or number.
    again = services.reports_run(kind="weekly", today=_next_monday())
    assert [r.pk for r in again] == [report.pk] and Report.objects.count() == 1
    # Outside the county, the report does not exist.
    assert login("outsider").get(f"/reports/r/{report.pk}/report.pdf").status_code == 404
    assert login("submitter").get(f"/reports/r/{report.pk}/").status_code == 404


def test_reports_issued_under_the_old_stand_in_account_lose_it(world):
    """The migration that made scheduled reports system-issued: earlier documents keep their number, not the account."""
    import importlib

    from django.apps import apps

    from documents.models import Document
    from organisations.models import User

    migration = importlib.import_module("reports.migrations.0002_scheduled_reports_issued_by_the_system")
    old = User(username="reports-scheduler", is_active=False, is_superuser=True)
    old.set_unusable_password()
    old.save()
    doc = Document.objects.create(
        kind="report_weekly", number="达尔罕茂明安联合旗减负周报〔2026〕1号", title="周报告",
        division=world.county, target_type="reports.report", target_id="1", html="<p></p>", created_by=old,
    )  # fmt: skip
    migration.forwards(apps, None)
    doc.refresh_from_db()
    assert doc.created_by is None and doc.number.endswith("1号")
    assert not User.objects.filter(username="reports-scheduler").exists()
    migration.forwards(apps, None)  # again: nothing left to do


def test_the_monthly_summary_covers_last_calendar_month_and_the_command_runs_it(world, capsys):
    from datetime import date

    from django.core.management import call_command

    _plan(world)
    assert selectors.period_for("monthly", date(2026, 3, 1)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert selectors.period_for("weekly", date(2026, 12, 2)) == (date(2026, 11, 23), date(2026, 11, 29))
    call_command("reports_run", "monthly", "--today", "2026-03-05", "--county", "150223")
    report = Report.objects.get()
    assert (report.kind, str(report.period_start), str(report.period_end)) == (
        "monthly",
        "2026-02-01",
        "2026-02-28",
    )
    assert "减负月结" in capsys.readouterr().out


def test_the_beat_schedule_holds_the_reports():
    import reports.tasks  # noqa: F401
    from villageburden.celery import app

    schedule = app.conf.beat_schedule
    assert schedule["reports-weekly"]["task"] == "reports.report_weekly"
    assert schedule["reports-monthly"]["task"] == "reports.report_monthly"
    assert app.amqp.router.route({}, "reports.report_weekly")["queue"].name == "reports"


# --- REST ---------------------------------------------------------------------------------


def test_plan_api_reads_in_scope_and_writes_through_the_services(world, api):
    _plan(world)
    rows = api.as_user("approver").get("/api/v1/plan-tasks/?county=150223").json()["results"]
    assert len(rows) == 17
    assert api.as_user("outsider").get("/api/v1/plan-tasks/").json()["results"] == []
    created = api.as_user("keeper").post(
        "/api/v1/plan-tasks/",
        {
            "county": "150223",
            "number": 18,
            "task": "专项清理",
            "measure": "清理微信群",
            "lead_units": "县委组织部",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    bad = api.as_user("keeper").patch(f"/api/v1/plan-tasks/{pk}/", {"status": "搞定"}, format="json")
    assert bad.status_code == 400 and "搞定" in bad.json()["status"][0]
    stale = api.as_user("keeper").patch(
        f"/api/v1/plan-tasks/{pk}/", {"status": "done", "expected_version": 7}, format="json"
    )
    assert stale.status_code == 400
    ok = api.as_user("keeper").patch(
        f"/api/v1/plan-tasks/{pk}/",
        {"status": "done", "progress": "已清理12个群", "expected_version": 1},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "done" and ok.json()["version"] == 2
    assert api.as_user("reviewer_org").patch(
        f"/api/v1/plan-tasks/{pk}/", {"status": "done"}, format="json"
    ).status_code in (403, 404)
    assert api.as_user("outsider").get(f"/api/v1/plan-tasks/{pk}/").status_code == 404


@pytest.mark.pdf
def test_reports_api_lists_and_downloads(world, api):
    _plan(world)
    (report,) = services.reports_run(kind="weekly", today=_next_monday())
    rows = api.as_user("approver").get("/api/v1/reports/?county=150223").json()["results"]
    assert [r["id"] for r in rows] == [report.pk] and rows[0]["number"] == report.document.number
    pdf = api.as_user("approver").get(f"/api/v1/reports/{report.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert api.as_user("approver").get(f"/api/v1/reports/{report.pk}/xlsx/").status_code == 200
    assert api.as_user("outsider").get(f"/api/v1/reports/{report.pk}/pdf/").status_code == 404


def test_a_report_pdf_without_chinese_fonts_is_said_in_chinese_with_a_way_back(
    world, make_request, cert_lists, login, settings, django_capture_on_commit_callbacks
):
    settings.DOCUMENT_FONT_FILES = ["/nonexistent/font.ttc"]
    _records(world, make_request)
    with django_capture_on_commit_callbacks(execute=True):
        (report,) = services.reports_run(kind="weekly", today=_next_monday(), counties=[world.county])
    response = login("approver").get(f"/reports/r/{report.pk}/report.pdf")
    assert response.status_code == 503
    body = response.content.decode()
    assert "中文字体" in body and "fonts-noto-cjk" in body
    assert f'href="/reports/r/{report.pk}/"' in body and "返回报告页面" in body
