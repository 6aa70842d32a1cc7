"""The lists' sheet of the ledger (工作台账, seed 000 §11): the items in force, as an inspection reads them.

Discovered by ``reports.ledger`` (``autodiscover_modules("ledger_sheets")``); no import from ``reports``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from divisions.models import Division

from . import selectors
from .choices import ItemStatus
from .models import CatalogueItem


def _basis(item: CatalogueItem) -> str:
    parts = []
    for entry in item.legal_basis or []:
        if isinstance(entry, dict):
            parts.append("".join(str(entry.get(k, "")) for k in ("instrument", "article")))
        else:
            parts.append(str(entry))
    return "；".join(p for p in parts if p)


class ItemsInForce:
    key = "catalog_items"
    order = 10
    title = "清单事项"
    header = [
        "清单", "编号", "事项名称", "类别", "工作内容", "依据", "缺依据", "责任部门",
        "频次", "每村每年工时（估算）", "生效日期", "失效日期", "清单所属",
    ]  # fmt: skip
    roles = None  # published lists are public

    def rows(self, division: Division, date_from: date, date_to: date) -> Iterator[list[Any]]:
        """Active items in force on ``date_to``: the governing catalogue's and those kept below ``division``."""
        governing = selectors.catalogue_for(division)
        below = CatalogueItem.objects.in_subtree(division.prefix)
        if governing is not None:
            below = below | CatalogueItem.objects.filter(version__catalogue=governing)
        items = (
            selectors.items_as_of(below, date_to)
            .filter(status=ItemStatus.ACTIVE)
            .select_related("version__catalogue")
            .order_by("division_id", "kind", "code")
        )
        for item in items.iterator(chunk_size=2000):
            yield [
                item.get_kind_display(),
                item.code,
                item.name,
                item.category,
                item.content,
                _basis(item),
                "是" if item.basis_missing else "",
                item.responsible_department,
                item.frequency,
                item.hours_per_year,
                item.effective_from,
                item.effective_to,
                item.version.catalogue.name,
            ]


SHEETS = [ItemsInForce()]
FIGURES: list = []
