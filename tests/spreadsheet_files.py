"""Spreadsheet files written the way Excel and WPS write them, built by hand.

openpyxl (which other tests use to make files) writes text as inline strings;
Excel and WPS keep every text in the shared-strings table (``xl/sharedStrings.xml``)
and refer to it by number (``<c t="s"><v>3</v></c>``), with rich-text runs,
phonetic hints, ``xml:space="preserve"``, a ``<dimension>``, styles and row
spans. ``excel_xlsx`` writes such a file from rows of values; ``xlsx_parts``
writes any parts given (for hostile files); a ``Repeated`` part is compressed
without being built, so a 1 MB file can hold a 1,000 MB string.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from spreadsheets.xlsx import column_letters as column

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    f'<workbook xmlns="{NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27425"/>'
    '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/></bookViews>'
    '<sheets><sheet name="清单" sheetId="1" r:id="rId3"/></sheets><calcPr calcId="191029"/></workbook>'
)
# WPS numbers the relationships differently from Excel; the sheet is not always rId1.
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    f'<styleSheet xmlns="{NS}"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="等线"/><charset val="134"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="2"><xf/><xf numFmtId="176" applyNumberFormat="1"/></cellXfs></styleSheet>'
)
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def _si(text: str, n: int) -> str:
    # Excel writes xml:space="preserve" for edge spaces; every fifth string
    # is written as rich-text runs with a phonetic hint, as WPS does for
    # formatted cells (the hint is not part of the text).
    space = ' xml:space="preserve"' if text != text.strip() else ""
    if n % 5 == 4 and len(text) > 1:
        half = len(text) // 2
        return (
            f'<si><r><rPr><sz val="11"/><rFont val="宋体"/></rPr><t{space}>{escape(text[:half])}</t></r>'
            f"<r><t{space}>{escape(text[half:])}</t></r>"
            '<rPh sb="0" eb="1"><t>ピン</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>'
        )
    return f"<si><t{space}>{escape(text)}</t></si>"


def excel_xlsx(rows: list[list]) -> bytes:
    """An .xlsx of one sheet as Excel saves it: text in the shared-strings table, dates as serials."""
    strings: dict[str, int] = {}
    count = 0
    body = []
    width = max((len(r) for r in rows), default=1)
    for r, values in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(values):
            ref = f"{column(c)}{r}"
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, date):
                serial = (value - date(1899, 12, 30)).days
                cells.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
            else:
                count += 1
                index = strings.setdefault(str(value), len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
        body.append(f'<row r="{r}" spans="1:{width}" x14ac:dyDescent="0.25">{"".join(cells)}</row>')
    sheet = (
        f'{HEAD}<worksheet xmlns="{NS}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" '
        'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">'
        f'<dimension ref="A1:{column(width - 1)}{len(rows)}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="14.25" x14ac:dyDescent="0.25"/>'
        f"<sheetData>{''.join(body)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
    )
    shared = (
        f'{HEAD}<sst xmlns="{NS}" count="{count}" uniqueCount="{len(strings)}">'
        + "".join(_si(text, n) for n, text in enumerate(strings))
        + "</sst>"
    )
    return xlsx_parts({"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": shared})


def sheet_xml(rows_xml: str, dimension: str = "A1:V2") -> str:
    return f'{HEAD}<worksheet xmlns="{NS}"><dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'


@dataclass(frozen=True)
class Repeated:
    """A part of ``prefix + chunk * times + suffix`` bytes, compressed without ever being built:
    the chunk is deflated once as an independent block (after a full flush) and the block repeated."""

    prefix: bytes
    chunk: bytes
    times: int
    suffix: bytes

    def deflate(self) -> tuple[bytes, int, int]:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        head = c.compress(self.prefix) + c.flush(zlib.Z_FULL_FLUSH)
        block = c.compress(self.chunk) + c.flush(zlib.Z_FULL_FLUSH)
        tail = c.compress(self.suffix) + c.flush(zlib.Z_FINISH)
        crc = zlib.crc32(self.prefix)
        for _ in range(self.times):
            crc = zlib.crc32(self.chunk, crc)
        crc = zlib.crc32(self.suffix, crc)
        size = len(self.prefix) + len(self.chunk) * self.times + len(self.suffix)
        return head + block * self.times + tail, crc, size


Part = str | bytes | Repeated


def _deflate(content: str | bytes) -> tuple[bytes, int, int]:
    data = content.encode() if isinstance(content, str) else content
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def xlsx_parts(parts: dict[str, Part], *, path=None) -> bytes:
    """A zip with the package parts of a one-sheet workbook plus ``parts`` (which win).

    The zip is written by hand (local headers, central directory) as any zip
    tool writes it, so that a ``Repeated`` part can declare its true size.
    """
    members: dict[str, Part] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/styles.xml": STYLES,
        **parts,
    }
    out = io.BytesIO()
    central = []
    dos_time, dos_date = 0x6000, 0x5B81  # 12:00, 2025-12-01
    for name, content in members.items():
        data, crc, size = content.deflate() if isinstance(content, Repeated) else _deflate(content)
        encoded = name.encode()
        offset = out.tell()
        fields = (20, 0x0800, 8, dos_time, dos_date, crc, len(data), size, len(encoded), 0)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded)
        out.write(data)
        central.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset) + encoded
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), len(directory), start, 0)
    )
    if path is not None:
        Path(path).write_bytes(out.getvalue())
        return b""
    return out.getvalue()


def huge_string_parts(megabytes: int) -> dict[str, Part]:
    """A header row whose first cell is shared string 0, and string 0 ``megabytes`` MB long."""
    header_cells = '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
    row2 = '<c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="s"><v>5</v></c>'

    prefix = f'{HEAD}<sst xmlns="{NS}" count="6" uniqueCount="6">' + "".join(
        f"<si><t>{text}</t></si>" for text in ("编码", "清单类别", "事项名称", "ZZ-01", "自治")
    )
    chunk = "长".encode() * (1 << 18)  # 0.75 MB
    strings = Repeated((prefix + "<si><t>").encode(), chunk, megabytes * 4 // 3, b"</t></si></sst>")

    # The huge string is the third cell of row 2 (事项名称): string 5.
    return {
        "xl/worksheets/sheet1.xml": sheet_xml(
            f'<row r="1">{header_cells}</row><row r="2">{row2}</row>', "A1:C2"
        ),
        "xl/sharedStrings.xml": strings,
    }
