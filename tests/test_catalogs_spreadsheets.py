"""Spreadsheets: preview with errors per row and column, idempotent re-import, inert exports."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import Workbook, load_workbook

from catalogs import services, spreadsheets
from catalogs.choices import ImportStatus
from catalogs.models import CatalogueItem, ImportJob


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def xlsx(rows, headers=None):
    wb = Workbook()
    ws = wb.active
    ws.append(headers or [label for _k, label in spreadsheets.COLUMNS])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row(**values):
    return [values.get(key, "") for key, _label in spreadsheets.COLUMNS]


def upload(world, catalogue, content, name="清单.xlsx", user="provadmin"):
    job = spreadsheets.import_job_create(
        catalogue=catalogue, upload=SimpleUploadedFile(name, content), user=world.user(user)
    )
    spreadsheets.check(job)
    job.refresh_from_db()
    return job


@pytest.fixture
def empty_guidance(world):
    return services.catalogue_create(division=world.province, name="指导目录", user=world.user("provadmin"))


def test_build_a_guidance_catalogue_from_a_spreadsheet(world, empty_guidance):
    content = xlsx(
        [
            row(
                code="FM-01",
                kind="负面",
                name="拆迁拆违",
                negative_matter="拆迁拆违责任主体",
                keywords="拆迁 违建",
            ),
            row(
                code="ZZ-01",
                kind="自治",
                name="调解民间纠纷",
                legal_basis="《中华人民共和国村民委员会组织法》第二条",
                hours_per_year=40,
            ),
            row(
                code="XZ-01",
                kind="协助",
                name="协助社会救助",
                responsible_department="民政局",
                funding="工作经费",
                effective_from=date(2026, 1, 1),
            ),
        ]
    )
    job = upload(world, empty_guidance, content)
    assert job.status == ImportStatus.CHECKED, job.errors
    assert (job.new_count, job.changed_count, job.error_count) == (3, 0, 0)
    assert not CatalogueItem.objects.exists()  # a preview writes nothing
    spreadsheets.import_job_confirm(job=job, user=world.user("provadmin"))
    spreadsheets.apply(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    draft = empty_guidance.versions.get()
    item = draft.items.get(code="ZZ-01")
    assert item.legal_basis == [{"instrument": "中华人民共和国村民委员会组织法", "article": "第二条"}]
    assert item.hours_per_year == 40 and not item.basis_missing
    assert draft.items.get(code="XZ-01").department_provides == {"funding": "工作经费"}
    assert draft.items.get(code="XZ-01").effective_from == date(2026, 1, 1)
    assert draft.items.get(code="FM-01").basis_missing  # no basis given: flagged
    assert item.history.exists()


def test_errors_are_tied_to_row_and_column(world, empty_guidance):
    content = xlsx(
        [
            row(code="ZZ-01", kind="自治", name="调解民间纠纷"),
            row(code="XZ-01", kind="协助", name="协助事项"),  # no department
            row(code="ZZ-01", kind="自治", name="重复"),
            row(code="FM01", kind="负面", name="执法", negative_matter="执法"),
            row(code="ZZ-02", kind="自治", name="x", hours_per_year="很多", effective_from="昨天"),
        ]
    )
    job = upload(world, empty_guidance, content)
    assert job.status == ImportStatus.INVALID
    found = {(e["row"], e["column"]) for e in job.errors}
    assert {(3, "责任部门"), (4, "编码"), (5, "编码"), (6, "年均工时"), (6, "生效日期")} <= found
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.import_job_confirm(job=job, user=world.user("provadmin"))


def test_bad_files_get_a_clear_error(world, empty_guidance):
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.import_job_create(
            catalogue=empty_guidance,
            upload=SimpleUploadedFile("x.xlsx", b"not a zip"),
            user=world.user("provadmin"),
        )
    with pytest.raises(spreadsheets.SpreadsheetError):
        spreadsheets.import_job_create(
            catalogue=empty_guidance, upload=SimpleUploadedFile("x.exe", b"MZ"), user=world.user("provadmin")
        )
    job = upload(world, empty_guidance, xlsx([["a"]], headers=["编码", "名字"]))
    assert job.status == ImportStatus.INVALID and "名字" in job.message


def test_reimporting_an_unchanged_export_changes_nothing(world, county_catalogue):
    keeper = world.user("keeper")
    draft = services.draft_get_or_create(catalogue=county_catalogue, user=keeper)
    services.item_update(item=draft.items.get(code="XZ-50"), data={"content": '=HYPERLINK("x")'}, user=keeper)
    for fmt in ("xlsx", "csv"):
        buf = io.BytesIO() if fmt == "xlsx" else io.StringIO()
        items = draft.items.order_by("code")
        (spreadsheets.write_xlsx if fmt == "xlsx" else spreadsheets.write_csv)(items, buf)
        content = buf.getvalue() if fmt == "xlsx" else ("\ufeff" + buf.getvalue()).encode()
        job = upload(world, county_catalogue, content, name=f"导出.{fmt}", user="keeper")
        assert job.status == ImportStatus.CHECKED, job.errors
        assert (job.new_count, job.changed_count, job.unchanged_count) == (0, 0, 4)
    history = CatalogueItem.history.count()
    spreadsheets.import_job_confirm(job=job, user=keeper)
    spreadsheets.apply(job)
    assert CatalogueItem.history.count() == history


def test_exports_neutralise_formulas(world, county_catalogue):
    keeper = world.user("keeper")
    draft = services.draft_get_or_create(catalogue=county_catalogue, user=keeper)
    item = draft.items.get(code="XZ-50")
    services.item_update(
        item=item,
        data={"content": "=1+1", "materials": "@SUM(A1)", "process": "-2"},
        user=keeper,
    )
    buf = io.BytesIO()
    spreadsheets.write_xlsx(draft.items.filter(code="XZ-50"), buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    cells = [c.value for c in list(ws.iter_rows())[1]]
    assert "'=1+1" in cells and "'@SUM(A1)" in cells and "'-2" in cells
    assert spreadsheets.neutralise("\tx") == "'\tx" and spreadsheets.neutralise("\r=1") == "'\r=1"
    assert spreadsheets.neutralise("+86") == "'+86" and spreadsheets.neutralise("拆迁") == "拆迁"
    text = io.StringIO()
    spreadsheets.write_csv(draft.items.filter(code="XZ-50"), text)
    values = list(csv.reader(io.StringIO(text.getvalue())))[1]
    assert "'=1+1" in values


def test_new_rows_in_a_published_catalogue_need_a_proposal(world, county_catalogue):
    content = xlsx([row(code="ZZ-77", kind="自治", name="新事项")])
    job = upload(world, county_catalogue, content, user="keeper")
    assert job.status == ImportStatus.INVALID
    assert job.errors[0]["row"] == 2 and job.errors[0]["column"] == "编码"


def test_other_jurisdictions_cannot_import(world, county_catalogue):
    with pytest.raises(PermissionDenied):
        spreadsheets.import_job_create(
            catalogue=county_catalogue, upload=SimpleUploadedFile("a.csv", b"x"), user=world.user("outsider")
        )


def test_import_command(world, empty_guidance, tmp_path):
    path = tmp_path / "guidance.xlsx"
    path.write_bytes(xlsx([row(code="ZZ-01", kind="autonomy", name="调解民间纠纷")]))
    out = io.StringIO()
    call_command("import_catalog", str(path), "--catalogue", "15", "--user", "provadmin", stdout=out)
    assert "1 new" in out.getvalue()
    assert empty_guidance.versions.get().items.count() == 1
    assert ImportJob.objects.get().status == ImportStatus.DONE


def test_xml_bombs_are_refused(world, empty_guidance):
    import zipfile

    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", bomb)
    job = upload(world, empty_guidance, buf.getvalue(), name="bomb.xlsx")
    assert job.status == ImportStatus.INVALID and "DTD" in job.message


def test_changed_rows_update_the_draft_with_history(world, county_catalogue):
    keeper = world.user("keeper")
    draft = services.draft_get_or_create(catalogue=county_catalogue, user=keeper)
    buf = io.BytesIO()
    spreadsheets.write_xlsx(draft.items.order_by("code"), buf)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    ws = wb.active
    headers = [c.value for c in ws[1]]
    for r in ws.iter_rows(min_row=2):
        if r[0].value == "XZ-50":
            r[headers.index("年均工时")].value = 99.5
            r[headers.index("关键词")].value = "草原 防火，火情、巡查"
    out = io.BytesIO()
    wb.save(out)
    job = upload(world, county_catalogue, out.getvalue(), user="keeper")
    assert (job.new_count, job.changed_count, job.unchanged_count) == (0, 1, 3), job.errors
    item = draft.items.get(code="XZ-50")
    before = item.history.count()
    spreadsheets.import_job_confirm(job=job, user=keeper)
    spreadsheets.apply(job)
    item.refresh_from_db()
    assert item.hours_per_year == Decimal("99.5") and item.keywords == "草原 防火 火情 巡查"
    assert item.history.count() == before + 1


def test_import_command_opens_the_catalogue(world, tmp_path):
    path = tmp_path / "guidance.csv"
    path.write_text(
        "编码,清单类别,事项名称,负面事项\nFM-01,负面,行政执法,行政执法工作的责任主体\n", encoding="utf-8"
    )
    out = io.StringIO()
    call_command(
        "import_catalog",
        str(path),
        "--catalogue",
        "15",
        "--user",
        "provadmin",
        "--name",
        "指导目录",
        stdout=out,
    )
    assert ImportJob.objects.get().catalogue.division == world.province
    with pytest.raises(CommandError):
        call_command("import_catalog", str(path), "--catalogue", "150222", "--user", "keeper", "--name", "x")


def test_an_apply_refused_at_a_later_row_writes_nothing(world, empty_guidance, monkeypatch):
    """The rows written before the refused one (earlier batches) are rolled back with it."""
    from audit.models import AuditEvent
    from spreadsheets.imports import RowRefused

    content = xlsx(
        [
            row(code="ZZ-01", kind="自治", name="调解民间纠纷"),
            row(code="ZZ-02", kind="自治", name="村务公开"),
            row(code="ZZ-03", kind="自治", name="村规民约"),
        ]
    )
    job = upload(world, empty_guidance, content)
    assert job.status == ImportStatus.CHECKED, job.errors
    spreadsheets.import_job_confirm(job=job, user=world.user("provadmin"))
    monkeypatch.setattr(spreadsheets.IMPORTER, "batch", 1)  # ZZ-01 is written before ZZ-02 is seen
    checked_row = spreadsheets.CatalogueApplier.row

    def refuse_the_second(self, values):
        if values["code"] == "ZZ-02":
            raise RowRefused("code", "changed since the check")
        return checked_row(self, values)

    monkeypatch.setattr(spreadsheets.CatalogueApplier, "row", refuse_the_second)
    spreadsheets.apply(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.errors[0]["row"] == 3
    assert not CatalogueItem.objects.exists() and not CatalogueItem.history.exists()
    assert not AuditEvent.objects.filter(action="catalogs.import").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="another connection sees only what was committed on PostgreSQL"
)
def test_a_page_polling_an_apply_sees_it_move_and_never_done_before_it_is(world, empty_guidance, monkeypatch):
    """The apply is one transaction: its progress reaches the polling page through the cache."""
    import threading

    content = xlsx([row(code=f"ZZ-{n:02d}", kind="自治", name=f"事项{n}") for n in range(1, 5)])
    job = upload(world, empty_guidance, content)
    assert job.status == ImportStatus.CHECKED and job.percent == 100, job.errors
    spreadsheets.import_job_confirm(job=job, user=world.user("provadmin"), background=False)
    monkeypatch.setattr(spreadsheets.IMPORTER, "batch", 1)
    monkeypatch.setattr(spreadsheets.IMPORTER, "progress_every", 1)
    seen: list[tuple[str, int]] = []

    def as_the_page_sees_it():
        from django.db import connection as own

        try:
            polled = ImportJob.objects.get(pk=job.pk)  # a connection of its own: committed state only
            seen.append((polled.status, polled.percent))
        finally:
            own.close()

    write = spreadsheets.CatalogueApplier.write

    def write_then_poll(self, payloads):
        write(self, payloads)
        poll = threading.Thread(target=as_the_page_sees_it)
        poll.start()
        poll.join()

    monkeypatch.setattr(spreadsheets.CatalogueApplier, "write", write_then_poll)
    spreadsheets.apply(job)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.percent == 100
    assert [status for status, _ in seen] == [ImportStatus.APPLYING] * 4
    percents = [p for _, p in seen]
    assert percents == sorted(percents) and percents[0] < percents[-1] < 100, percents
