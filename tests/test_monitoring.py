"""Monitoring points and burden reports: filing, handling, the ranking, notices, reminders, the burden account."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from monitoring import services
from monitoring.models import BurdenReport, Evidence, ReportDecision
from notifications.models import Notification

from .fixtures_monitoring import report_data
from .fixtures_signage import jpeg


def _close(world, report, outcome="substantiated", **over):
    kw = {"reason": "核实属实", "correction": "已责令停止", **over}
    return services.report_close(user=world.user("reviewer_org"), report_id=report.pk, outcome=outcome, **kw)


def test_a_monitor_files_an_inspection_and_the_department_is_told(world, file_report):
    report = file_report()
    assert report.county == world.county and report.status == "open"
    assert report.institution.name == "旗农牧局"
    assert report.due_on > timezone.localdate()
    told = Notification.objects.filter(kind="burden_report")
    assert set(told.values_list("user__username", flat=True)) == {"reviewer_org"}
    assert "monitor" not in told.get().subject


def test_points_of_is_the_monitors_villages_only(world, points):
    from monitoring.selectors import points_of

    assert list(points_of(world.user("monitor"))) == [world.village_a1]
    assert set(points_of(world.user("reviewer_org"))) == {world.village_a1, world.village_a2}
    assert not points_of(world.user("township")).exists()


@pytest.mark.parametrize(
    "over, field",
    [
        ({"description": "", "kind": "proof", "visitors": ""}, "description"),
        ({"kind": ""}, "kind"),
        ({"visitors": ""}, "visitors"),
        ({"visitor_count": None}, "visitor_count"),
        ({"kind": "unplanned_form", "form_name": ""}, "form_name"),
        ({"seen_on": timezone.localdate() + timedelta(days=2)}, "seen_on"),
    ],
)
def test_bad_reports_name_the_field_in_chinese_and_write_nothing(world, file_report, over, field):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        file_report(**over)
    assert field in exc.value.message_dict
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message_dict[field][0])
    assert not BurdenReport.objects.exists()


def test_a_village_outside_the_monitors_points_is_refused(world, points):
    from django.utils import translation

    for village in (world.village_a2, world.village_b1, world.village_c1):
        with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
            services.report_file(
                user=world.user("monitor"), village=village, data=report_data(), institution_name="某局"
            )
        assert "监测点" in exc.value.message_dict["village"][0]
    assert not BurdenReport.objects.exists()


def test_only_monitors_file_reports(world, points):
    with pytest.raises(PermissionDenied):
        services.report_file(
            user=world.user("township"), village=world.village_a1, data=report_data(), institution_name="某局"
        )


def test_evidence_is_checked_before_anything_is_written(world, file_report, settings, tmp_path):
    from django.utils import translation

    settings.MEDIA_ROOT = tmp_path
    big = SimpleUploadedFile(
        "big.jpg", b"\xff\xd8\xff" + b"0" * (40 * 1024 * 1024), content_type="image/jpeg"
    )
    fake = SimpleUploadedFile("photo.jpg", b"MZ this is a program", content_type="image/jpeg")
    exe = SimpleUploadedFile("表.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with translation.override("zh-hans"):
        for photos, files, field in (([big], [], "photos"), ([fake], [], "photos"), ([], [exe], "files")):
            with pytest.raises(ValidationError) as exc:
                services.report_file(
                    user=world.user("monitor"),
                    village=world.village_a1,
                    data=report_data(),
                    institution_name="某局",
                    photos=photos,
                    files=files,
                )
            assert field in exc.value.message_dict
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.report_file(
            user=world.user("monitor"), village=world.village_a1, data=report_data(), institution_name="某局",
            photos=[big],
        )  # fmt: skip
    assert "40.0" in exc.value.message_dict["photos"][0] and "10" in exc.value.message_dict["photos"][0]
    assert not BurdenReport.objects.exists() and not Evidence.objects.exists()
    pdf = SimpleUploadedFile("通知.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    report = services.report_file(
        user=world.user("monitor"), village=world.village_a1, data=report_data(), institution_name="某局",
        photos=[jpeg()], files=[pdf],
    )  # fmt: skip
    kinds = sorted(report.evidence.values_list("kind", "content_type"))
    assert kinds == [("file", "application/pdf"), ("photo", "image/jpeg")]


def test_the_department_closes_and_the_reporter_sees_the_outcome(world, file_report, login):
    report = file_report()
    with pytest.raises(ValidationError) as exc:
        _close(world, report, correction="")  # substantiated needs the correction made
    assert "correction" in exc.value.message_dict
    with pytest.raises(ValidationError):
        _close(world, report, reason="  ")
    with pytest.raises(PermissionDenied):
        services.report_close(
            user=world.user("reviewer_civil"), report_id=report.pk, outcome="unfounded", reason="x"
        )
    assert not ReportDecision.objects.exists()
    _close(world, report)
    report.refresh_from_db()
    assert report.status == "closed" and report.decision.outcome == "substantiated"
    told = Notification.objects.get(kind="burden_report_closed")
    assert told.user == world.user("monitor")
    page = login("monitor").get(f"/monitoring/reports/{report.pk}/").content.decode()
    assert "已责令停止" in page and "属实" in page
    with pytest.raises(ValidationError):
        _close(world, report)  # closed once


def test_reminders_before_and_escalation_after_the_deadline(world, file_report):
    from villageburden.workdays import add_working_days

    report = file_report()
    before = add_working_days(report.due_on, -1)
    assert services.report_reminders(today=before) == 1
    assert services.report_reminders(today=before) == 0  # once per key
    assert services.report_reminders(today=report.due_on + timedelta(days=1)) == 2  # handler + approver
    late = Notification.objects.filter(kind="burden_report_late")
    assert set(late.values_list("user__username", flat=True)) == {"reviewer_org", "approver"}
    _close(world, report)
    assert services.report_reminders(today=report.due_on + timedelta(days=30)) == 0


def test_the_sweep_command(world, file_report):
    from django.core.management import call_command

    report = file_report()
    out = io.StringIO()
    call_command("monitoring_reminders", today=str(report.due_on + timedelta(days=1)), stdout=out)
    assert "reminders 2" in out.getvalue()


@pytest.mark.pdf
def test_ranking_notice_and_the_shared_notice_page_never_name_the_reporter(world, file_report, client, login):
    monitor = world.user("monitor")
    monitor.display_name = "高娃监测员"
    monitor.save()
    first = file_report(institution="旗农牧局")
    _close(world, first)
    ranking = client.get("/monitoring/ranking/150223/").content.decode()
    assert "旗农牧局" in ranking and "属实的负担报告：1" in ranking.replace(" ", "")
    handler = login("reviewer_org")
    refused = handler.post("/monitoring/ranking/150223/", {"institution": first.institution_id}, follow=True)
    assert "至少" in refused.content.decode()  # one substantiated report is not "repeated"
    _close(world, file_report(institution="旗农牧局"))
    handler.post("/monitoring/ranking/150223/", {"institution": first.institution_id})
    from institutions.models import Notice

    notice = Notice.objects.get()
    assert notice.source == "monitoring" and notice.count == 2 and "组通" in notice.document.number
    client.logout()
    public = client.get("/institutions/notices/150223/").content.decode()
    assert notice.document.number in public and "旗农牧局" in public
    assert client.get(notice.document.get_absolute_url()).status_code == 200
    for page in (public, client.get("/monitoring/ranking/150223/").content.decode()):
        assert "高娃监测员" not in page and "报告人" not in page


def test_the_reporter_is_hidden_when_anonymous(world, file_report, login, api):
    report = file_report(anonymous=True)
    handler_page = login("reviewer_org").get(f"/monitoring/reports/{report.pk}/").content.decode()
    assert 'data-testid="reporter">匿名' in handler_page.replace("\n", "")
    assert api.as_user("reviewer_org").get(f"/api/v1/burden-reports/{report.pk}/").json()["reporter"] is None
    assert api.as_user("monitor").get(f"/api/v1/burden-reports/{report.pk}/").json()["reporter"] == "monitor"
    named = file_report(anonymous=False)
    assert (
        api.as_user("reviewer_org").get(f"/api/v1/burden-reports/{named.pk}/").json()["reporter"] == "monitor"
    )
    # The institution (a county department) reaches none of it.
    assert login("submitter").get(f"/monitoring/reports/{report.pk}/").status_code == 404


def test_api_files_and_closes_with_constant_queries(
    world, points, api, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    monitor = api.as_user("monitor")
    body = {**report_data(), "seen_on": str(timezone.localdate()), "village": world.village_a1.pk}
    created = monitor.post(
        "/api/v1/burden-reports/", {**body, "institution_name": "旗水利局", "photos": [jpeg()]}
    )
    assert created.status_code == 201, created.content
    assert created.json()["institution"] == "旗水利局" and created.json()["evidence"][0]["kind"] == "photo"
    assert created.json()["anonymous"] is True  # a multipart report without the box is still anonymous
    bad = monitor.post(
        "/api/v1/burden-reports/", {**body, "village": world.village_b1.pk, "institution_name": "某局"}
    )
    assert bad.status_code == 400 and "village" in bad.json()
    for _ in range(5):
        services.report_file(
            user=world.user("monitor"), village=world.village_a1, data=report_data(), institution_name="某局"
        )
    handler = api.as_user("reviewer_org")
    with django_assert_max_num_queries(12) as few:
        assert len(handler.get("/api/v1/burden-reports/?page_size=2").json()["results"]) == 2
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(handler.get("/api/v1/burden-reports/?page_size=6").json()["results"]) == 6
    closed = handler.post(
        f"/api/v1/burden-reports/{created.json()['id']}/close/",
        {"outcome": "substantiated", "reason": "属实", "correction": "已整改"},
        format="json",
    )
    assert closed.status_code == 200 and closed.json()["finding"] == "substantiated"
    assert "/api/v1/burden-reports/" in api.as_user("provadmin").get("/api/schema/").content.decode()


def test_points_are_designated_by_the_organisation_department_only(world, api):
    assert (
        api.as_user("township")
        .post("/api/v1/monitoring-points/", {"village": world.village_a1.pk})
        .status_code
        == 403
    )
    made = api.as_user("reviewer_org").post("/api/v1/monitoring-points/", {"village": world.village_a1.pk})
    assert made.status_code == 201
    assigned = api.as_user("reviewer_org").post(
        f"/api/v1/monitoring-points/{made.json()['id']}/assign/", {"monitor": "monitor"}
    )
    assert assigned.status_code == 201
    not_a_monitor = api.as_user("reviewer_org").post(
        f"/api/v1/monitoring-points/{made.json()['id']}/assign/", {"monitor": "township"}
    )
    assert not_a_monitor.status_code == 400


def test_burden_sources(world, file_report):
    from divisions.models import Division, Level
    from monitoring.burden_sources import SOURCES

    inspections, others = SOURCES
    villages = Division.objects.filter(level=Level.VILLAGE)
    today = timezone.localdate()
    assert inspections.per_village(villages, today) is None  # nothing recorded: "not recorded", never 0
    file_report(hours=6)
    file_report()
    proof = file_report(kind="proof", visitors="")
    file_report(kind="unplanned_form", form_name="排查表", visitors="")  # counted by the forms plan
    assert inspections.per_village(villages, today) == {world.village_a1.pk: (2, 10.0, True)}
    assert others.per_village(villages, today) == {world.village_a1.pk: (1, 1.0, True)}
    assert inspections.per_village(villages, today - timedelta(days=1)) == {}  # not yet filed
    _close(world, proof, outcome="unfounded", correction="")
    assert others.per_village(villages, today) == {}
    rows = inspections.rows(villages, today)
    assert len(rows) == 2 and {r["estimated"] for r in rows} == {True, False}


def test_demo_is_rerunnable(db):
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    count = BurdenReport.objects.count()
    assert count >= 3 and BurdenReport.objects.filter(status="closed").count() >= 2
    call_command("seed_demo", stdout=io.StringIO())
    assert BurdenReport.objects.count() == count


def test_the_report_page_refuses_a_village_outside_the_points(world, points, login):
    response = login("monitor").post(
        "/monitoring/reports/new/",
        {
            **report_data(),
            "village": world.village_b1.pk,
            "institution_name": "某局",
            "seen_on": "2026-11-30",
        },
    )
    assert response.status_code == 200
    assert "该嘎查村不是您负责的监测点" in response.content.decode()
    assert not BurdenReport.objects.exists()
    assert login("township").get("/monitoring/reports/new/").status_code == 403


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999", ""])
def test_a_notice_for_a_tampered_institution_id_is_a_404(world, login, bad):
    from institutions.models import Notice

    assert login("reviewer_org").post("/monitoring/ranking/150223/", {"institution": bad}).status_code == 404
    assert not Notice.objects.exists()
