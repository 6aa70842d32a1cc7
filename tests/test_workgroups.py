"""The registry of work groups and apps: register, the county's clean-up decisions, counts before and after."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from divisions.models import Division
from workgroups import selectors, services, spreadsheets
from workgroups.burden_sources import SOURCES
from workgroups.models import ChannelImportJob, CleanupDecision, WorkChannel

pytestmark = pytest.mark.django_db


def _register(world, user="township", name="防汛打卡群", villages=None, **flags):
    return services.channel_register(
        user=world.user(user),
        data={
            "kind": flags.pop("kind", "group"),
            "name": name,
            "owner_name": "达茂旗某局",
            "purpose": "值班打卡",
            "villages": villages or {world.village_a1.pk: 5, world.village_a2.pk: 3},
            **flags,
        },
    )


def test_a_township_registers_a_group_for_its_villages_only(world):
    channel = _register(world, demands_checkin=True, demands_screenshots=True)
    assert channel.county == world.county and channel.owner.name == "达茂旗某局"
    assert channel.demands == ["打卡", "截图留痕"]
    with pytest.raises(ValidationError) as exc:
        _register(world, name="另一个群", villages={world.village_b1.pk: 2})
    assert world.village_b1.pk in " ".join(exc.value.message_dict["villages"])
    assert WorkChannel.objects.count() == 1


def test_a_decision_needs_a_reason_and_merged_or_closed_is_final(world):
    keep = _register(world, name="村级工作群")
    dup = _register(world, name="打卡群")
    approver = world.user("approver")
    with pytest.raises(ValidationError) as exc:
        services.cleanup_decide(user=approver, channel=dup, outcome="merge", reason="", effective_on=None)
    assert {"reason", "effective_on", "merge_into"} <= set(exc.value.message_dict)
    assert not CleanupDecision.objects.exists()
    services.cleanup_decide(
        user=approver,
        channel=dup,
        outcome="merge",
        reason="并入村级工作群",
        effective_on=date(2026, 6, 30),
        merge_into=keep,
    )
    dup.refresh_from_db()
    assert (dup.status, dup.merged_into, dup.ended_on) == ("merged", keep, date(2026, 6, 30))
    with pytest.raises(ValidationError):
        services.cleanup_decide(
            user=approver, channel=dup, outcome="keep", reason="保留", effective_on=date(2026, 7, 1)
        )
    with pytest.raises(PermissionDenied):
        services.cleanup_decide(
            user=world.user("township"),
            channel=keep,
            outcome="close",
            reason="x",
            effective_on=date(2026, 7, 1),
        )


def test_counts_before_and_after_per_township_and_county(world):
    a = _register(world, name="群一")
    _register(world, name="群二", villages={world.village_a1.pk: 1})
    _register(world, user="township_b", name="群三", villages={world.village_b1.pk: 1})
    _register(world, name="APP一", kind="app")
    services.cleanup_decide(
        user=world.user("approver"), channel=a, outcome="close", reason="关停", effective_on=date(2026, 6, 30)
    )
    rows = {
        r["name"]: (r["groups"], r["apps"])
        for r in selectors.counts_by_township(world.county, date(2026, 7, 1))
    }
    assert rows["百灵庙镇"] == ([2, 1], [1, 1])
    assert rows["明安镇"] == ([1, 1], [0, 0])
    assert rows["达尔罕茂明安联合旗"] == ([3, 2], [1, 1])
    before = {r["name"]: r["groups"] for r in selectors.counts_by_township(world.county, date(2026, 6, 1))}
    assert before["百灵庙镇"] == [2, 2]


def test_the_page_draws_the_chart_with_its_table_and_downloads_it(world, login):
    _register(world)
    client = login("approver")
    page = client.get("/workgroups/").content.decode()
    assert 'data-chart="work-groups-cleanup"' in page and "百灵庙镇" in page
    csv = client.get("/workgroups/?download=work-groups-cleanup&format=csv")
    assert csv.status_code == 200 and "百灵庙镇" in csv.content.decode("utf-8-sig")
    xlsx = client.get("/workgroups/?export=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_bad_spreadsheet_row_is_reported_and_nothing_is_written(world, django_capture_on_commit_callbacks):
    text = (
        "类型,名称,主管单位,用途,覆盖村及人数,要求打卡\n"
        "微信群,百灵庙镇防汛群,百灵庙镇人民政府,防汛,哈达图嘎查:12,是\n"
        "微信群,跨镇群,某局,通知,乌兰敖包村:3,\n"
        "电报,某群,某局,通知,哈达图嘎查:3,\n"
    )
    upload = SimpleUploadedFile("groups.csv", ("\ufeff" + text).encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(county=world.county, upload=upload, user=world.user("township"))
    job = ChannelImportJob.objects.get(pk=job.pk)
    assert job.status == "invalid" and job.error_count == 2, job.errors
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "乌兰敖包村" in messages[(3, "覆盖村及人数")] and "微信工作群" in messages[(4, "类型")]
    assert not WorkChannel.objects.exists()


def test_a_good_spreadsheet_is_written_only_when_confirmed(world, django_capture_on_commit_callbacks):
    text = "类型,名称,主管单位,用途,覆盖村及人数\n政务APP,某打卡APP,某局,打卡,哈达图嘎查:2、大苏吉嘎查:4\n"
    upload = SimpleUploadedFile("apps.csv", ("\ufeff" + text).encode(), content_type="text/csv")
    user = world.user("township")
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(county=world.county, upload=upload, user=user)
    job.refresh_from_db()
    assert (job.status, job.new_count) == ("checked", 1) and not WorkChannel.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        spreadsheets.import_job_confirm(job=job, user=user)
    channel = WorkChannel.objects.get()
    assert channel.kind == "app" and sorted(channel.reach.values_list("members", flat=True)) == [2, 4]


def test_the_import_pages_show_the_check_and_write_only_on_confirm(
    world, login, django_capture_on_commit_callbacks
):
    def upload(text):
        return {"file": SimpleUploadedFile("groups.csv", ("\ufeff" + text).encode(), content_type="text/csv")}

    client = login("township")
    header = "类型,名称,主管单位,用途,覆盖村及人数\n"
    with django_capture_on_commit_callbacks(execute=True):
        bad = client.post("/workgroups/import/", upload(header + "电报,某群,某局,通知,哈达图嘎查:3\n"))
    page = client.get(bad["Location"]).content.decode()
    assert "微信工作群" in page and 'data-testid="import-confirm"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        good = client.post(
            "/workgroups/import/", upload(header + "政务APP,某打卡APP,某局,打卡,哈达图嘎查:2\n")
        )
    job = ChannelImportJob.objects.get(status="checked")
    assert good["Location"] == f"/workgroups/imports/{job.pk}/"
    page = client.get(good["Location"]).content.decode()
    assert (
        'data-testid="import-confirm"' in page and "确认并登记" in page and not WorkChannel.objects.exists()
    )
    assert client.get(f"/workgroups/imports/{job.pk}/confirm/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/workgroups/imports/{job.pk}/confirm/")
    assert done["Location"] == good["Location"] and WorkChannel.objects.get().name == "某打卡APP"
    assert login("outsider").get(good["Location"]).status_code == 404  # the same client, now another's


def test_burden_sources_count_groups_and_apps_in_use(world):
    group = _register(world, demands_checkin=True)
    _register(world, name="APP", kind="app", villages={world.village_a1.pk: 1})
    groups, apps = SOURCES
    villages = Division.objects.filter(level=5, code__startswith="150223")
    today = date.today()
    # 10 min a week, plus 10 for the check-ins: 20 × 52 / 60
    assert groups.per_village(villages, today)[world.village_a1.pk] == (1, 17.33, True)
    assert apps.per_village(villages, today) == {world.village_a1.pk: (1, 8.67, True)}
    services.cleanup_decide(
        user=world.user("approver"), channel=group, outcome="close", reason="关停", effective_on=today
    )
    assert groups.per_village(villages, today) == {}
    assert groups.per_village(Division.objects.filter(level=5, code__startswith="150222"), today) is None
    assert groups.rows(villages, date(2000, 1, 1)) == []


def test_a_village_code_typed_as_a_number_in_excel_reaches_that_village(
    world, django_capture_on_commit_callbacks
):
    """One village's code typed into 覆盖村及人数 is a number to Excel (110…001.0 to the reader): it is the code."""
    from tests.spreadsheet_files import excel_xlsx

    content = excel_xlsx(
        [
            ["类型", "名称", "主管单位", "用途", "覆盖村及人数"],
            ["政务APP", "某打卡APP", "某局", "打卡", int(world.village_a1.code)],
        ]
    )
    user = world.user("township")
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(
            county=world.county, upload=SimpleUploadedFile("apps.xlsx", content), user=user
        )
    job.refresh_from_db()
    assert (job.status, job.new_count, job.error_count) == ("checked", 1, 0), job.errors
    with django_capture_on_commit_callbacks(execute=True):
        spreadsheets.import_job_confirm(job=job, user=user)
    assert list(WorkChannel.objects.get().reach.values_list("village_id", flat=True)) == [
        world.village_a1.code
    ]
