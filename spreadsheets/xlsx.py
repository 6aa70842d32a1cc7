"""A streaming reader for the first sheet of an .xlsx file, in bounded memory and time.

openpyxl (with defusedxml) reads about 4,000 rows/s of a 22-column sheet; the
import has to read 100,000 rows well inside a minute. This reader streams the
XML through expat (C) and yields plain cell values.

Safety: a document that declares a DTD or an entity is refused (an .xlsx never
has one), so no entity expansion ("billion laughs") or external entity can
happen. The small parts (workbook, relationships) are parsed by defusedxml;
the shared strings and the sheet stream through expat with defusedxml's rules
(and its exceptions): its SAX wrapper would add a Python call per event. Bounds (``spreadsheets.limits``), checked before
or while reading, never after:

- every XML part is size-checked in the zip directory before it is opened,
  and ``zipfile`` never inflates a member past the size it declares;
- the shared-strings table (the one thing held in memory: cells refer to it
  by number) is streamed, each string capped at the cell length (a longer one
  is kept as a ``BadCell`` and reported at the cells that use it) and the
  whole table capped by its in-memory size;
- a cell's column is capped (``AAAAAAA2`` is refused by name, never padded),
  a cell's text is capped while it streams, and a row is a dict of the cells
  it holds.
"""

from __future__ import annotations

import posixpath
import re
import sys
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as DefusedElementTree
from django.utils.translation import gettext as _

from .limits import Limits
from .schema import BadCell

CHUNK = 1 << 16
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CELL_REF = re.compile(r"([A-Za-z]+)([0-9]*)")
DIGITS = "0123456789"
SHARED_STRINGS = "xl/sharedStrings.xml"


class XlsxError(ValueError):
    """The file cannot be read (the message is for the user; row and column where there is one)."""

    def __init__(self, message: str, row: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.message, self.row, self.column = message, row, column


def column_index(letters: str) -> int:
    """'A' → 0, 'Z' → 25, 'AA' → 26 (callers cap the length first)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def column_letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _parser() -> expat.XMLParserType:
    """An expat parser that refuses DTDs and entities (defusedxml's rules)."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse_dtd(name: str, *_args: Any) -> None:
        raise DTDForbidden(name, None, None)

    def refuse_entity(name: str, *_args: Any) -> None:
        raise EntitiesForbidden(name, None, None, None, None, None)

    def refuse_external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> int:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_external
    parser.buffer_text = True
    return parser


def _feed(parser: expat.XMLParserType, member: IO[bytes]) -> None:
    while chunk := member.read(CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


class XlsxSheet:
    """Rows of the first worksheet as (row number, values: str, float, bool, BadCell or None)."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.limits = limits
        try:
            self.zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise XlsxError(_("This .xlsx file is not a spreadsheet (damaged or renamed).")) from exc
        self.names = {info.filename: info for info in self.zf.infolist()}
        self.sheet_path = self._first_sheet_path()
        self._check_size(self.sheet_path, limits.sheet_bytes, limits.sheet_mb)
        self.strings = self._shared_strings()
        self.dimension_rows = self._dimension()

    def _check_size(self, name: str, cap: int, cap_mb: int) -> None:
        info = self.names[name]
        if info.file_size > cap:
            raise XlsxError(
                _("The part %(part)s of the file is larger than %(mb)s MB once uncompressed; it is refused.")
                % {"part": name, "mb": cap_mb}
            )

    def _parse_part(self, name: str):
        """A small part (workbook, relationships), size-checked, through defusedxml (no DTD, no entities)."""
        self._check_size(name, self.limits.part_bytes, self.limits.part_bytes // (1024 * 1024))
        with self.zf.open(name) as fh:
            return DefusedElementTree.parse(fh, forbid_dtd=True).getroot()

    def _first_sheet_path(self) -> str:
        names = self.names
        if "xl/workbook.xml" in names and "xl/_rels/workbook.xml.rels" in names:
            sheet = self._parse_part("xl/workbook.xml").find(f"{{{NS_MAIN}}}sheets/{{{NS_MAIN}}}sheet")
            sheet_rid = sheet.get(f"{{{NS_REL}}}id", "") if sheet is not None else ""
            rels = self._parse_part("xl/_rels/workbook.xml.rels")
            target = next(
                (
                    r.get("Target", "")
                    for r in rels.iter(f"{{{NS_PKG_REL}}}Relationship")
                    if r.get("Id") == sheet_rid
                ),
                "",
            )
            if target:
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                if path in names:
                    return path
        if "xl/worksheets/sheet1.xml" in names:
            return "xl/worksheets/sheet1.xml"
        raise XlsxError(_("The file holds no worksheet."))

    def _shared_strings(self) -> list[str | BadCell]:
        """The shared-strings table, streamed: each string and the whole table capped as they stream."""
        strings: list[str | BadCell] = []
        if SHARED_STRINGS not in self.names:
            return strings
        limits = self.limits
        self._check_size(SHARED_STRINGS, limits.strings_bytes, limits.strings_mb)
        cell_chars, budget = limits.cell_chars, limits.strings_bytes
        too_long = BadCell(_("The cell holds more than %(n)s characters.") % {"n": limits.cell_chars})
        parts: list[str] = []
        state = {"in_t": False, "in_rph": False, "length": 0, "size": 0}

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == f"{NS_MAIN} si":
                parts.clear()
                state["length"] = 0
            elif name == f"{NS_MAIN} t":
                state["in_t"] = True
            elif name == f"{NS_MAIN} rPh":  # phonetic hints are not part of the text
                state["in_rph"] = True

        def end(name: str) -> None:
            if name == f"{NS_MAIN} si":
                if state["length"] > cell_chars:
                    strings.append(too_long)
                else:
                    text = "".join(parts)
                    strings.append(text)
                    state["size"] += sys.getsizeof(text) + 8
                    if state["size"] > budget:
                        raise XlsxError(
                            _("The shared-strings table holds more than %(mb)s MB of text; it is refused.")
                            % {"mb": limits.strings_mb}
                        )
                parts.clear()
            elif name == f"{NS_MAIN} t":
                state["in_t"] = False
            elif name == f"{NS_MAIN} rPh":
                state["in_rph"] = False

        def text(data: str) -> None:
            if state["in_t"] and not state["in_rph"]:
                state["length"] += len(data)
                if state["length"] <= cell_chars:
                    parts.append(data)
                elif parts:
                    parts.clear()  # too long: keep nothing of it

        p = _parser()
        p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, text
        with self.zf.open(SHARED_STRINGS) as fh:
            _feed(p, fh)
        return strings

    def _dimension(self) -> int:
        """The last row number the sheet declares (for the progress bar), or 0."""
        with self.zf.open(self.sheet_path) as fh:
            head = fh.read(4096).decode("utf-8", "replace")
        m = re.search(r"<(?:\w+:)?dimension ref=\"[A-Z]+\d+:[A-Z]+(\d{1,9})\"", head)
        return int(m.group(1)) if m else 0

    def close(self) -> None:
        self.zf.close()

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Yield (row number, values) as the XML streams by; a row has at most ``limits.columns`` values."""
        limits = self.limits
        max_columns, cell_chars = limits.columns, limits.cell_chars
        done: list[tuple[int, list[Any]]] = []
        row: dict[int, Any] = {}
        text: list[str] = []
        # The cell being read: its column, type, text length, whether in its value; the row number.
        col, kind, length, in_v, number = -1, "n", 0, False, 0
        # Column letters already seen → index (a sheet uses the same few letters on every row).
        letters_index: dict[str, int] = {}
        strings = self.strings
        count = len(strings)
        tag_row, tag_c, tag_v, tag_t = (f"{NS_MAIN} {t}" for t in ("row", "c", "v", "t"))
        too_long = BadCell(_("The cell holds more than %(n)s characters.") % {"n": cell_chars})
        missing = BadCell(_("The cell refers to a shared string the file does not hold."))

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal col, kind, length, in_v, number
            if name == tag_c:
                ref = attrs.get("r", "")
                index = letters_index.get(ref.rstrip(DIGITS)) if ref else None
                if index is not None:
                    col = index
                else:
                    m = CELL_REF.fullmatch(ref) if ref else None
                    if m is None:
                        col += 1
                        letters = column_letters(col) if col < max_columns else ref[:20]
                    else:
                        letters = m.group(1)
                        col = column_index(letters) if len(letters) <= 3 else max_columns
                        if col < max_columns:
                            letters_index[letters] = col
                    if col >= max_columns:
                        raise XlsxError(
                            _("A sheet may have at most %(n)s columns.") % {"n": max_columns},
                            row=number,
                            column=letters[:20],
                        )
                kind = attrs.get("t", "n")
                length = 0
                text.clear()
            elif name == tag_v or (name == tag_t and kind == "inlineStr"):
                in_v = True
            elif name == tag_row:
                row.clear()
                col = -1
                r = attrs.get("r", "")
                number = int(r) if r.isdigit() and len(r) < 10 else number + 1

        def end(name: str) -> None:
            nonlocal in_v
            if name == tag_v or name == tag_t:
                in_v = False
            elif name == tag_c:
                value: Any
                if length > cell_chars:
                    value = too_long
                else:
                    raw = "".join(text)
                    if kind == "s":
                        index = int(raw) if raw.isdigit() and len(raw) < 10 else -1
                        value = strings[index] if 0 <= index < count else (missing if raw else None)
                    elif kind in ("inlineStr", "str", "d"):
                        value = raw
                    elif kind == "b":
                        value = raw == "1"
                    elif kind == "e" or raw == "":
                        value = None
                    else:
                        try:
                            value = float(raw)
                        except ValueError:
                            value = raw  # not a number: the row's check says so at its column
                row[col] = value
            elif name == tag_row:
                width = max(row) + 1 if row else 0
                done.append((number, [row.get(i) for i in range(width)]))

        def chars(data: str) -> None:
            nonlocal length
            if in_v:
                length += len(data)
                if length <= cell_chars:
                    text.append(data)
                elif text:
                    text.clear()

        parser = _parser()
        parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, chars
        with self.zf.open(self.sheet_path) as fh:
            while chunk := fh.read(CHUNK):
                parser.Parse(chunk, False)
                yield from done
                done.clear()
            parser.Parse(b"", True)
            yield from done
