"""The assessment items list through the shared checked import: an export re-imports unchanged, a bad row is
reported in Chinese by row and column and nothing is written, and once published a new assessment is a proposal."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services, spreadsheets
from assessments.choices import AppliesTo
from assessments.models import AssessmentImportJob, AssessmentItem

pytestmark = pytest.mark.django_db

HEADER = "编号,类别,考核评比项目,牵头部门,依据,缺依据,频次,考核内容,村级每次用时（小时）\n"


def _upload(text: str, name: str = "list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\ufeff" + text).encode(), content_type="text/csv")


def _import(capture, owner, user, upload):
    with capture(execute=True):
        job = spreadsheets.IMPORT.job_create(owner=owner, upload=upload, user=user)
    return AssessmentImportJob.objects.get(pk=job.pk)


def _confirm(capture, job, user):
    with capture(execute=True):
        spreadsheets.IMPORT.job_confirm(job=job, user=user)
    return AssessmentImportJob.objects.get(pk=job.pk)


def test_export_reimports_unchanged_and_a_published_list_refuses_a_new_row(
    world, assessment_list, client, django_capture_on_commit_callbacks
):
    keeper = world.user("keeper")
    exported = client.get("/assessments/lists/150223/villages/export.csv").content
    job = _import(
        django_capture_on_commit_callbacks,
        assessment_list,
        keeper,
        SimpleUploadedFile("export.csv", exported, content_type="text/csv"),
    )
    count = assessment_list.versions.get().items.count()
    assert job.status == "checked" and (job.unchanged_count, job.new_count, job.changed_count) == (
        count,
        0,
        0,
    )

    new_row = HEADER + ",评比,美丽庭院示范村评比,妇联,,是,每年一次,庭院整治,2\n"
    refused = _import(django_capture_on_commit_callbacks, assessment_list, keeper, _upload(new_row))
    assert refused.status == "invalid"
    assert "动态管理" in refused.errors[0]["message"] and refused.errors[0]["column"] == "编号"


def test_bad_rows_are_reported_and_nothing_is_written_then_a_clean_file_lands_in_the_draft(
    world, django_capture_on_commit_callbacks
):
    keeper = world.user("keeper")
    owner = services.assessment_list_create(
        division=world.county, applies_to=AppliesTo.COMMUNITIES, name="社区综合考核评比项目清单", user=keeper
    )
    bad = HEADER + ",评比,,妇联,,,每年一次,庭院整治,\n" + "KH-01,考核,年度考核,组织部,《办法》,,每天,实绩,x\n"
    job = _import(django_capture_on_commit_callbacks, owner, keeper, _upload(bad))
    assert job.status == "invalid"
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "名称" in messages[(2, "考核评比项目")] and "依据" in messages[(2, "依据")]
    assert (3, "频次") in messages and (3, "村级每次用时（小时）") in messages
    assert not AssessmentItem.objects.filter(version__assessment_list=owner).exists()
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.IMPORT.job_confirm(job=job, user=keeper)

    good = HEADER + "KH-01,考核,年度考核,组织部,《办法》,,每年一次,实绩,4\n"
    job = _import(django_capture_on_commit_callbacks, owner, keeper, _upload(good))
    assert job.status == "checked" and job.new_count == 1
    job = _confirm(django_capture_on_commit_callbacks, job, keeper)
    assert job.status == "done"
    item = owner.versions.get(status="draft").items.get(code="KH-01")
    assert item.frequency == "yearly" and str(item.hours_per_occurrence) == "4.0"


def test_import_pages_are_the_keepers(login, world, assessment_list):
    page = login("keeper").get("/assessments/lists/150223/villages/import/")
    assert page.status_code == 200 and "考核评比项目" in page.content.decode()
    assert login("township").get("/assessments/lists/150223/villages/import/").status_code == 404
