"""The ledger (工作台账) of a township, county or province: one Excel workbook, one sheet per record kind.

Seed 000 §11 asks every level to keep a working ledger (分级建立工作台账); an
inspection from above reads it. Each app contributes its sheets, and the figures
of the periodic reports, in a module ``<app>/ledger_sheets.py`` (found with
``autodiscover_modules("ledger_sheets")``, like BURDEN.md's sources) with no
import from this app::

    class Approvals:
        key = "gate_approvals"           # unique across the product
        order = 20                       # position of the sheet in the workbook
        title = "准入审批"                # the sheet's name (Excel: at most 31 characters)
        header = ["申请编号", ...]         # the columns an inspection asks for
        roles = None                     # or the set of roles that may read it (the certificate register)
        def rows(self, division, date_from, date_to) -> Iterable[list]: ...

    class Approved:                      # a figure of the weekly report and monthly summary
        key = "gate_approved"; label = "批准准入"; order = 20
        def count(self, division, date_from, date_to) -> int: ...

    SHEETS = [Approvals()]
    FIGURES = [Approved()]

``rows`` returns only records in ``division``'s subtree (a code range); the view
gives it only a division the user may see (``Division.objects.restrict``), so the
ledger is scoped like every page. The workbook is written as it streams
(openpyxl's write-only mode, every text cell neutralised against formulas).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from datetime import date
from typing import IO, Any, Protocol

from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules, module_has_submodule
from django.utils.translation import override

from divisions.models import Division
from organisations.choices import Role
from villageburden.exports import neutralise

# A ledger of more rows than this is built by a worker, not during the request (~1,300 rows/s: a few seconds).
SYNC_ROWS = 5000
PROGRESS_ROWS = 1000

# Who downloads a ledger: the township, the county's working team, its auditor, the province.
LEDGER_ROLES = {
    Role.TOWNSHIP_STAFF,
    Role.COUNTY_APPROVER,
    Role.COUNTY_REVIEWER,
    Role.CATALOGUE_KEEPER,
    Role.AUDITOR,
    Role.PROVINCIAL_ADMIN,
}


class LedgerSheet(Protocol):
    key: str
    order: int
    title: str
    header: list[str]
    roles: Any

    def rows(self, division: Division, date_from: date, date_to: date) -> Iterable[list[Any]]: ...


class ReportFigure(Protocol):
    key: str
    label: str
    order: int

    def count(self, division: Division, date_from: date, date_to: date) -> int: ...


def _modules() -> list[Any]:
    autodiscover_modules("ledger_sheets")
    return [
        importlib.import_module(f"{config.name}.ledger_sheets")
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "ledger_sheets")
    ]


def all_sheets() -> list[LedgerSheet]:
    return sorted((s for m in _modules() for s in getattr(m, "SHEETS", [])), key=lambda s: s.order)


def all_figures() -> list[ReportFigure]:
    return sorted((f for m in _modules() for f in getattr(m, "FIGURES", [])), key=lambda f: f.order)


def may_download(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in LEDGER_ROLES))


def sheets_for(user) -> list[LedgerSheet]:
    """The sheets this user may read (a sheet with ``roles`` is only for them)."""
    if not may_download(user):
        return []
    return [s for s in all_sheets() if s.roles is None or user.is_superuser or user.role in s.roles]


class TooLarge(Exception):
    """The ledger has more rows than may be written during a request (``limit``)."""


def _abandon(wb) -> None:
    """Close a write-only workbook's sheets without saving it (their writers hold temporary files)."""
    for ws in wb.worksheets:
        try:
            ws.close()
        except Exception:  # nothing to keep of an abandoned workbook
            pass


def write_ledger(
    *,
    division: Division,
    date_from: date,
    date_to: date,
    sheets: list[LedgerSheet],
    out: IO[bytes],
    limit: int | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> dict[str, int]:
    """Write the workbook to ``out``; returns the rows written per sheet key.

    ``limit``: stop with :class:`TooLarge` once more rows than that have been
    written (the page then hands the ledger to a worker). ``progress(sheets_done,
    rows)`` is called after each sheet and every ``PROGRESS_ROWS`` rows.
    """
    from openpyxl import Workbook  # type: ignore[import-untyped]

    counts: dict[str, int] = {}
    total = 0
    wb = Workbook(write_only=True)
    with override("zh-hans"):  # the ledger is read in Chinese, whatever the page's language
        cover = wb.create_sheet(title="封面")
        cover.append(["工作台账"])
        cover.append(["行政区划", f"{division.name}（{division.code}）"])
        cover.append(["期间", f"{date_from.isoformat()} 至 {date_to.isoformat()}"])
        cover.append(["生成时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")])
        cover.append(
            ["依据", "《关于规范村级组织工作事务、机制牌子和证明事项的实施意见》（十一）分级建立工作台账"]
        )
        for done, sheet in enumerate(sheets):
            ws = wb.create_sheet(title=sheet.title[:31])
            ws.append(sheet.header)
            n = 0
            for row in sheet.rows(division, date_from, date_to):
                ws.append([neutralise(v) for v in row])
                n += 1
                total += 1
                if limit is not None and total > limit:
                    _abandon(wb)
                    raise TooLarge
                if progress is not None and total % PROGRESS_ROWS == 0:
                    progress(done, total)
            counts[sheet.key] = n
            if progress is not None:
                progress(done + 1, total)
    wb.save(out)
    return counts
