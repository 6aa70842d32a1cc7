"""The assessment items list in and out of spreadsheets (CSV, xlsx), on the shared checked import.

The export goes through the shared writer (cells neutralised); the import is
``spreadsheets.lists`` (check → preview with per-row Chinese errors → confirm →
written into the draft through ``services.item_save``). An export re-imports
unchanged. Once the list is published, a row that adds an assessment or
changes one's status is refused: that is a change proposal (动态管理, seed 001).
"""

from __future__ import annotations

from typing import IO, Any

from spreadsheets import writing
from spreadsheets.lists import ListImport, ListSchema
from spreadsheets.reading import SpreadsheetError
from spreadsheets.schema import Column, cell_number

from . import services
from .choices import AssessmentKind, Frequency, ItemStatus
from .models import AssessmentImportJob, AssessmentItem

__all__ = ["IMPORT", "SpreadsheetError", "write_csv", "write_xlsx"]

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
KIND_INPUT = {v: str(k) for k, v in KIND_LABELS.items()}
FREQUENCY_INPUT = {v: str(k) for k, v in FREQUENCY_LABELS.items()}
STATUS_INPUT = {v: str(k) for k, v in STATUS_LABELS.items()}


class AssessmentSchema(ListSchema):
    columns = tuple(
        Column(key, label, key in ("kind", "name", "owner", "frequency", "measures"))
        for key, label in COLUMNS
    )
    unique_key = "code"

    inputs = {"kind": KIND_INPUT, "frequency": FREQUENCY_INPUT, "status": STATUS_INPUT}

    def item_clean(self, data: dict[str, Any]) -> dict[str, Any]:
        return services.item_clean(data)

    def prepare(self, data: dict[str, Any]) -> dict[str, Any]:
        hours = cell_number(data.get("hours_per_occurrence"))
        data["hours_per_occurrence"] = "" if hours in ("", None) else str(hours)
        return data


SCHEMA = AssessmentSchema()

IMPORT = ListImport(
    app="assessments",
    job_model=AssessmentImportJob,
    list_field="assessment_list",
    schema=SCHEMA,
    fields=services.ITEM_FIELDS,
    draft_open=lambda owner, user: services.draft_get_or_create(assessment_list=owner, user=user),
    item_save=lambda version, data, user: services.item_save(version=version, data=data, user=user),
    require_keeper=services.require_keeper,
    dynamic_management=True,
)


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
