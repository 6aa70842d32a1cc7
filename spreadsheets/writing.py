"""Writing spreadsheets: every text cell neutralised (``villageburden.exports.neutralise``)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from typing import IO, Any

from villageburden.exports import neutralise


def write_csv(header: list[str], rows: Iterable[Iterable[Any]], out: IO[str]) -> None:
    """A CSV (dates as YYYY-MM-DD); callers serving it to Excel prefix a BOM."""
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([v.isoformat() if isinstance(v, date) else neutralise(v) for v in row])


def write_xlsx(
    header: list[str], rows: Iterable[Iterable[Any]], out: IO[bytes], title: str = "Sheet1"
) -> None:
    """An .xlsx of one sheet, written as it streams (openpyxl's write-only mode)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append(header)
    for row in rows:
        ws.append([neutralise(v) for v in row])
    wb.save(out)
