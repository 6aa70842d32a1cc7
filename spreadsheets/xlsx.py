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

Speed: most sheets are written in one plain form (Excel, WPS, LibreOffice,
openpyxl: no whitespace between elements, attributes in their usual order).
Such rows are read by regular expressions, a whole row per match, about twice
as fast as a Python call per XML event (a plain shared-strings table about
three times); the parts around the rows still
go through expat with the rules above. A row in any other form (comments,
other namespaces, rich text, an odd attribute, an entity that is not one of
XML's own) hands the sheet to the expat reader from the start, which skips
the rows already given: both readers give the same rows for the same file
(``tests/test_spreadsheets_xlsx_reader.py`` checks it).
"""

from __future__ import annotations

import codecs
import posixpath
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
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


class _NotPlain(Exception):
    """The sheet is not in the plain form the row expressions read: the expat reader takes over."""


# A cell and a row in the plain form. Text holds no "<" (so no element and no
# CDATA hides in it); its "&" references are checked by ``_unescape``; the
# characters XML refuses, a carriage return (which XML would turn into a line
# feed) and "]]>" are looked for by ``_NOT_PLAIN_TEXT`` in each row where
# ``_suspect`` found any in the bytes read.
_CELL = (
    r'<c r="([A-Z]{1,3})[0-9]{1,7}"(?: s="[0-9]{1,9}")?(?: t="([A-Za-z]{1,9})")?'
    r"(?: ?/>|>"
    r'(?:<f>[^<&]*</f>|<f t="shared" si="[0-9]{1,9}" ?/>|<f t="shared" ref="[A-Z0-9:]{1,30}" si="[0-9]{1,9}">[^<&]*</f>)?'
    r'(?:<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
)
_CELLS = re.compile(_CELL)
_ROW = re.compile(
    r'<row r="([0-9]{1,9})"((?: [A-Za-z_][A-Za-z0-9_.:-]*="[^"<&]*")*)(?: ?/>|>((?:'
    + re.sub(r"\((?!\?)", "(?:", _CELL)
    + r")*)</row>)"
)
_ATTR_NAME = re.compile(r' ([A-Za-z_][A-Za-z0-9_.:-]*)="')
_NOT_PLAIN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]|]]>")
_ENTITY = re.compile(r"(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_SHEET_DATA = re.compile(rb"<sheetData>")
# The shared-strings table: its root's start tag, then strings of plain text only (no rich-text
# runs, no phonetic hints), a run of them per match.
_SST = re.compile(rb'<sst(?: [A-Za-z_:][A-Za-z0-9_.:-]*="[^"<&]*")* ?>')
_STRING = re.compile(r'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>|<si><t ?/></si>')
_STRING_RUN = re.compile(r'(?:<si><t(?: xml:space="preserve")?>[^<]*</t></si>|<si><t ?/></si>)+')
# A piece cut by a chunk this short is tried again at once (an empty row, the closing tag).
_SHORT_PIECE = 4096
# The parts before the rows: a few KB in any real sheet.
_HEAD_CAP = 1 << 20
# Characters of one row, or one shared string, held at once; a longer one is streamed by expat.
_ROW_CAP = 1 << 20


# Bytes that never stand in plain row text: the controls XML refuses and the carriage return;
# U+FFFE, U+FFFF and "]]>" are looked for as byte sequences.
_PLAIN_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in (0x9, 0xA))


def _suspect(data: bytes) -> bool:
    """Whether ``data`` may hold something XML refuses in text (then each row is checked by ``_NOT_PLAIN_TEXT``)."""
    return (
        bool(data.translate(None, _PLAIN_BYTES))
        or b"]]>" in data
        or b"\xef\xbf\xbe" in data
        or b"\xef\xbf\xbf" in data
    )


def _xml_char(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _unescape(text: str) -> str:
    """Text with XML's five entities and character references replaced; anything else is not plain."""
    first, *rest = text.split("&")
    out = [first]
    for part in rest:
        m = _ENTITY.match(part)
        if m is None:
            raise _NotPlain
        name, decimal, hexadecimal = m.groups()
        if name:
            out.append(_NAMED[name])
        else:
            code = int(decimal) if decimal else int(hexadecimal, 16)
            if not _xml_char(code):
                raise _NotPlain
            out.append(chr(code))
        out.append(part[m.end() :])
    return "".join(out)


class _PlainPart:
    """A part read in the plain form: expat reads its XML up to the element whose content the
    expressions read, and everything after that content; the content itself is handed over as text.

    ``refused`` are the elements that must not stand outside that content (the
    expat reader would read them: the part is not plain). Namespace prefixes in
    scope at the content are kept in ``prefixes``.
    """

    def __init__(self, fh: IO[bytes], opening: re.Pattern[bytes], tag: str, refused: tuple[str, ...]) -> None:
        self.fh = fh
        self.prefixes: dict[str, list[str]] = {"xml": ["http://www.w3.org/XML/1998/namespace"]}
        # The elements expat started, with the byte where each begins; the encoding it was told.
        started: list[tuple[str, int]] = []
        encoding: list[str | None] = [None]

        def start(name: str, _attrs: dict[str, str]) -> None:
            if name in refused:
                raise _NotPlain
            started.append((name, parser.CurrentByteIndex))

        def declare(prefix: str | None, uri: str) -> None:
            self.prefixes.setdefault(prefix or "", []).append(uri)

        def undeclare(prefix: str | None) -> None:
            self.prefixes[prefix or ""].pop()

        def declaration(_version: str, declared: str | None, _standalone: int) -> None:
            encoding[0] = declared

        def moved_on(*_args: Any) -> None:
            started.append(("", -1))  # an element ended: the opening tag is not the last thing

        self.parser = parser = _parser()
        parser.StartElementHandler, parser.EndElementHandler = start, moved_on
        parser.StartNamespaceDeclHandler, parser.EndNamespaceDeclHandler = declare, undeclare
        parser.XmlDeclHandler = declaration
        head = b""
        while (m := opening.search(head)) is None:
            chunk = fh.read(CHUNK)
            if not chunk or len(head) > _HEAD_CAP:
                raise _NotPlain
            head += chunk
        if b"\0" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise _NotPlain  # UTF-16 (or not XML): the content would not be UTF-8 text
        try:
            parser.Parse(head[: m.end()], False)
        except expat.ExpatError as exc:
            raise _NotPlain from exc
        if encoding[0] is not None and encoding[0].lower() not in ("utf-8", "utf8"):
            raise _NotPlain
        # The tag the expression found must be the element expat started last, at the same byte:
        # not one in a comment, CDATA or a processing instruction, nor in another namespace.
        if not started or started[-1] != (tag, m.start()):
            raise _NotPlain
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        body = head[m.end() :]
        #: The content read so far, as text (its first bytes came with the head).
        self.text = self.decode(body)
        # The content is checked piece by piece for what XML refuses only where the bytes read hold any of it.
        self.suspect, self.last, self.end_of_file = _suspect(body), body[-2:], False

    def decode(self, data: bytes, final: bool = False) -> str:
        try:
            return self.decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            raise _NotPlain from exc

    def refill(self, text: str, pos: int, closing: str) -> str:
        """``text[pos:]`` (a piece the chunk cut) and more of the content; ``_NotPlain`` if the piece at
        ``pos`` was whole (its ``closing`` tag is there) but not plain, is too long, or the part ended.

        Reads on until the piece's ``closing`` tag has come (or it is short: an empty element), so
        the expression scans a long piece once, not once per chunk.
        """
        pending = text[pos:]
        if self.end_of_file or closing in pending or len(pending) > _ROW_CAP:
            raise _NotPlain
        # What was left of the last chunk was checked with it: it is looked at again only if it was suspect.
        suspect = self.suspect and bool(_NOT_PLAIN_TEXT.search(pending))
        while True:
            chunk = self.fh.read(CHUNK)
            self.end_of_file = not chunk
            seen = max(len(pending) - len(closing), 0)
            pending += self.decode(chunk, final=self.end_of_file)
            suspect = suspect or _suspect(self.last + chunk)  # a sequence may straddle two chunks
            self.last = chunk[-2:]
            if (
                self.end_of_file
                or closing in pending[seen:]
                or len(pending) < _SHORT_PIECE
                or len(pending) > _ROW_CAP
            ):
                self.suspect = suspect
                return pending

    def finish(self, rest: str) -> None:
        """Expat reads what follows the content (``rest``, then the part to its end)."""
        try:
            self.parser.Parse(rest.encode(), False)
            while chunk := self.fh.read(CHUNK):
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise _NotPlain from exc


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
        """The shared-strings table: plain strings by expression, any other table streamed through expat."""
        if SHARED_STRINGS not in self.names:
            return []
        limits = self.limits
        self._check_size(SHARED_STRINGS, limits.strings_bytes, limits.strings_mb)
        try:
            return self._plain_strings()
        except _NotPlain:
            pass
        # Outside the except clause: the plain reader's strings are let go before expat reads the table.
        return self._streamed_strings()

    def _kept_string(self) -> Callable[[str], str | BadCell]:
        """A string of the table as both readers keep it: capped at a cell's length; the table capped in size."""
        limits = self.limits
        cell_chars, budget = limits.cell_chars, limits.strings_bytes
        too_long = self._too_long()
        size = 0

        def keep(text: str) -> str | BadCell:
            nonlocal size
            if len(text) > cell_chars:
                return too_long
            size += sys.getsizeof(text) + 8
            if size > budget:
                raise XlsxError(
                    _("The shared-strings table holds more than %(mb)s MB of text; it is refused.")
                    % {"mb": limits.strings_mb}
                )
            return text

        return keep

    def _plain_strings(self) -> list[str | BadCell]:
        """The table in the plain form (``<si><t>text</t></si>`` only), by expression; else ``_NotPlain``."""
        strings: list[str | BadCell] = []
        keep = self._kept_string()
        refused = tuple(f"{NS_MAIN} {t}" for t in ("si", "t"))  # a string outside the table
        with self.zf.open(SHARED_STRINGS) as fh:
            part = _PlainPart(fh, _SST, f"{NS_MAIN} sst", refused)
            text, pos = part.text, 0
            while True:
                m = _STRING_RUN.match(text, pos)
                if m is not None:
                    run = m.group(0)
                    if part.suspect and _NOT_PLAIN_TEXT.search(run):
                        raise _NotPlain
                    references = "&" in run
                    for t in _STRING.findall(run):
                        strings.append(keep(_unescape(t) if references and "&" in t else t))
                    pos = m.end()
                    continue
                if text.startswith("</sst>", pos):
                    break
                text, pos = part.refill(text, pos, "</si>"), 0  # a string in another form: expat reads it
            part.finish(text[pos:])
        return strings

    def _streamed_strings(self) -> list[str | BadCell]:
        """The shared-strings table, streamed: each string and the whole table capped as they stream."""
        strings: list[str | BadCell] = []
        cell_chars, too_long, keep = self.limits.cell_chars, self._too_long(), self._kept_string()
        parts: list[str] = []
        state = {"in_t": False, "in_rph": False, "length": 0}

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
                # Too long, its text was let go while it streamed: the length says so.
                strings.append(too_long if state["length"] > cell_chars else keep("".join(parts)))
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
        """Yield (row number, values) as the XML streams by; a row has at most ``limits.columns`` values.

        Plain rows are read by expression; at the first row that is not plain
        the expat reader reads the sheet from the start and skips the rows
        already given (the same rows: both read a plain row alike).
        """
        given = 0
        try:
            for item in self._plain_rows():
                yield item
                given += 1
            return
        except _NotPlain:
            pass
        for n, item in enumerate(self._streamed_rows()):
            if n >= given:
                yield item

    def _cell_value(self) -> Callable[[str, str], Any]:
        """A cell's value from its type (``t``) and its text, as both readers give it."""
        strings = self.strings
        count = len(strings)
        missing = BadCell(_("The cell refers to a shared string the file does not hold."))

        def value(kind: str, raw: str) -> Any:
            if kind == "s":
                index = int(raw) if raw.isdigit() and len(raw) < 10 else -1
                return strings[index] if 0 <= index < count else (missing if raw else None)
            if kind in ("inlineStr", "str", "d"):
                return raw
            if kind == "b":
                return raw == "1"
            if kind == "e" or raw == "":
                return None
            try:
                return float(raw)
            except ValueError:
                return raw  # not a number: the row's check says so at its column

        return value

    def _too_long(self) -> BadCell:
        return BadCell(_("The cell holds more than %(n)s characters.") % {"n": self.limits.cell_chars})

    def _plain_rows(self) -> Iterator[tuple[int, list[Any]]]:
        """The rows of a sheet in the plain form, by expression; raises ``_NotPlain`` at the first that is not.

        The XML before and after the rows goes through expat (no DTD, no
        entities, well-formed, no row outside ``sheetData``); the rows'
        characters are checked for what XML refuses.
        """
        max_columns, cell_chars = self.limits.columns, self.limits.cell_chars
        value, too_long = self._cell_value(), self._too_long()
        letters_index: dict[str, int] = {}
        attributes_seen: set[str] = {""}
        refused = tuple(f"{NS_MAIN} {t}" for t in ("row", "c"))  # a row outside sheetData

        def plain_attributes(attributes: str) -> bool:
            """A row's attributes after ``r``: no namespace declaration, no duplicate, known prefixes."""
            names = []
            for name in _ATTR_NAME.findall(attributes):
                prefix, colon, local = name.partition(":")
                if not colon:
                    if name == "r" or name.startswith("xmlns"):
                        return False
                    names.append(("", name))
                elif prefix.startswith("xmlns") or ":" in local or not local or not prefixes.get(prefix):
                    return False
                else:
                    names.append((prefixes[prefix][-1], local))
            return len(set(names)) == len(names)

        def row_values(cells: str) -> list[Any]:
            """A plain row's cells (its content) as values by column: a gap is None, a repeated column
            the last value, as the expat reader's dict by column gives them."""
            values: list[Any] = []
            append, width = values.append, 0
            # Per row, not per cell: whether any text has a reference or could be too long.
            references, long_text = "&" in cells, len(cells) > cell_chars
            for letters, kind, v, t in _CELLS.findall(cells):
                col = letters_index.get(letters)
                if col is None:
                    col = column_index(letters)
                    if col >= max_columns:
                        raise _NotPlain  # the expat reader names the column in its error
                    letters_index[letters] = col
                raw = (t or v) if kind == "inlineStr" else v
                if references:
                    if "&" in raw:
                        raw = _unescape(raw)
                    if "&" in t and kind != "inlineStr":
                        _unescape(t)  # not its value, but refused by XML all the same
                if long_text and len(raw) > cell_chars:
                    cell = too_long
                else:
                    cell = raw if kind == "inlineStr" else value(kind or "n", raw)
                if col == width:
                    append(cell)
                    width += 1
                elif col > width:
                    values.extend([None] * (col - width))
                    append(cell)
                    width = col + 1
                else:
                    values[col] = cell
            return values

        with self.zf.open(self.sheet_path) as fh:
            part = _PlainPart(fh, _SHEET_DATA, f"{NS_MAIN} sheetData", refused)
            prefixes, text, pos = part.prefixes, part.text, 0
            while True:
                m = _ROW.match(text, pos)
                if m is not None:
                    attributes, cells = m.group(2, 3)
                    if (part.suspect and _NOT_PLAIN_TEXT.search(m.group(0))) or (
                        attributes not in attributes_seen and not plain_attributes(attributes)
                    ):
                        raise _NotPlain
                    attributes_seen.add(attributes)
                    values = row_values(cells) if cells else []
                    yield int(m.group(1)), values
                    pos = m.end()
                    continue
                if text.startswith("</sheetData>", pos):
                    break
                text, pos = part.refill(text, pos, "</row>"), 0
            part.finish(text[pos:])  # what follows the rows, as the rest of the document

    def _streamed_rows(self) -> Iterator[tuple[int, list[Any]]]:
        """The expat reader: every well-formed sheet, a Python call per XML event."""
        limits = self.limits
        max_columns, cell_chars = limits.columns, limits.cell_chars
        done: list[tuple[int, list[Any]]] = []
        row: dict[int, Any] = {}
        text: list[str] = []
        # The cell being read: its column, type, text length, whether in its value; the row number.
        col, kind, length, in_v, number = -1, "n", 0, False, 0
        # Column letters already seen → index (a sheet uses the same few letters on every row).
        letters_index: dict[str, int] = {}
        tag_row, tag_c, tag_v, tag_t = (f"{NS_MAIN} {t}" for t in ("row", "c", "v", "t"))
        value, too_long = self._cell_value(), self._too_long()

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
                row[col] = too_long if length > cell_chars else value(kind, "".join(text))
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
