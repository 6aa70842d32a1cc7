"""The seal-use scope list in and out of spreadsheets (CSV, xlsx), on the shared checked import.

The export goes through the shared writer (cells neutralised); the import is
``spreadsheets.lists``: checked first (per-row Chinese errors, nothing written),
written into the draft through ``services.item_save`` once a keeper confirms.
An export re-imports unchanged.
"""

from __future__ import annotations

from typing import IO, Any

from spreadsheets import writing
from spreadsheets.lists import ListImport, ListSchema
from spreadsheets.reading import SpreadsheetError
from spreadsheets.schema import Column

from . import services
from .choices import ItemStatus, UseKind
from .models import SealImportJob, SealUseItem

__all__ = ["IMPORT", "SpreadsheetError", "write_csv", "write_xlsx"]

COLUMNS: list[tuple[str, str]] = [
    ("code", "编号"),
    ("kind", "清单"),
    ("name", "用途"),
    ("common_names", "常用说法"),
    ("reason", "理由"),
    ("conditions", "条件"),
    ("legal_basis", "依据"),
    ("basis_missing", "缺依据"),
    ("source", "来源"),
    ("status", "状态"),
]
KIND_LABELS = {UseKind.MAY: "可以使用", UseKind.MAY_NOT: "不得使用"}
STATUS_LABELS = {ItemStatus.ACTIVE: "有效", ItemStatus.CANCELLED: "已取消"}
KIND_INPUT = {v: str(k) for k, v in KIND_LABELS.items()} | {"可用": "may", "禁用": "may_not"}
STATUS_INPUT = {v: str(k) for k, v in STATUS_LABELS.items()}


class SealSchema(ListSchema):
    columns = tuple(Column(key, label, key in ("kind", "name", "source")) for key, label in COLUMNS)
    aliases = {"名称": "name", "法律依据": "legal_basis"}
    unique_key = "code"

    inputs = {"kind": KIND_INPUT, "status": STATUS_INPUT}

    def item_clean(self, data: dict[str, Any]) -> dict[str, Any]:
        return services.item_clean(data)


SCHEMA = SealSchema()

IMPORT = ListImport(
    app="seals",
    job_model=SealImportJob,
    list_field="seal_list",
    schema=SCHEMA,
    fields=services.ITEM_FIELDS,
    draft_open=lambda owner, user: services.draft_get_or_create(seal_list=owner, user=user),
    item_save=lambda version, data, user: services.item_save(version=version, data=data, user=user),
    require_keeper=services.require_keeper,
)


def item_row(item: SealUseItem) -> list[Any]:
    values = {f: getattr(item, f) for f, _label in COLUMNS}
    values["kind"] = KIND_LABELS.get(item.kind, item.kind)
    values["status"] = STATUS_LABELS.get(item.status, item.status)
    values["basis_missing"] = "是" if item.basis_missing else ""
    return [values[key] for key, _label in COLUMNS]


def write_csv(items, out: IO[str]) -> None:
    writing.write_csv(SCHEMA.header_row(), (item_row(i) for i in items), out)


def write_xlsx(items, out: IO[bytes], title: str = "社区印章使用范围清单") -> None:
    writing.write_xlsx(SCHEMA.header_row(), (item_row(i) for i in items), out, title)
