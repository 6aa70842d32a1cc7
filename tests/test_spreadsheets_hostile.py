"""Hostile spreadsheets: each refused with a clear Chinese message (row and column where there is
one), in bounded memory and time, with nothing written; and files as Excel and WPS write them."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from catalogs import services, spreadsheets
from catalogs.choices import ImportStatus
from catalogs.models import CatalogueItem
from tests.figures import record

from .spreadsheet_files import NS, Repeated, excel_xlsx, huge_string_parts, sheet_xml, xlsx_parts

PROBE = Path(__file__).with_name("spreadsheet_probe.py")
PEAK_MB = 300  # the bound the README states: whatever the file, one import stays below it
HEADER = [label for _key, label in spreadsheets.COLUMNS]


def row(**values):
    return [values.get(key, "") for key, _label in spreadsheets.COLUMNS]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    """The hostile files, written once per run (the 1,000 MB string is streamed into the zip)."""
    d = tmp_path_factory.mktemp("hostile")
    xlsx_parts(huge_string_parts(1000), path=d / "huge-shared-string.xlsx")
    xlsx_parts(huge_string_parts(40), path=d / "long-shared-string.xlsx")
    header = "".join(
        f'<c r="{c}1" t="inlineStr"><is><t>{t}</t></is></c>' for c, t in zip("ABC", HEADER[:3], strict=True)
    )
    (d / "column-AAAAAAA.xlsx").write_bytes(
        xlsx_parts(
            {
                "xl/worksheets/sheet1.xml": sheet_xml(
                    f'<row r="1">{header}</row><row r="2"><c r="AAAAAAA2"><v>1</v></c></row>'
                )
            }
        )
    )
    (d / "hours-1e400.xlsx").write_bytes(excel_xlsx(hours_rows()))
    (d / "hours-1e400.csv").write_text(
        ",".join(HEADER) + "\n" + "\n".join(",".join(str(v) for v in r) for r in hours_rows()[1:]) + "\n",
        encoding="utf-8",
    )
    # 3.3 million one-character strings: 63 MB of XML (under the part's cap), 280 MB as Python strings.
    small = Repeated(
        f'<sst xmlns="{NS}">'.encode() + "".join(f"<si><t>{t}</t></si>" for t in HEADER[:3]).encode(),
        "<si><t>长</t></si>".encode() * 1000,
        3300,
        b"</sst>",
    )
    xlsx_parts(
        {"xl/sharedStrings.xml": small, "xl/worksheets/sheet1.xml": sheet_xml(SHARED_HEADER)},
        path=d / "many-small-strings.xlsx",
    )
    with (d / "million-rows.csv").open("w", encoding="utf-8") as fh:
        fh.write("编码,清单类别,事项名称,负面事项\n")
        for n in range(1, 1_000_001):
            fh.write(f"FM-{n},负面,事项{n},负面事项{n}\n")
    return d


SHARED_HEADER = (
    '<row r="1">' + "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABC")) + "</row>"
)


def hours_rows():
    return [
        HEADER,
        row(code="ZZ-01", kind="自治", name="调解民间纠纷", hours_per_year=40),
        row(code="ZZ-02", kind="自治", name="村务公开", hours_per_year="1e400"),
        row(code="ZZ-03", kind="自治", name="", hours_per_year=2),
    ]


def check_file(world, catalogue, path: Path, user="provadmin"):
    with path.open("rb") as fh:
        upload = File(fh, name=path.name)
        upload.size = path.stat().st_size
        job = spreadsheets.import_job_create(
            catalogue=catalogue, upload=upload, user=world.user(user), background=False
        )
    spreadsheets.check(job)
    job.refresh_from_db()
    return job


@pytest.fixture
def guidance(world):
    return services.catalogue_create(division=world.province, name="指导目录", user=world.user("provadmin"))


def no_python_in(job):
    text = job.message + json.dumps(job.errors, ensure_ascii=False)
    for word in ("Error", "Exception", "Traceback", "InvalidOperation", "decimal.", "Decimal("):
        assert word not in text, text


def test_a_file_as_excel_writes_it_imports(world, guidance, tmp_path):
    path = tmp_path / "excel.xlsx"
    path.write_bytes(
        excel_xlsx(
            [
                HEADER,
                row(
                    code="ZZ-01", kind="自治", name="调解民间纠纷", hours_per_year=40.5, keywords="调解 纠纷"
                ),
                row(
                    code="XZ-01",
                    kind="协助",
                    name="协助开展社会救助工作",
                    responsible_department="民政局",
                    effective_from=date(2026, 1, 1),
                    funding="  工作经费  ",
                ),
                row(
                    code="FM-01",
                    kind="负面",
                    name="拆迁拆违",
                    negative_matter="拆迁拆违工作的责任主体",
                    legal_basis="《中华人民共和国村民委员会组织法》第五条",
                ),
                row(code="ZZ-02", kind="自治", name="调解民间纠纷", hours_per_year=3),  # a string used twice
            ]
        )
    )
    job = check_file(world, guidance, path)
    assert job.status == ImportStatus.CHECKED, (job.message, job.errors)
    assert job.new_count == 4
    spreadsheets.import_job_confirm(job=job, user=world.user("provadmin"), background=False)
    spreadsheets.apply(job)
    items = {i.code: i for i in guidance.versions.get().items.all()}
    # Rich-text runs joined, the phonetic hint left out, preserved spaces stripped.
    assert items["XZ-01"].name == "协助开展社会救助工作"
    assert items["XZ-01"].department_provides == {"funding": "工作经费"}
    assert items["XZ-01"].effective_from == date(2026, 1, 1)
    assert items["FM-01"].legal_basis == [
        {"instrument": "中华人民共和国村民委员会组织法", "article": "第五条"}
    ]
    assert items["ZZ-01"].hours_per_year == 40.5 and items["ZZ-02"].name == "调解民间纠纷"


def test_a_1000_mb_shared_string_is_refused_unread(world, guidance, hostile):
    path = hostile / "huge-shared-string.xlsx"
    assert path.stat().st_size < 2 * 1024 * 1024
    job = check_file(world, guidance, path)
    assert job.status == ImportStatus.INVALID
    assert "xl/sharedStrings.xml" in job.message and "64 MB" in job.message
    no_python_in(job)
    assert not CatalogueItem.objects.exists()


def test_a_string_longer_than_a_cell_is_an_error_at_its_cell(world, guidance, hostile):
    job = check_file(world, guidance, hostile / "long-shared-string.xlsx")
    assert job.status == ImportStatus.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "事项名称")]
    assert "32767" in job.errors[0]["message"]
    no_python_in(job)


def test_a_shared_strings_table_past_its_memory_cap_is_refused(world, guidance, hostile):
    job = check_file(world, guidance, hostile / "many-small-strings.xlsx")
    assert job.status == ImportStatus.INVALID and "64 MB" in job.message
    no_python_in(job)


def test_a_cell_in_column_AAAAAAA_is_refused_by_name(world, guidance, hostile):
    job = check_file(world, guidance, hostile / "column-AAAAAAA.xlsx")
    assert job.status == ImportStatus.INVALID
    assert job.errors == [{"row": 2, "column": "AAAAAAA", "message": job.errors[0]["message"]}]
    assert "100" in job.errors[0]["message"] and "AAAAAAA" in job.message
    no_python_in(job)


@pytest.mark.parametrize("name", ["hours-1e400.xlsx", "hours-1e400.csv"])
def test_hours_of_1e400_are_an_error_of_their_cell(world, guidance, hostile, name):
    job = check_file(world, guidance, hostile / name)
    assert job.status == ImportStatus.INVALID
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {(3, "年均工时"), (4, "事项名称")}  # the other row's error is kept
    assert job.total_rows == 3
    no_python_in(job)
    assert not CatalogueItem.objects.exists()


def test_the_command_reports_1e400_without_a_traceback(world, guidance, hostile):
    with pytest.raises(CommandError) as exc:
        call_command(
            "import_catalog", str(hostile / "hours-1e400.csv"), "--catalogue", "15", "--user", "provadmin"
        )
    assert "1 errors" not in str(exc.value) and "errors; nothing imported" in str(exc.value)


def test_a_million_row_csv_is_refused_before_any_row_is_checked(world, guidance, hostile):
    job = check_file(world, guidance, hostile / "million-rows.csv")
    assert job.status == ImportStatus.INVALID
    assert "200,000" in job.message
    assert job.errors[0]["row"] == 200_002  # the first row past the limit (the header is line 1)
    assert job.new_count == 0 and not CatalogueItem.objects.exists()
    no_python_in(job)


def test_an_upload_over_the_size_limit_is_refused(world, guidance, settings):
    settings.SPREADSHEET_MAX_UPLOAD_MB = 1
    with pytest.raises(spreadsheets.SpreadsheetError, match="1 MB"):
        spreadsheets.import_job_create(
            catalogue=guidance,
            upload=SimpleUploadedFile("big.csv", b"x" * (2 * 1024 * 1024)),
            user=world.user("provadmin"),
        )


def test_a_long_csv_cell_is_an_error_at_its_cell(world, guidance, tmp_path, settings):
    settings.SPREADSHEET_MAX_CELL_CHARS = 1000
    path = tmp_path / "long.csv"
    path.write_text(f"编码,清单类别,事项名称\nZZ-01,自治,{'长' * 1001}\nZZ-02,自治,短\n", encoding="utf-8")
    job = check_file(world, guidance, path)
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "事项名称")]
    assert "1000" in job.errors[0]["message"]


def test_a_job_failing_on_the_server_says_so_in_chinese(world, guidance, tmp_path, monkeypatch):
    def broken(self, values):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(spreadsheets.CatalogueApplier, "row", broken)
    path = tmp_path / "a.csv"
    path.write_text("编码,清单类别,事项名称\nZZ-01,自治,调解\n", encoding="utf-8")
    with pytest.raises(ZeroDivisionError):
        check_file(world, guidance, path)
    job = guidance.imports.get()
    assert job.status == ImportStatus.FAILED and "服务器" in job.message
    no_python_in(job)


HOSTILE = [
    "huge-shared-string.xlsx",
    "long-shared-string.xlsx",
    "many-small-strings.xlsx",
    "column-AAAAAAA.xlsx",
    "hours-1e400.xlsx",
    "hours-1e400.csv",
    "million-rows.csv",
]


@pytest.fixture(scope="module")
def probed(hostile):
    """Each file read and checked in its own process (forked from one with Django loaded)."""
    out = subprocess.run(
        [sys.executable, str(PROBE), *(str(hostile / name) for name in HOSTILE)],
        capture_output=True,
        text=True,
        check=True,
    )
    results = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    return {Path(r["file"]).name: r for r in results}


@pytest.mark.parametrize("name", HOSTILE)
def test_memory_stays_bounded_whatever_the_file(probed, name):
    result = probed[name]
    assert "crash" not in result, result.get("crash")
    record(f"hostile import {name}: peak MB", result["peak_mb"])
    record(f"hostile import {name}: seconds", result["seconds"])
    assert result["peak_mb"] < PEAK_MB, result
    assert result["refused"] or result["errors"], result
    assert "Error" not in result["refused"]
