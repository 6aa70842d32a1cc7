"""A monitor edits or withdraws a report until the organisation department takes it up; then a clear refusal.

Edits keep a history the department reads; a withdrawal carries a reason, is audited and told to the department;
the institution still never learns who reported.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from monitoring import services
from monitoring.models import BurdenReport, ReportRevision
from notifications.models import Notification

TAKEN_UP = "组织部门已受理这份报告"


def _edit(world, report, user="monitor", institution="旗农牧局", **data):
    return services.report_edit(
        user=world.user(user), report_id=report.pk, data=data, institution_name=institution
    )


def test_an_edit_before_take_up_is_kept_as_a_revision_and_the_department_told(world, file_report):
    report = file_report()
    _edit(world, report, institution="旗农牧和科技局", visitor_count=7, description="检查组要求全程陪同")
    report.refresh_from_db()
    assert (report.institution.name, report.visitor_count) == ("旗农牧和科技局", 7)
    revision = ReportRevision.objects.get(report=report)
    changes = {c["field"]: (c["before"], c["after"]) for c in revision.changes}
    assert changes == {
        "institution": ("旗农牧局", "旗农牧和科技局"),
        "description": ("检查组来村检查，要求准备汇报材料", "检查组要求全程陪同"),
        "visitor_count": ("5", "7"),
    }
    told = Notification.objects.get(kind="burden_report_edited")
    assert told.user.username == "reviewer_org" and "monitor" not in told.subject
    event = AuditEvent.objects.get(action="monitoring.report.edit")
    assert "visitor_count" in event.summary
    # Nothing changed: no revision, no notification.
    _edit(world, report, institution="旗农牧和科技局", visitor_count=7)
    assert (
        ReportRevision.objects.count() == 1
        and Notification.objects.filter(kind="burden_report_edited").count() == 1
    )


def test_bad_edits_are_refused_in_chinese_and_change_nothing(world, file_report):
    report = file_report()
    before = BurdenReport.objects.filter(pk=report.pk).values().get()
    with pytest.raises(ValidationError) as exc:
        _edit(world, report, description="", visitors="")
    assert "description" in exc.value.message_dict and "visitors" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _edit(world, report, kind="unplanned_form", form_name="某表")
    assert "表格填报计划" in exc.value.message_dict["kind"][0]
    with pytest.raises(PermissionDenied):
        _edit(world, report, user="reviewer_org", visitor_count=9)
    assert BurdenReport.objects.filter(pk=report.pk).values().get() == before
    assert not ReportRevision.objects.exists()


def test_withdrawal_needs_a_reason_is_audited_and_told_and_stops_counting(world, file_report):
    from django.utils import timezone

    from divisions.models import Division, Level
    from monitoring.burden_sources import SOURCES

    inspections = SOURCES[0]
    villages = Division.objects.filter(level=Level.VILLAGE)
    report = file_report(hours=3)
    today = timezone.localdate()
    assert inspections.per_village(villages, today) == {world.village_a1.pk: (1, 3.0, False)}
    with pytest.raises(ValidationError) as exc:
        services.report_withdraw(user=world.user("monitor"), report_id=report.pk, reason="  ")
    assert exc.value.message_dict["reason"] == ["必须填写理由。"]
    assert BurdenReport.objects.get(pk=report.pk).status == "open"
    with pytest.raises(PermissionDenied):
        services.report_withdraw(user=world.user("reviewer_org"), report_id=report.pk, reason="代为撤回")
    services.report_withdraw(user=world.user("monitor"), report_id=report.pk, reason="填错了单位，重新上报")
    report.refresh_from_db()
    assert report.status == "withdrawn" and report.withdrawal_reason == "填错了单位，重新上报"
    event = AuditEvent.objects.get(action="monitoring.report.withdraw")
    assert event.summary == "填错了单位，重新上报"
    assert set(
        Notification.objects.filter(kind="burden_report_withdrawn").values_list("user__username", flat=True)
    ) == {"reviewer_org"}
    # Withdrawn: not waiting, not reminded, not closed, not edited again.
    from monitoring.selectors import reports_waiting

    assert not reports_waiting(world.user("reviewer_org")).exists()
    assert services.report_reminders(today=report.due_on) == 0
    with pytest.raises(ValidationError):
        services.report_close(
            user=world.user("reviewer_org"), report_id=report.pk, outcome="unfounded", reason="x"
        )
    with pytest.raises(ValidationError) as exc:
        _edit(world, report, visitor_count=2)
    assert "已撤回" in exc.value.messages[0]
    # The burden account no longer counts it from the day it was withdrawn.
    assert inspections.per_village(villages, today) == {}


def test_after_take_up_edits_and_withdrawal_are_refused_in_words(world, file_report):
    report = file_report()
    with pytest.raises(PermissionDenied):
        services.report_take_up(user=world.user("monitor"), report_id=report.pk)
    services.report_take_up(user=world.user("reviewer_org"), report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "taken_up" and report.taken_up_at is not None
    assert Notification.objects.filter(kind="burden_report_taken", user=world.user("monitor")).exists()
    for attempt in (
        lambda: _edit(world, report, visitor_count=2),
        lambda: services.report_withdraw(user=world.user("monitor"), report_id=report.pk, reason="不报了"),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert TAKEN_UP in exc.value.messages[0]
    assert BurdenReport.objects.get(pk=report.pk).status == "taken_up"
    # Still in the department's hands: reminded, closed as before.
    from monitoring.selectors import reports_waiting

    assert reports_waiting(world.user("reviewer_org")).filter(pk=report.pk).exists()
    services.report_close(
        user=world.user("reviewer_org"), report_id=report.pk, outcome="unfounded", reason="核实不属实"
    )
    assert BurdenReport.objects.get(pk=report.pk).status == "closed"


def test_closing_counts_as_taking_up(world, file_report):
    report = file_report()
    services.report_close(
        user=world.user("reviewer_org"), report_id=report.pk, outcome="unfounded", reason="不实"
    )
    with pytest.raises(ValidationError) as exc:
        services.report_withdraw(user=world.user("monitor"), report_id=report.pk, reason="不报了")
    assert TAKEN_UP in exc.value.messages[0]


def test_pages_edit_withdraw_and_history(world, file_report, login):
    report = file_report()
    monitor = login("monitor")
    detail = monitor.get(f"/monitoring/reports/{report.pk}/").content.decode()
    assert f"/monitoring/reports/{report.pk}/edit/" in detail and "撤回" in detail
    page = monitor.get(f"/monitoring/reports/{report.pk}/edit/")
    assert page.status_code == 200 and "旗农牧局" in page.content.decode()
    form = {
        "kind": "inspection",
        "institution_name": "旗农牧局",
        "description": "",
        "seen_on": report.seen_on.isoformat(),
        "visitors": "旗农牧局检查组",
        "visitor_count": "5",
        "asked": "汇报材料、台账",
        "anonymous": "on",
    }
    bad = monitor.post(f"/monitoring/reports/{report.pk}/edit/", form)
    assert bad.status_code == 400 and "必填" in bad.content.decode()
    assert not ReportRevision.objects.exists()
    form["description"] = "检查组要求准备汇报材料和台账"
    assert monitor.post(f"/monitoring/reports/{report.pk}/edit/", form).status_code == 302
    handler = login("reviewer_org")
    detail = handler.get(f"/monitoring/reports/{report.pk}/").content.decode()
    assert 'data-testid="revisions"' in detail and "检查组要求准备汇报材料和台账" in detail
    assert "monitor" not in detail.split('data-testid="revisions"')[1].split("</ul>")[0]  # anonymous: no name
    # The department cannot edit or withdraw for the monitor.
    assert handler.get(f"/monitoring/reports/{report.pk}/edit/").status_code == 403
    assert handler.post(f"/monitoring/reports/{report.pk}/withdraw/", {"reason": "x"}).status_code == 403
    # Withdraw: the reason is required, in Chinese.
    monitor = login("monitor")
    empty = monitor.post(f"/monitoring/reports/{report.pk}/withdraw/", {"reason": ""})
    assert empty.status_code == 400 and "必须填写理由" in empty.content.decode()
    assert (
        monitor.post(f"/monitoring/reports/{report.pk}/withdraw/", {"reason": "重复上报"}).status_code == 302
    )
    detail = monitor.get(f"/monitoring/reports/{report.pk}/").content.decode()
    assert "重复上报" in detail and "已撤回" in detail
    refused = monitor.get(f"/monitoring/reports/{report.pk}/withdraw/").content.decode()
    assert 'data-testid="refused"' in refused


def test_the_department_takes_up_on_the_page(world, file_report, login):
    report = file_report()
    handler = login("reviewer_org")
    assert 'data-testid="take-up"' in handler.get(f"/monitoring/reports/{report.pk}/").content.decode()
    assert handler.post(f"/monitoring/reports/{report.pk}/", {"action": "take_up"}).status_code == 302
    assert BurdenReport.objects.get(pk=report.pk).status == "taken_up"
    monitor = login("monitor")
    page = monitor.get(f"/monitoring/reports/{report.pk}/edit/").content.decode()
    assert TAKEN_UP in page and 'data-testid="edit-form"' not in page
    assert (
        login("monitor").post(f"/monitoring/reports/{report.pk}/", {"action": "take_up"}).status_code == 403
    )


def test_api_revise_withdraw_take_up(world, file_report, api):
    report = file_report()
    bad = api.as_user("monitor").post(
        f"/api/v1/burden-reports/{report.pk}/revise/", {"description": ""}, format="json"
    )
    assert bad.status_code == 400 and "description" in bad.json()
    ok = api.as_user("monitor").post(
        f"/api/v1/burden-reports/{report.pk}/revise/", {"hours": "2.5"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["hours"] == "2.5"
    assert ok.json()["revisions"][0]["changes"] == [{"field": "hours", "before": "", "after": "2.5"}]
    assert (
        api.as_user("reviewer_org")
        .post(f"/api/v1/burden-reports/{report.pk}/withdraw/", {"reason": "x"})
        .status_code
        == 403
    )
    taken = api.as_user("reviewer_org").post(f"/api/v1/burden-reports/{report.pk}/take-up/")
    assert taken.status_code == 200 and taken.json()["status"] == "taken_up"
    refused = api.as_user("monitor").post(
        f"/api/v1/burden-reports/{report.pk}/withdraw/", {"reason": "不报了"}, format="json"
    )
    assert refused.status_code == 400 and TAKEN_UP in str(refused.json())
    other = file_report()
    gone = api.as_user("monitor").post(
        f"/api/v1/burden-reports/{other.pk}/withdraw/", {"reason": "重复"}, format="json"
    )
    assert gone.status_code == 200 and gone.json()["status"] == "withdrawn"
    assert gone.json()["withdrawal_reason"] == "重复"
    # The township (an institution's side) sees nothing of it.
    assert api.as_user("township").get(f"/api/v1/burden-reports/{other.pk}/").status_code == 404


def test_withdrawing_an_unplanned_form_says_the_forms_plan_demand_goes_with_it(world, file_report, login):
    report = file_report(kind="unplanned_form", form_name="自然灾害风险隐患排查表", visitors="")
    page = login("monitor").get(f"/monitoring/reports/{report.pk}/withdraw/").content.decode()
    assert 'data-testid="forms-plan-note"' in page and "也一并撤回" in page
