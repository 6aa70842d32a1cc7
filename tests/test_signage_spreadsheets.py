"""Plaque inventories through the shared checked import: Chinese errors per row and column, nothing written until confirmed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from signage import spreadsheets
from signage.models import PlaqueImportJob, Rectification, VillagePlaque

pytestmark = pytest.mark.django_db

HEADER = "村代码,牌子文字,位置,对应规定牌子,形状,宽（厘米）,高（厘米）,底色,字色,字体,语言\n"


def _upload(text: str, name: str = "plaques.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\ufeff" + text).encode(), content_type="text/csv")


def _import(world, text: str, capture, user="township") -> PlaqueImportJob:
    with capture(execute=True):
        job = spreadsheets.import_job_create(upload=_upload(text), user=world.user(user))
    return PlaqueImportJob.objects.get(pk=job.pk)


def test_bad_rows_get_chinese_errors_by_row_and_column_and_nothing_is_written(
    world, rules, django_capture_on_commit_callbacks
):
    a1, b1 = world.village_a1.code, world.village_b1.code
    text = (
        HEADER
        + f"{a1},哈达图嘎查村民委员会,outside,嘎查村民委员会,strip,abc,200,white,black,song,zh、mn\n"
        + f"{b1},明安镇某村村民委员会,outside,,strip,40,200,white,black,song,zh\n"
        + f"{a1},哈达图嘎查党支部,outside,,strip,40,200,紫色,black,song,zh\n"
    )
    job = _import(world, text, django_capture_on_commit_callbacks)
    assert job.status == "invalid" and job.error_count == 3, job.errors
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "厘米" in messages[(2, "宽（厘米）")]
    assert "没有这个村" in messages[(3, "村代码")]  # a village of another township
    assert "请从" in messages[(4, "底色")] or "选" in messages[(4, "底色")]
    assert not VillagePlaque.objects.exists() and not Rectification.objects.exists()
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.import_job_confirm(job=job, user=world.user("township"))
    assert not VillagePlaque.objects.exists()


def test_confirmed_rows_are_recorded_and_checked_and_an_export_reimports_unchanged(
    world, rules, client, django_capture_on_commit_callbacks
):
    a1 = world.village_a1.code
    text = (
        HEADER
        + f"{a1},哈达图嘎查村民委员会,outside,嘎查村民委员会,strip,40,200,white,black,song,zh\n"
        + f"{a1},哈达图嘎查综治工作站,outside,,strip,40,200,white,blue,song,zh\n"
    )
    job = _import(world, text, django_capture_on_commit_callbacks)
    assert (job.status, job.new_count, job.error_count) == ("checked", 2, 0), job.errors
    assert not VillagePlaque.objects.exists()  # the check writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        spreadsheets.import_job_confirm(job=job, user=world.user("township"))
    job.refresh_from_db()
    assert job.status == "done"
    assert VillagePlaque.objects.filter(village=world.village_a1).count() == 2
    # Checked as a plaque recorded on the phone: Mongolian missing, a plaque not on the list.
    kinds = set(Rectification.objects.filter(status="open").values_list("kind", flat=True))
    assert {"language", "not_allowed"} <= kinds
    client.force_login(world.user("township"))
    response = client.get(f"/plaques/export/{world.township_a.code}/")
    exported = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "哈达图嘎查综治工作站" in exported and exported.startswith("村代码,村名,牌子文字")
    again = _import(world, exported, django_capture_on_commit_callbacks)
    assert (again.status, again.new_count, again.changed_count, again.unchanged_count) == (
        "checked",
        0,
        0,
        2,
    ), again.errors
    xlsx = client.get(f"/plaques/export/{world.township_a.code}/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_only_township_staff_import(world, rules):
    with pytest.raises(PermissionDenied):
        spreadsheets.import_job_create(upload=_upload(HEADER), user=world.user("submitter"))
    assert not PlaqueImportJob.objects.exists()


def test_the_import_page_shows_errors_in_chinese(world, rules, login, django_capture_on_commit_callbacks):
    client = login("township")
    assert client.get("/plaques/import/").status_code == 200
    bad = (
        HEADER + f"{world.village_a1.code},哈达图嘎查村民委员会,outside,,strip,abc,200,white,black,song,zh\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/plaques/import/", {"file": _upload(bad)})
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "宽（厘米）" in page and "厘米" in page
    assert "import-confirm" not in page
    assert not VillagePlaque.objects.exists()
    other = login("submitter")
    assert "plaque-import-form" not in other.get("/plaques/import/").content.decode()
    refused = other.post("/plaques/import/", {"file": _upload(HEADER)})
    assert refused.status_code == 400 and PlaqueImportJob.objects.count() == 1


def test_a_village_code_and_sizes_typed_as_numbers_in_excel_are_read(
    world, rules, django_capture_on_commit_callbacks
):
    """Excel keeps a 12-digit code typed into 村代码 as a number (110…001.0 to the reader): it is the code."""
    from tests.spreadsheet_files import excel_xlsx

    header = HEADER.strip().split(",")
    row = [
        "哈达图嘎查村民委员会",
        "outside",
        "嘎查村民委员会",
        "strip",
        40,
        200,
        "white",
        "black",
        "song",
        "zh",
    ]
    content = excel_xlsx([header, [int(world.village_a1.code), *row]])
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(
            upload=SimpleUploadedFile("plaques.xlsx", content), user=world.user("township")
        )
    job = PlaqueImportJob.objects.get(pk=job.pk)
    assert (job.status, job.new_count, job.error_count) == ("checked", 1, 0), job.errors
