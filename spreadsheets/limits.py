"""The limits a spreadsheet import enforces (settings ``SPREADSHEET_*``, documented in README).

They bound what one import can cost whatever the file: the upload's size,
the rows and columns read, one cell's length, and the uncompressed size of
the XML parts of an .xlsx (the shared-strings table is held in memory, so
its cap bounds the memory; the sheet is streamed, so its cap bounds the time).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    rows: int
    columns: int
    cell_chars: int
    strings_bytes: int
    sheet_bytes: int
    # workbook.xml and its relationships: a few KB in any real file.
    part_bytes: int = 4 * MB

    @property
    def upload_mb(self) -> int:
        return self.upload_bytes // MB

    @property
    def strings_mb(self) -> int:
        return self.strings_bytes // MB

    @property
    def sheet_mb(self) -> int:
        return self.sheet_bytes // MB


def current() -> Limits:
    """The limits as configured now (read per import, so tests and deployments can change them)."""
    return Limits(
        upload_bytes=getattr(settings, "SPREADSHEET_MAX_UPLOAD_MB", 50) * MB,
        rows=getattr(settings, "SPREADSHEET_MAX_ROWS", 200_000),
        columns=getattr(settings, "SPREADSHEET_MAX_COLUMNS", 100),
        cell_chars=getattr(settings, "SPREADSHEET_MAX_CELL_CHARS", 32_767),
        strings_bytes=getattr(settings, "SPREADSHEET_MAX_STRINGS_MB", 64) * MB,
        sheet_bytes=getattr(settings, "SPREADSHEET_MAX_SHEET_MB", 512) * MB,
    )
