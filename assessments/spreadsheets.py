"""The assessment items list out to spreadsheets (CSV, xlsx), through the shared writer (cells neutralised).

The columns are a ``spreadsheets.schema.Schema`` so the shared checked import
can read them back; the import job itself is not wired yet (README, "Assessments").
"""

from __future__ import annotations

from typing import IO, Any

from spreadsheets import writing
from spreadsheets.reading import SpreadsheetError
from spreadsheets.schema import Column, Schema

from .choices import AssessmentKind, Frequency, ItemStatus
from .models import AssessmentItem

__all__ = ["SpreadsheetError", "write_csv", "write_xlsx"]

COLUMNS: list[tuple[str, str]] = [
    ("code", "编号"),
    ("kind", "类别"),
    ("name", "考核评比项目"),
    ("common_names", "常用说法"),
    ("owner", "牵头部门"),
    ("basis", "依据"),
    ("basis_missing", "缺依据"),
    ("frequency", "频次"),
    ("measures", "考核内容"),
    ("hours_per_occurrence", "村级每次用时（小时）"),
    ("status", "状态"),
    ("source", "来源"),
]
KIND_LABELS = {
    AssessmentKind.ASSESSMENT: "考核",
    AssessmentKind.EVALUATION: "评比",
    AssessmentKind.RANKING: "排名",
    AssessmentKind.VETO: "一票否决",
}
FREQUENCY_LABELS = {
    Frequency.YEARLY: "每年一次",
    Frequency.HALF_YEARLY: "每半年一次",
    Frequency.QUARTERLY: "每季度一次",
    Frequency.MONTHLY: "每月一次",
    Frequency.ONCE: "一次性",
}
STATUS_LABELS = {ItemStatus.ACTIVE: "有效", ItemStatus.CANCELLED: "已取消"}


class AssessmentSchema(Schema):
    columns = tuple(
        Column(key, label, key in ("kind", "name", "owner", "frequency", "measures"))
        for key, label in COLUMNS
    )
    unique_key = "code"


SCHEMA = AssessmentSchema()


def item_row(item: AssessmentItem) -> list[Any]:
    values = {f: getattr(item, f) for f, _label in COLUMNS}
    values["kind"] = KIND_LABELS.get(item.kind, item.kind)
    values["frequency"] = FREQUENCY_LABELS.get(item.frequency, item.frequency)
    values["status"] = STATUS_LABELS.get(item.status, item.status)
    values["basis_missing"] = "是" if item.basis_missing else ""
    values["hours_per_occurrence"] = (
        "" if item.hours_per_occurrence is None else str(item.hours_per_occurrence)
    )
    return [values[key] for key, _label in COLUMNS]


def write_csv(items, out: IO[str]) -> None:
    writing.write_csv(SCHEMA.header_row(), (item_row(i) for i in items), out)


def write_xlsx(items, out: IO[bytes], title: str = "考核评比项目清单") -> None:
    writing.write_xlsx(SCHEMA.header_row(), (item_row(i) for i in items), out, title)
