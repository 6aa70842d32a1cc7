"""Reading the burden account: the contract other apps (reports, ledgers) rely on.

``account(division, on, baseline=None)`` is computed live from the records,
through the sources every app declares (``burden.registry``): one grouped query
per source over the division's villages. Dashboards do not call it per request
at scale: they read the summary tables the nightly task keeps
(``burden.summaries``), which hold the same figures.

The returned :class:`Account` is stable; fields may be added, never renamed:

- ``division``, ``on``, ``baseline`` (date or None), ``villages`` (how many);
- ``lines``: one :class:`AccountLine` per key in the account's order, each with
  ``key``, ``label``, ``method``, ``recorded`` (False: "not recorded", the
  figures are None, never 0), ``count``, ``hours``, ``estimated`` and, with a
  baseline, ``baseline_recorded``, ``baseline_count``, ``baseline_hours`` and
  ``change`` (:class:`Change`: counts and hours, absolute and %);
- ``totals``: an :class:`AccountLine`-shaped sum of the recorded lines
  (``recorded`` True when any line is), with its own ``change``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from divisions.models import Division, Level

from . import registry


@dataclass
class Change:
    """The difference from the baseline; a % is None where the baseline is 0."""

    count: int
    hours: float
    count_pct: float | None
    hours_pct: float | None


def _pct(now: float, then: float) -> float | None:
    return round((now - then) * 100.0 / then, 1) if then else None


def change_between(count: int, hours: float, base_count: int, base_hours: float) -> Change:
    return Change(
        count=count - base_count,
        hours=round(hours - base_hours, 1),
        count_pct=_pct(count, base_count),
        hours_pct=_pct(hours, base_hours),
    )


@dataclass
class AccountLine:
    key: str
    label: Any
    method: Any = ""
    order: int = 0
    recorded: bool = False
    count: int | None = None
    hours: float | None = None
    estimated: bool = False
    baseline_recorded: bool = False
    baseline_count: int | None = None
    baseline_hours: float | None = None
    change: Change | None = None

    def set_baseline(self, recorded: bool, count: int | None, hours: float | None) -> None:
        self.baseline_recorded, self.baseline_count, self.baseline_hours = recorded, count, hours
        if self.recorded and recorded:
            self.change = change_between(self.count or 0, self.hours or 0.0, count or 0, hours or 0.0)


@dataclass
class Account:
    division: Division
    on: date
    baseline: date | None
    villages: int
    lines: list[AccountLine] = field(default_factory=list)
    totals: AccountLine | None = None

    def line(self, key: str) -> AccountLine | None:
        return next((line for line in self.lines if line.key == key), None)


def villages_of(division: Division) -> QuerySet[Division]:
    """The village-level divisions the account of ``division`` covers (itself, for a village)."""
    if division.level == Level.VILLAGE:
        return Division.objects.filter(code=division.code)
    return division.subtree().filter(level=Level.VILLAGE)


def figures(source, villages: QuerySet[Division], on: date) -> tuple[bool, int, float, bool]:
    """(recorded, count, hours, estimated) of one source over ``villages`` on ``on``."""
    if source is None:
        return False, 0, 0.0, False
    per = source.per_village(villages, on)
    if per is None:
        return False, 0, 0.0, False
    count = sum(v[0] for v in per.values())
    hours = round(sum(v[1] for v in per.values()), 1)
    return True, count, hours, any(v[2] for v in per.values())


def _totals(lines: list[AccountLine], baseline: date | None) -> AccountLine:
    now = [line for line in lines if line.recorded]
    total = AccountLine(key="total", label="", recorded=bool(now))
    if now:
        total.count = sum(line.count or 0 for line in now)
        total.hours = round(sum(line.hours or 0 for line in now), 1)
        total.estimated = any(line.estimated for line in now)
    if baseline is not None:
        # Compare like with like: only lines recorded at both dates.
        both = [line for line in lines if line.recorded and line.baseline_recorded]
        total.baseline_recorded = bool(both)
        if both:
            total.baseline_count = sum(line.baseline_count or 0 for line in both)
            total.baseline_hours = round(sum(line.baseline_hours or 0 for line in both), 1)
            count = sum(line.count or 0 for line in both)
            hours = sum(line.hours or 0 for line in both)
            total.change = change_between(count, hours, total.baseline_count, total.baseline_hours)
    return total


def account(division: Division, on: date, baseline: date | None = None) -> Account:
    """The burden account of ``division`` on ``on``, optionally against ``baseline`` (see module doc)."""
    villages = villages_of(division)
    result = Account(division=division, on=on, baseline=baseline, villages=villages.count())
    for line in registry.lines():
        recorded, count, hours, estimated = figures(line.source, villages, on)
        out = AccountLine(
            key=line.key,
            label=line.label,
            method=line.method,
            order=line.order,
            recorded=recorded,
            count=count if recorded else None,
            hours=hours if recorded else None,
            estimated=estimated,
        )
        if baseline is not None:
            b_recorded, b_count, b_hours, _ = figures(line.source, villages, baseline)
            out.set_baseline(b_recorded, b_count if b_recorded else None, b_hours if b_recorded else None)
        result.lines.append(out)
    result.totals = _totals(result.lines, baseline)
    return result


@dataclass
class Drilldown:
    """The rows behind one line at the date and at the baseline, and what changed between them."""

    key: str
    label: Any
    method: Any
    recorded: bool
    rows: list[dict]
    baseline_rows: list[dict]
    added: list[dict]
    removed: list[dict]
    truncated: bool


def _identity(row: dict) -> tuple[str, str]:
    return row.get("village", ""), row.get("what", "")


def drilldown(
    division: Division, key: str, on: date, baseline: date | None = None, limit: int = 200
) -> Drilldown:
    """Why a figure is what it is: the source's rows on ``on`` (and ``baseline``), added and removed."""
    line = next((x for x in registry.lines() if x.key == key), None)
    if line is None:
        raise KeyError(key)
    villages = villages_of(division)
    source = line.source
    recorded = source is not None and source.per_village(villages, on) is not None
    rows = source.rows(villages, on, limit=limit + 1) if recorded and source else []
    base = source.rows(villages, baseline, limit=limit + 1) if (source and baseline is not None) else []
    truncated = len(rows) > limit or len(base) > limit
    rows, base = rows[:limit], base[:limit]
    now_ids = {_identity(r) for r in rows}
    base_ids = {_identity(r) for r in base}
    return Drilldown(
        key=key,
        label=line.label,
        method=line.method,
        recorded=recorded,
        rows=rows,
        baseline_rows=base,
        added=[r for r in rows if _identity(r) not in base_ids] if baseline is not None else [],
        removed=[r for r in base if _identity(r) not in now_ids],
        truncated=truncated,
    )


def links_for(drill: Drilldown, user) -> Drilldown:
    """Blank the link of a row whose record the user may not open (its page would answer 404).

    A source names the record behind a row as ``"object": (Model, pk)``; the record opens
    for the user when ``Model.objects.restrict(user)`` holds it (one query per model).
    """
    rows = [*drill.rows, *drill.baseline_rows]
    wanted: dict[Any, set] = defaultdict(set)
    for r in rows:
        if r.get("url") and r.get("object"):
            wanted[r["object"][0]].add(r["object"][1])
    opens = {
        model: set(model.objects.restrict(user).filter(pk__in=pks).values_list("pk", flat=True))
        for model, pks in wanted.items()
    }
    for r in rows:
        if r.get("url") and r.get("object") and r["object"][1] not in opens[r["object"][0]]:
            r["url"] = ""
    return drill
