"""What an app declares for its spreadsheet: the columns and the check of one row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_MAX_SERIAL = 2958466  # 9999-12-31


@dataclass(frozen=True)
class Column:
    """One column: the field key, its Chinese header, whether a file must have it."""

    key: str
    label: str
    required: bool = False


class Schema:
    """The columns of a spreadsheet and the check of one row.

    A subclass sets ``columns`` (and ``aliases``: further headers accepted for a
    key) and implements ``clean``. The header row may use the Chinese label or
    the English key, in any order.
    """

    columns: Sequence[Column] = ()
    aliases: Mapping[str, str] = {}
    #: A key whose value may appear only once in a file (e.g. a code), or None.
    unique_key: str | None = None

    def __init__(self) -> None:
        self.label = {c.key: c.label for c in self.columns}
        self.headers: dict[str, str] = (
            {c.key: c.key for c in self.columns} | {c.label: c.key for c in self.columns} | dict(self.aliases)
        )
        self.required = tuple(c.key for c in self.columns if c.required)

    def header_row(self) -> list[str]:
        return [c.label for c in self.columns]

    def clean(self, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        """Cells by key (formula quotes taken off, text stripped) → (values, errors by key).

        The values are used only when there are no errors; they must be what
        ``dump`` can write as JSON (str, numbers, bool, None, lists, dicts,
        Decimal, date).
        """
        raise NotImplementedError

    def error_column(self, key: str, labels: Mapping[str, str]) -> str:
        """The column an error on ``key`` is reported under: the header as the file spelled it."""
        return labels.get(key) or self.label.get(key, "")


# --- cell helpers: what Excel, WPS and CSV files put in a cell ---------------------


def cell_date(value: Any) -> Any:
    """A date cell as a date (Excel keeps the serial number: days since 1899-12-30); else unchanged."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return EXCEL_EPOCH + timedelta(days=int(value)) if 0 < value < EXCEL_MAX_SERIAL else str(value)
    return value


def cell_number(value: Any) -> Any:
    """A numeric cell as an exact Decimal (a float's shortest repr, so 99.5 stays 99.5); else unchanged."""
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


def cell_text(value: Any) -> str:
    """A cell read as the text the user typed: a whole number Excel kept as a number loses its ".0".

    A spreadsheet stores 12 or a 12-digit village code typed into a cell as a
    number, and the reader gives it back as 12.0; a CSV gives "12". Both read
    here as "12", so a rule that wants a whole number or a code sees the same
    text from either file (12.5 stays "12.5", for the rule to refuse).
    """
    if value is None:
        return ""
    value = cell_number(value)
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return str(int(value))
    return str(value).strip()


class BadCell(NamedTuple):
    """A cell the reader could not give a value (too long, a missing shared string): reported at its row and column."""

    message: str
