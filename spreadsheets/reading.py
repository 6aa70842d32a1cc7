"""Reading an uploaded spreadsheet: the format, the header row, then rows as {key: cell}."""

from __future__ import annotations

import codecs
import csv
import zipfile
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _

from .limits import Limits
from .limits import current as current_limits
from .schema import BadCell, Schema

# A cell beginning with one of these was exported with a leading quote (villageburden.exports).
FORMULA_START = "=+-@\t\r"
# One physical line of a CSV, at most (a row of many long cells still fits): bounds one read.
CSV_LINE_CHARS = 4 * 1024 * 1024


class SpreadsheetError(Exception):
    """The file cannot be read as the spreadsheet expected (the message is for the user).

    ``row`` and ``column`` (the header or the column letters) name where, when there is a where.
    """

    def __init__(self, message: str, row: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.message, self.row, self.column = message, row, column

    def __str__(self) -> str:
        if self.row:
            where = (
                _("Row %(row)s, column %(col)s") % {"row": self.row, "col": self.column}
                if self.column
                else _("Row %(row)s") % {"row": self.row}
            )
            return f"{where}: {self.message}"
        return self.message


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


def open_sheet(path: str, fmt: str, schema: Schema, limits: Limits | None = None) -> Sheet:
    """Rows of the first sheet as (row number, {field: value}); the header is the first row.

    Empty rows are skipped; more than ``limits.rows`` rows is refused.
    """
    limits = limits or current_limits()
    sheet = _open_xlsx(path, schema, limits) if fmt == "xlsx" else _open_csv(path, schema, limits)
    sheet.rows = _capped(sheet.rows, limits)
    return sheet


def _capped(
    rows: Iterator[tuple[int, dict[str, Any]]], limits: Limits
) -> Iterator[tuple[int, dict[str, Any]]]:
    count = 0
    for n, row in rows:
        count += 1
        if count > limits.rows:
            raise SpreadsheetError(_too_many_rows(limits), row=n)
        yield n, row


def _too_many_rows(limits: Limits) -> str:
    return _("The file has more than %(n)s rows; split it into several files.") % {"n": f"{limits.rows:,}"}


def _xlsx_problem(exc: Exception) -> SpreadsheetError:
    """What went wrong reading an .xlsx, said for the user (never a Python class name)."""
    from .xlsx import XlsxError

    if isinstance(exc, XlsxError):
        return SpreadsheetError(exc.message, row=exc.row, column=exc.column)
    if isinstance(exc, DefusedXmlException):
        return SpreadsheetError(
            _(
                "The spreadsheet declares a DTD or entities (DTD), which a spreadsheet never needs; it is refused."
            )
        )
    if isinstance(exc, expat.ExpatError):
        return SpreadsheetError(
            _("The spreadsheet is damaged: its XML is not well-formed (line %(line)s).")
            % {"line": exc.lineno}
        )
    return SpreadsheetError(_("The spreadsheet is damaged and cannot be read."))


# What reading a damaged or hostile .xlsx can raise, all turned into a SpreadsheetError.
XLSX_FAILURES = (
    ValueError,  # XlsxError, DefusedXmlException
    expat.ExpatError,
    KeyError,
    OSError,
    EOFError,
    RuntimeError,  # an encrypted member
    NotImplementedError,  # a compression zipfile does not know
    zipfile.BadZipFile,  # a bad CRC, a member past its declared size
    zlib.error,
    ParseError,
)


def _open_xlsx(path: str, schema: Schema, limits: Limits) -> Sheet:
    from .xlsx import XlsxSheet

    try:
        book = XlsxSheet(path, limits)
        it = book.rows()
        first = next(it, None)
    except (*XLSX_FAILURES, DefusedXmlException) as exc:
        raise _xlsx_problem(exc) from exc
    if first is None:
        book.close()
        raise SpreadsheetError(_("The spreadsheet is empty."))
    columns, labels = map_headers(schema, first[1])
    total = min(max(book.dimension_rows - first[0], 0), limits.rows)

    keys, positions = list(columns.values()), list(columns)
    width = max(positions, default=-1) + 1
    # The cells of the known columns, as a tuple (itemgetter of one index gives the value alone).
    pick = itemgetter(*positions) if len(positions) > 1 else (lambda row: tuple(row[i] for i in positions))

    def rows():
        try:
            for n, row in it:
                if row.count(None) + row.count("") == len(row):  # empty (0 and False are values)
                    continue
                if len(row) < width:
                    row = row + [None] * (width - len(row))
                yield n, dict(zip(keys, pick(row), strict=True))
        except (*XLSX_FAILURES, DefusedXmlException) as exc:
            raise _xlsx_problem(exc) from exc
        finally:
            book.close()

    return Sheet(rows(), labels, total)


def _csv_encoding(path: str) -> str:
    """UTF-8 (with or without BOM) or GB18030, decided by decoding the whole file in chunks."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise SpreadsheetError(_("The .csv file is neither UTF-8 nor GB18030 text."))


def _csv_lines(fh: IO[str], limits: Limits) -> Iterator[str]:
    """The file's physical lines, each read with a cap (one line can never fill the memory)."""
    number = 0
    while line := fh.readline(CSV_LINE_CHARS):
        number += 1
        if len(line) >= CSV_LINE_CHARS and not line.endswith(("\n", "\r")):
            raise SpreadsheetError(
                _("A line of the file is longer than %(n)s characters.") % {"n": f"{CSV_LINE_CHARS:,}"},
                row=number,
            )
        yield line


def _csv_reader(path: str, encoding: str, limits: Limits):
    fh = open(path, encoding=encoding, newline="")
    # csv keeps a field up to this many characters; a longer one is an error of its row.
    csv.field_size_limit(max(limits.cell_chars * 4, CSV_LINE_CHARS))
    return fh, csv.reader(_csv_lines(fh, limits))


def read_table(path: str, fmt: str, limits: Limits | None = None) -> tuple[list[Any], list[list[Any]]]:
    """The header and the rows of a (small) file as plain lists, through the same limits.

    For imports that hold the whole file (django-import-export's admin
    import): a cell the reader could not give a value refuses the file at
    its row and column. Empty rows are left out.
    """
    limits = limits or current_limits()
    if fmt == "xlsx":
        from .xlsx import XlsxSheet, column_letters

        try:
            book = XlsxSheet(path, limits)
            try:
                it = book.rows()
                first = next(it, None)
                if first is None:
                    raise SpreadsheetError(_("The spreadsheet is empty."))
                header = first[1]
                rows: list[list[Any]] = []
                for n, row in it:
                    if all(v is None or v == "" for v in row):
                        continue
                    if len(rows) >= limits.rows:
                        raise SpreadsheetError(_too_many_rows(limits), row=n)
                    for i, value in enumerate(row):
                        if isinstance(value, BadCell):
                            raise SpreadsheetError(value.message, row=n, column=column_letters(i))
                    rows.append(row)
            finally:
                book.close()
        except (*XLSX_FAILURES, DefusedXmlException) as exc:
            if isinstance(exc, SpreadsheetError):
                raise
            raise _xlsx_problem(exc) from exc
        width = len(header)
        return header, [(r + [None] * (width - len(r)))[:width] for r in rows]
    csv_rows = _csv_rows(path, _csv_encoding(path), limits)
    first = next(csv_rows, None)
    if first is None:
        raise SpreadsheetError(_("The spreadsheet is empty."))
    names: list[Any] = first[1]
    lines: list[list[Any]] = []
    for n, row in csv_rows:
        if len(lines) >= limits.rows:
            raise SpreadsheetError(_too_many_rows(limits), row=n)
        for i, value in enumerate(row):
            if len(value) > limits.cell_chars:
                raise SpreadsheetError(
                    _("The cell holds more than %(n)s characters.") % {"n": limits.cell_chars},
                    row=n,
                    column=names[i] if i < len(names) else str(i + 1),
                )
        lines.append(row)
    width = len(names)
    return names, [(r + [""] * (width - len(r)))[:width] for r in lines]


def _csv_rows(path: str, encoding: str, limits: Limits) -> Generator[tuple[int, list[str]], None, None]:
    """(line number, cells) of each non-empty row, the header first: columns capped, damage named by line."""
    fh, reader = _csv_reader(path, encoding, limits)
    try:
        for row in reader:
            if not any(v.strip() for v in row):
                continue
            if len(row) > limits.columns:
                raise SpreadsheetError(
                    _("A sheet may have at most %(n)s columns.") % {"n": limits.columns},
                    row=reader.line_num,
                    column=str(len(row)),
                )
            yield reader.line_num, row
    except csv.Error as exc:
        raise SpreadsheetError(
            _("The .csv file is damaged and cannot be read."), row=reader.line_num
        ) from exc
    finally:
        fh.close()


def _open_csv(path: str, schema: Schema, limits: Limits) -> Sheet:
    encoding = _csv_encoding(path)
    # A first pass counts the rows, so a file over the limit is refused before any row is checked.
    counted = _csv_rows(path, encoding, limits)
    first = next(counted, None)
    if first is None:
        raise SpreadsheetError(_("The spreadsheet is empty."))
    total = 0
    for n, _row in counted:
        total += 1
        if total > limits.rows:
            counted.close()
            raise SpreadsheetError(_too_many_rows(limits), row=n)
    columns, labels = map_headers(schema, first[1])
    too_long = BadCell(_("The cell holds more than %(n)s characters.") % {"n": limits.cell_chars})

    def rows():
        data = _csv_rows(path, encoding, limits)
        next(data, None)  # the header
        for n, row in data:
            out = {}
            for i, key in columns.items():
                value = row[i] if i < len(row) else None
                out[key] = too_long if value is not None and len(value) > limits.cell_chars else value
            yield n, out

    return Sheet(rows(), labels, total)
