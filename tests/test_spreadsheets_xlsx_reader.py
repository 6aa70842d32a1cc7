"""The .xlsx reader's two ways of reading rows give the same rows for the same file.

Plain rows (as Excel, WPS, LibreOffice and openpyxl write them) are read by
expression; any other form hands the sheet to the expat reader, which skips
the rows already given. Each test compares ``rows()`` with the expat reader
alone (``_streamed_rows``) on the same file: same rows, or the same error.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from xml.sax.saxutils import escape

import pytest
from defusedxml import DTDForbidden
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from spreadsheets import limits
from spreadsheets.reading import SpreadsheetError, read_table
from spreadsheets.schema import BadCell
from spreadsheets.xlsx import XlsxError, XlsxSheet, _NotPlain, column_letters

from .spreadsheet_files import NS, excel_xlsx, sheet_xml, xlsx_parts

HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def _read(path, method: str):
    sheet = XlsxSheet(str(path), limits.current())
    try:
        return [
            (n, [v.message if isinstance(v, BadCell) else v for v in row])
            for n, row in getattr(sheet, method)()
        ]
    finally:
        sheet.close()


def _outcome(path, method: str):
    """The rows, or the rows given before an error and the error's class and text (what a person is told)."""
    rows: list = []
    try:
        sheet = XlsxSheet(str(path), limits.current())
    except Exception as exc:  # the comparison is the point: the same failure either way
        return rows, type(exc).__name__, str(exc)
    try:
        for n, row in getattr(sheet, method)():
            rows.append((n, [v.message if isinstance(v, BadCell) else v for v in row]))
    except Exception as exc:
        return rows, type(exc).__name__, str(exc)
    finally:
        sheet.close()
    return rows


def _plain(path) -> bool:
    """Whether the expression reader read the whole sheet itself (a DTD it refuses at once, as expat does)."""
    try:
        _read(path, "_plain_rows")
    except (_NotPlain, DTDForbidden):
        return False
    return True


def _file(tmp_path, sheet: str, name: str = "t.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx_parts({"xl/worksheets/sheet1.xml": sheet}))
    return path


def _same(path):
    """Both ways give the same rows, or the same error; before an error, the rows either gave agree.

    (The expat reader gives its rows a 64 KB chunk at a time, so before an error it may have given
    fewer: its rows are then the first of those the expressions gave.)
    """
    expected, got = _outcome(path, "_streamed_rows"), _outcome(path, "rows")
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and got[1:] == expected[1:]
        assert got[0][: len(expected[0])] == expected[0]
        return expected[1:]
    assert got == expected
    return expected


def _openpyxl(path, rows, write_only: bool):
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("清单") if write_only else wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)


ROWS = [
    ["编码", "名称", "工时", "是否", "日期"],
    ["ZZ-01", "村务公开 & 财务<公开>", 12.5, True, date(2026, 1, 2)],
    ["ZZ-02", "  引号\"和'撇号  ", 0, False, None],
    [None, None, None, None, None],
    ["ZZ-03", "", 1e-7, None, date(2025, 12, 31)],
]


@pytest.mark.parametrize("write_only", [True, False], ids=["openpyxl-write-only", "openpyxl"])
def test_files_as_openpyxl_writes_them_are_read_by_expression_alike(tmp_path, write_only):
    path = tmp_path / "o.xlsx"
    _openpyxl(path, ROWS, write_only)
    rows = _same(path)
    assert _plain(path)
    assert rows[1] == (2, ["ZZ-01", "村务公开 & 财务<公开>", 12.5, True, rows[1][1][4]])
    assert rows[2][1][1] == "  引号\"和'撇号  "


def test_a_file_as_excel_writes_it_is_read_by_expression_alike(tmp_path):
    path = tmp_path / "e.xlsx"
    path.write_bytes(excel_xlsx(ROWS))
    rows = _same(path)
    assert _plain(path)
    assert rows[1][1][:3] == ["ZZ-01", "村务公开 & 财务<公开>", 12.5]


# Cell text with what XML escapes, references and Chinese; values of every cell type.
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("&<>\"'\t\n 村"),
    max_size=12,
)
cells = st.one_of(
    st.none(),
    texts.map(lambda t: ("inlineStr", t)),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: ("n", repr(f))),
    st.booleans().map(lambda b: ("b", "1" if b else "0")),
    st.sampled_from([("e", "#N/A"), ("str", "公式结果"), ("s", "0"), ("s", "99"), ("n", "abc")]),
)


def _cell_xml(ref: str, cell, style: bool, reference: bool) -> str:
    kind, text = cell
    s = ' s="1"' if style else ""
    t = "" if kind == "n" and style else f' t="{kind}"'
    body = escape(text, {'"': "&quot;"})
    if reference and text:
        body = f"&#{ord(text[0])};" + escape(text[1:])
    if kind == "inlineStr":
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{ref}"{s}{t}><is><t{space}>{body}</t></is></c>'
    return f'<c r="{ref}"{s}{t}><v>{body}</v></c>'


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(cells, max_size=6), min_size=1, max_size=6),
    style=st.booleans(),
    reference=st.booleans(),
    row_attributes=st.sampled_from(
        ["", ' spans="1:6"', ' spans="1:6" x14ac:dyDescent="0.25"', ' ht="20" customHeight="1"']
    ),
)
def test_any_plain_sheet_reads_alike_by_expression_and_by_expat(
    tmp_path, rows, style, reference, row_attributes
):
    body = []
    for r, values in enumerate(rows, start=1):
        xml = "".join(
            _cell_xml(f"{column_letters(c)}{r}", cell, style, reference)
            for c, cell in enumerate(values)
            if cell
        )
        body.append(f'<row r="{r}"{row_attributes}>{xml}</row>' if xml else f'<row r="{r}"{row_attributes}/>')
    sheet = (
        f'{HEAD}<worksheet xmlns="{NS}" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
        f"<sheetData>{''.join(body)}</sheetData></worksheet>"
    )
    path = _file(tmp_path, sheet, "h.xlsx")
    expected = _same(path)
    assert isinstance(expected, list) and _plain(path)


PLAIN_ROW = (
    '<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>第{n}行</t></is></c><c r="B{n}"><v>{n}</v></c></row>'
)


def _rows(*numbers: int) -> str:
    return "".join(PLAIN_ROW.format(n=n) for n in numbers)


@pytest.mark.parametrize(
    ("name", "sheet"),
    [
        # Readable, but not plain: the expat reader takes over after the plain rows, giving each row once.
        ("comment after two rows", sheet_xml(_rows(1, 2) + "<!-- 备注 -->" + _rows(3, 4))),
        ("line breaks between rows", sheet_xml(_rows(1) + "\n  " + _rows(2) + "\n")),
        (
            "prefixed elements",
            f'{HEAD}<x:worksheet xmlns:x="{NS}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr">'
            "<x:is><x:t>甲</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>",
        ),
        (
            "rich text",
            sheet_xml(
                _rows(1)
                + '<row r="2"><c r="A2" t="inlineStr"><is><r><t>甲</t></r><r><t>乙</t></r></is></c></row>'
            ),
        ),
        (
            "attributes in another order",
            sheet_xml(_rows(1) + '<row r="2"><c t="inlineStr" r="A2"><is><t>甲</t></is></c></row>'),
        ),
        (
            "a row in another namespace",
            sheet_xml(_rows(1) + '<row r="2" xmlns="urn:other"><c r="A2"><v>1</v></c></row>' + _rows(3)),
        ),
        (
            "CDATA",
            sheet_xml(
                _rows(1) + '<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[<甲>]]></t></is></c></row>'
            ),
        ),
        (
            "carriage return in text",
            sheet_xml(_rows(1) + '<row r="2"><c r="A2" t="inlineStr"><is><t>甲\r\n乙</t></is></c></row>'),
        ),
        (
            "sheetData named in a comment first",
            f'{HEAD}<worksheet xmlns="{NS}"><!-- <sheetData> --><sheetData>{_rows(1, 2)}</sheetData></worksheet>',
        ),
        (
            "rows after sheetData",
            f'{HEAD}<worksheet xmlns="{NS}"><sheetData>{_rows(1)}</sheetData>{_rows(2)}</worksheet>',
        ),
        ("row without a number", sheet_xml(_rows(1) + '<row><c r="A2"><v>7</v></c></row>')),
        ("empty sheetData", f'{HEAD}<worksheet xmlns="{NS}"><sheetData/></worksheet>'),
        # Not well-formed or refused: the same error either way, after the same rows.
        (
            "duplicate attribute",
            sheet_xml(_rows(1) + '<row r="2" ht="1" ht="2"><c r="A2"><v>1</v></c></row>'),
        ),
        ("unbound prefix", sheet_xml(_rows(1) + '<row r="2" foo:bar="1"><c r="A2"><v>1</v></c></row>')),
        (
            "HTML entity",
            sheet_xml(_rows(1) + '<row r="2"><c r="A2" t="inlineStr"><is><t>甲&nbsp;乙</t></is></c></row>'),
        ),
        (
            "reference to a character XML refuses",
            sheet_xml(_rows(1) + '<row r="2"><c r="A2" t="inlineStr"><is><t>&#0;</t></is></c></row>'),
        ),
        (
            "control character",
            sheet_xml(_rows(1) + '<row r="2"><c r="A2" t="inlineStr"><is><t>甲\x01</t></is></c></row>'),
        ),
        (
            "]]> in text",
            sheet_xml(_rows(1) + '<row r="2"><c r="A2" t="inlineStr"><is><t>a]]>b</t></is></c></row>'),
        ),
        ("column past the cap", sheet_xml(_rows(1) + '<row r="2"><c r="ZZ2"><v>1</v></c></row>')),
        (
            "damaged after the rows",
            f'{HEAD}<worksheet xmlns="{NS}"><sheetData>{_rows(1, 2)}</sheetData><bad></worksheet>',
        ),
        (
            "DTD",
            f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "x">]><worksheet xmlns="{NS}"><sheetData>{_rows(1)}</sheetData></worksheet>',
        ),
        ("truncated", f'{HEAD}<worksheet xmlns="{NS}"><sheetData>{_rows(1, 2)}<row r="3"><c r="A3"><v>1'),
        # Rows hidden where expat reads none: after an empty sheetData, in a comment, CDATA or an instruction.
        (
            "rows in a comment after an empty sheetData",
            f'{HEAD}<worksheet xmlns="{NS}"><sheetData/><!--<sheetData>{_rows(1)}</sheetData>--></worksheet>',
        ),
        (
            "rows in CDATA",
            f'{HEAD}<worksheet xmlns="{NS}"><sheetData ><![CDATA[<sheetData>{_rows(1)}</sheetData>]]></sheetData></worksheet>',
        ),
        (
            "rows in an instruction",
            f'{HEAD}<worksheet xmlns="{NS}"><sheetData ><?pi <sheetData>{_rows(1)}</sheetData>?></sheetData></worksheet>',
        ),
        (
            "declared latin-1, spaces around =",
            f'<?xml version="1.0" encoding = "ISO-8859-1"?><worksheet xmlns="{NS}"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>é村</t></is></c></row></sheetData></worksheet>',
        ),
        (
            "a refused entity in a cell's unused text",
            sheet_xml('<row r="1"><c r="A1"><is><t>&nbsp;</t></is></c></row>'),
        ),
        (
            "a bare & in a cell's unused text",
            sheet_xml('<row r="1"><c r="A1" t="n"><is><t>a & b</t></is></c></row>'),
        ),
    ],
)
def test_sheets_not_in_the_plain_form_read_as_the_expat_reader_reads_them(tmp_path, name, sheet):
    path = _file(tmp_path, sheet)
    _same(path)
    assert not _plain(path)


def test_a_comment_midway_gives_every_row_once(tmp_path):
    path = _file(tmp_path, sheet_xml(_rows(1, 2) + "<!-- 备注 -->" + _rows(3, 4)))
    assert [n for n, _values in _read(path, "rows")] == [1, 2, 3, 4]


def test_what_the_plain_reader_leaves_is_refused_as_before(tmp_path, settings):
    """A damaged or hostile sheet is still refused with the reader's message, whichever way it was read."""
    settings.SPREADSHEET_MAX_COLUMNS = 10
    path = _file(tmp_path, sheet_xml(_rows(1) + '<row r="2"><c r="L2"><v>1</v></c></row>'))
    with pytest.raises(SpreadsheetError) as refused:
        read_table(str(path), "xlsx")
    assert refused.value.row == 2 and refused.value.column == "L"
    path = _file(
        tmp_path, f'{HEAD}<worksheet xmlns="{NS}"><sheetData>{_rows(1, 2)}</sheetData><bad></worksheet>'
    )
    with pytest.raises(SpreadsheetError, match="XML"):
        read_table(str(path), "xlsx")


def test_a_cell_longer_than_the_cap_is_a_bad_cell_in_a_plain_row(tmp_path, settings):
    settings.SPREADSHEET_MAX_CELL_CHARS = 5
    path = _file(
        tmp_path,
        sheet_xml(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>一二三四五六</t></is></c><c r="B1" t="inlineStr"><is><t>&amp;&amp;&amp;&amp;&amp;</t></is></c></row>'
        ),
    )
    rows = _same(path)
    assert _plain(path)
    assert rows == [(1, ["单元格内容超过 5 个字符。", "&&&&&"])]


def test_a_large_plain_file_streams_in_chunks(tmp_path):
    """Rows across many chunks of the compressed stream, and a row split between two chunks."""
    out = io.StringIO()
    for n in range(1, 3001):
        out.write(f'<row r="{n}" spans="1:3"><c r="A{n}" t="inlineStr"><is><t>{"村" * (n % 97)}</t></is></c>')
        out.write(f'<c r="C{n}" s="2"><v>{n}.5</v></c></row>')
    path = _file(tmp_path, sheet_xml(out.getvalue(), "A1:C3000"))
    rows = _same(path)
    assert _plain(path) and len(rows) == 3000
    assert rows[-1] == (3000, ["村" * (3000 % 97), None, 3000.5])


BASE_BODY = (
    '<row r="1" spans="1:3"><c r="A1" t="inlineStr"><is><t>编码</t></is></c><c r="B1" s="1" t="s"><v>0</v></c>'
    '<c r="C1"><f>SUM(1)</f><v>2</v></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve"> a&amp;b </t></is></c><c r="C2" t="b"><v>1</v></c></row>'
    '<row r="3"/><row r="4"><c r="B4" t="e"><v>#N/A</v></c><c r="A4" t="str"><v>x&#26449;</v></c></row>'
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(
            st.integers(0, len(BASE_BODY)),
            st.integers(0, 3),
            st.sampled_from(
                [
                    "<",
                    ">",
                    "&",
                    ";",
                    '"',
                    "'",
                    " ",
                    "\r",
                    "\n",
                    "/",
                    "=",
                    "#",
                    "x",
                    "r",
                    "c",
                    "]]>",
                    "<!--",
                    "&#0;",
                    "&lt;",
                    "1",
                    "\x00",
                    "村",
                    'r="9"',
                    "<v>",
                    "</c>",
                ]
            ),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_a_damaged_plain_sheet_reads_or_fails_alike(tmp_path, edits):
    """Bytes deleted or inserted anywhere in the rows: the same rows or the same error either way."""
    body = BASE_BODY
    for at, cut, insert in edits:
        at = min(at, len(body))
        body = body[:at] + insert + body[at + cut :]
    sheet = f'{HEAD}<worksheet xmlns="{NS}"><sheetData>{body}</sheetData></worksheet>'
    _same(_file(tmp_path, sheet, "d.xlsx"))


# --- the shared-strings table -------------------------------------------------------


def _strings_file(tmp_path, table: str):
    sheet = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    path = tmp_path / "s.xlsx"
    path.write_bytes(xlsx_parts({"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": table}))
    return path


def _tables(path):
    """The table read by expression (or the reason it was not), and by expat."""
    sheet = XlsxSheet(str(path), limits.current())
    try:
        try:
            plain = [v.message if isinstance(v, BadCell) else v for v in sheet._plain_strings()]
        except _NotPlain:
            plain = None
        streamed = [v.message if isinstance(v, BadCell) else v for v in sheet._streamed_strings()]
        return plain, streamed, [v.message if isinstance(v, BadCell) else v for v in sheet.strings]
    finally:
        sheet.close()


def _sst(items: str, count: int = 0) -> str:
    return f'{HEAD}<sst xmlns="{NS}" count="{count}" uniqueCount="{count}">{items}</sst>'


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(texts, max_size=8), st.booleans())
def test_a_plain_shared_strings_table_reads_alike_by_expression_and_by_expat(tmp_path, strings, references):
    items = []
    for text in strings:
        body = escape(text, {'"': "&quot;"})
        if references and text:
            body = f"&#x{ord(text[0]):x};" + escape(text[1:])
        space = ' xml:space="preserve"' if text != text.strip() else ""
        items.append(f"<si><t{space}>{body}</t></si>" if text else "<si><t/></si>")
    plain, streamed, kept = _tables(_strings_file(tmp_path, _sst("".join(items), len(items))))
    assert plain == streamed == kept == strings


def test_excel_and_wps_tables_read_alike(tmp_path):
    """As Excel writes it (plain), and as WPS writes formatted cells (rich-text runs, phonetic hints)."""
    path = tmp_path / "e.xlsx"
    path.write_bytes(excel_xlsx([["编码", "名称"], ["ZZ-01", "村务 & 公开"], ["ZZ-02", " 前后空格 "]]))
    plain, streamed, kept = _tables(path)
    assert plain is None  # the fifth string is rich text: expat reads the table
    assert kept == streamed and "村务 & 公开" in kept
    path = _strings_file(
        tmp_path, _sst('<si><t>甲</t></si><si><t xml:space="preserve"> 乙 </t></si><si><t/></si>', 3)
    )
    plain, streamed, kept = _tables(path)
    assert plain == streamed == kept == ["甲", " 乙 ", ""]


@pytest.mark.parametrize(
    "items",
    [
        "<si><t>甲</t></si><!-- 注 --><si><t>乙</t></si>",
        "<si><r><t>甲</t></r></si>",
        '<si><t>甲</t><rPh sb="0" eb="1"><t>コウ</t></rPh></si>',
        "<si>\n<t>甲</t></si>",
        "<si><t>甲&nbsp;</t></si>",
        "<si><t>a]]>b</t></si>",
    ],
    ids=["comment", "rich-text", "phonetic", "line-break", "html-entity", "cdata-end"],
)
def test_a_table_not_plain_reads_as_expat_reads_it(tmp_path, items):
    path = _strings_file(tmp_path, _sst(items, 2))
    sheet = XlsxSheet.__new__(XlsxSheet)
    sheet.zf, sheet.limits = zipfile.ZipFile(path), limits.current()
    with pytest.raises(_NotPlain):
        sheet._plain_strings()
    sheet.zf.close()
    # Read whole, both ways agree, or refuse alike.
    _same(path)


def test_a_string_too_long_and_a_table_too_large_are_refused_alike(tmp_path, settings):
    settings.SPREADSHEET_MAX_CELL_CHARS = 3
    plain, streamed, _kept = _tables(
        _strings_file(tmp_path, _sst("<si><t>甲乙丙丁</t></si><si><t>甲</t></si>", 2))
    )
    assert plain == streamed == ["单元格内容超过 3 个字符。", "甲"]
    settings.SPREADSHEET_MAX_CELL_CHARS = 32_767
    settings.SPREADSHEET_MAX_STRINGS_MB = 1
    many = "".join(f"<si><t>第{n}条</t></si>" for n in range(40_000))
    path = _strings_file(tmp_path, _sst(many, 40_000))
    with pytest.raises(XlsxError, match="1 MB"):
        XlsxSheet(str(path), limits.current())
    sheet = XlsxSheet.__new__(XlsxSheet)
    sheet.zf, sheet.limits = zipfile.ZipFile(path), limits.current()
    with pytest.raises(XlsxError, match="1 MB"):
        sheet._streamed_strings()
    sheet.zf.close()


def test_utf16_without_a_byte_order_mark_is_read_by_expat(tmp_path):
    """UTF-8 bytes of rows inside a UTF-16 sheet are text to expat, never rows."""

    def u(text: str) -> bytes:
        return text.encode("utf-16-le")

    sheet = (
        u(f'<worksheet xmlns="{NS}"><sheetData>')
        + f"<sheetData>{_rows(1)}</sheetData> ".encode()
        + u("</sheetData></worksheet>")
    )
    path = _file(tmp_path, sheet)  # type: ignore[arg-type]
    _same(path)
    assert not _plain(path)


@pytest.mark.parametrize(
    "table",
    [
        f'{HEAD}<sst\txmlns="{NS}"><!--<sst><si><t>ghost</t></si></sst>--></sst>',
        f'{HEAD}<x:sst xmlns:x="{NS}" xmlns="{NS}"><!--<sst><si><t>ghost</t></si></sst>--></x:sst>',
        f'<?xml version="1.0" encoding = "ISO-8859-1"?><sst xmlns="{NS}"><si><t>é</t></si></sst>',
    ],
    ids=["tab-then-comment", "prefixed-then-comment", "latin-1"],
)
def test_a_table_with_strings_expat_does_not_see_reads_as_expat_reads_it(tmp_path, table):
    plain, streamed, kept = _tables(_strings_file(tmp_path, table))
    assert plain is None and kept == streamed
