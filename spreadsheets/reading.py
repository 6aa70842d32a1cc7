"""Reading an uploaded spreadsheet: the format, the header row, then rows as {key: cell}."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from django.utils.translation import gettext as _

from .schema import Schema

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# A cell beginning with one of these was exported with a leading quote (villageburden.exports).
FORMULA_START = "=+-@\t\r"


class SpreadsheetError(Exception):
    """The file cannot be read as the spreadsheet expected (the message is for the user)."""


def unquote(value: Any) -> Any:
    """Take off the quote an export put before a formula-looking cell."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def sniff_format(name: str, head: bytes) -> str:
    """xlsx or csv, by name and content; anything else is refused."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        if not head.startswith(b"PK"):
            raise SpreadsheetError(_("This .xlsx file is not a spreadsheet (damaged or renamed)."))
        return "xlsx"
    if suffix == ".csv":
        if b"\x00" in head:
            raise SpreadsheetError(_("This .csv file is not text."))
        return "csv"
    raise SpreadsheetError(_("Upload a .xlsx or .csv file."))


def map_headers(schema: Schema, raw: list[Any]) -> tuple[dict[int, str], dict[str, str]]:
    """The header row → ({column index: key}, {key: header as written}); unknown or missing columns refused."""
    columns: dict[int, str] = {}
    labels: dict[str, str] = {}
    unknown = []
    for i, header in enumerate(raw):
        text = str(header).strip() if header is not None else ""
        if not text:
            continue
        key = schema.headers.get(text) or schema.headers.get(text.lower())
        if key is None:
            unknown.append(text)
            continue
        if key in labels:
            raise SpreadsheetError(_("The column “%(col)s” appears twice.") % {"col": text})
        columns[i], labels[key] = key, text
    missing = [schema.label[k] for k in schema.required if k not in labels]
    problems = []
    if missing:
        problems.append(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(cols)s.") % {"cols": "、".join(unknown)})
    if problems:
        raise SpreadsheetError(" ".join(problems))
    return columns, labels


@dataclass
class Sheet:
    """The rows after the header: (row number as the spreadsheet shows it, {key: cell})."""

    rows: Iterator[tuple[int, dict[str, Any]]]
    labels: dict[str, str]
    total: int


def open_sheet(path: str, fmt: str, schema: Schema) -> Sheet:
    """Rows of the first sheet as (row number, {field: value}); the header is the first row."""
    if fmt == "xlsx":
        return _open_xlsx(path, schema)
    return _open_csv(path, schema)


def _open_xlsx(path: str, schema: Schema) -> Sheet:
    # A streaming expat reader that refuses DTDs (no entity expansion, no
    # external entities) and zip members too large once uncompressed.
    from .xlsx import XlsxError, XlsxSheet

    try:
        book = XlsxSheet(path)
        it = book.rows()
        first = next(it, None)
    except (XlsxError, expat.ExpatError, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(_("The spreadsheet cannot be read: %(err)s") % {"err": exc}) from exc
    if first is None:
        book.close()
        raise SpreadsheetError(_("The spreadsheet is empty."))
    columns, labels = map_headers(schema, first[1])
    total = max(book.dimension_rows - first[0], 0)

    def rows():
        try:
            for n, row in it:
                if all(v is None or v == "" for v in row):
                    continue
                yield n, {key: row[i] if i < len(row) else None for i, key in columns.items()}
        except (XlsxError, expat.ExpatError, ValueError, IndexError) as exc:
            raise SpreadsheetError(_("The spreadsheet cannot be read: %(err)s") % {"err": exc}) from exc
        finally:
            book.close()

    return Sheet(rows(), labels, total)


def _open_csv(path: str, schema: Schema) -> Sheet:
    raw = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError(_("The .csv file is neither UTF-8 nor GB18030 text."))
    del raw
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise SpreadsheetError(_("The spreadsheet is empty."))
    columns, labels = map_headers(schema, header)
    total = max(text.count("\n") - 1, 0)

    def rows():
        for row in reader:
            n = reader.line_num
            if not any(v.strip() for v in row):
                continue
            yield n, {key: (row[i] if i < len(row) else None) for i, key in columns.items()}

    return Sheet(rows(), labels, total)
