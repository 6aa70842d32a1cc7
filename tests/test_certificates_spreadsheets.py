"""Certificate lists through the shared checked import: errors per row, nothing written until confirmed."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certificates import spreadsheets
from certificates.models import CertificateImportJob, CertificateItem

pytestmark = pytest.mark.django_db

HEADER = (
    "编号,清单,证明名称,常用说法,不应出具理由,替代途径类型,替代途径,设定依据,缺依据,用途,办理时限（工作日）\n"
)


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("lists.csv", ("\ufeff" + text).encode(), content_type="text/csv")


def test_a_bad_row_is_reported_and_nothing_is_written(world, cert_lists, django_capture_on_commit_callbacks):
    keeper = world.user("keeper")
    text = HEADER + ",负面,开证明证明,,,告知承诺,,,,,0\n" + ",保留,低保公示证明,,,,,,,公示,99\n"
    before = CertificateItem.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(
            certificate_list=cert_lists["county"], upload=_upload(text), user=keeper
        )
    job = CertificateImportJob.objects.get(pk=job.pk)
    assert job.status == "invalid" and job.error_count == 3, job.errors
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "群众改由何处办理" in messages[(2, "替代途径")]
    assert "0（当场办结）至60" in messages[(3, "办理时限（工作日）")]
    assert "缺依据" in messages[(3, "设定依据")]
    assert CertificateItem.objects.count() == before
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.import_job_confirm(job=job, user=keeper)


def test_export_reimports_unchanged_and_a_new_row_lands_in_the_draft(
    world, cert_lists, client, django_capture_on_commit_callbacks
):
    keeper = world.user("keeper")
    exported = client.get("/certificates/lists/150223/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))  # templates hold line breaks
    assert len(rows) == 28  # header + 27 items
    added = (
        exported
        + ",保留,草原补奖资格证明,草原补奖证明,,,,,是,申领草原生态补奖,,身份证,村级核实,3,,有效,测试\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(
            certificate_list=cert_lists["county"], upload=_upload(added), user=keeper
        )
    job = CertificateImportJob.objects.get(pk=job.pk)
    assert (job.status, job.new_count, job.unchanged_count, job.error_count) == ("checked", 1, 27, 0), (
        job.errors
    )
    with django_capture_on_commit_callbacks(execute=True):
        spreadsheets.import_job_confirm(job=job, user=keeper)
    job.refresh_from_db()
    assert job.status == "done"
    draft = cert_lists["county"].versions.get(status="draft")
    assert draft.items.filter(name="草原补奖资格证明", basis_missing=True, time_limit_days=3).exists()
    assert draft.items.count() == 28
    # the published version did not change
    assert cert_lists["version"].items.count() == 27
    xlsx = client.get("/certificates/lists/150223/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert io.BytesIO(xlsx.content).getbuffer().nbytes > 1000


def test_a_time_limit_typed_as_a_number_in_excel_is_read_as_working_days(
    world, cert_lists, django_capture_on_commit_callbacks
):
    """Excel keeps 3 typed into 办理时限 as a number (the reader gives 3.0): it is 3 working days, not an error."""
    from tests.spreadsheet_files import excel_xlsx

    keeper = world.user("keeper")
    content = excel_xlsx(
        [
            ["清单", "证明名称", "设定依据", "缺依据", "用途", "办理时限（工作日）"],
            ["保留", "草原补奖资格证明", "", "是", "申领草原生态补奖", 3],
            ["保留", "半天证明", "", "是", "公示", 2.5],
        ]
    )
    upload = SimpleUploadedFile("lists.xlsx", content)
    with django_capture_on_commit_callbacks(execute=True):
        job = spreadsheets.import_job_create(
            certificate_list=cert_lists["county"], upload=upload, user=keeper
        )
    job = CertificateImportJob.objects.get(pk=job.pk)
    # The whole number is read; half a working day is still refused, in Chinese, at its cell.
    assert job.status == "invalid" and job.error_count == 1, job.errors
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "办理时限（工作日）")]
    assert job.new_count == 1
