"""What the dashboards show, read from the summary tables (never recomputed per request).

Each function costs a fixed number of indexed queries whatever the size of the
division: the dates kept, the division's rows at the latest date and the
baseline, the trend of its totals, and (township, province) the ranking of its
children.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Max

from divisions.models import Division, Level

from . import registry
from .models import Summary
from .selectors import AccountLine, change_between

TOTAL = "_total"
# The level whose rows a division's page ranks beside its own figures.
CHILD_LEVEL: dict[int, int] = {
    Level.TOWNSHIP: Level.VILLAGE,
    Level.COUNTY: Level.TOWNSHIP,
    Level.PREFECTURE: Level.COUNTY,
    Level.PROVINCE: Level.COUNTY,
}


@dataclass(frozen=True)
class Kept:
    """What the summaries hold for a division: its totals by date, and when they were computed.

    ``generation`` changes whenever any row the division's page shows is
    rewritten (a refresh replaces rows, so their ``refreshed`` moves on): its
    own rows at every date and its children's at the dates shown. A page
    cached under it can never be stale.
    """

    trend: list[tuple[date, int, float]]
    computed: datetime | None
    generation: str

    @property
    def dates(self) -> list[date]:
        return [t[0] for t in self.trend]

    def baseline_for(self, asked: date | None) -> date | None:
        """``asked`` when it is a kept date; else the earliest (None while only one date is kept)."""
        dates = self.dates
        if asked in dates:
            return asked
        return dates[0] if len(dates) > 1 else None


def kept(division: Division, asked: date | None = None) -> Kept:
    """Two indexed queries: the division's totals by date, and the latest refresh of its children shown."""
    rows = list(
        Summary.objects.filter(division=division, key=TOTAL)
        .order_by("on")
        .values_list("on", "count", "hours", "refreshed")
    )
    if not rows:
        return Kept(trend=[], computed=None, generation="none")
    trend = [(on, count, hours) for on, count, hours, _r in rows]
    own = Kept(trend=trend, computed=rows[-1][3], generation="")
    level = CHILD_LEVEL.get(division.level)
    children = None
    if level is not None:
        days = [d for d in (own.dates[-1], own.baseline_for(asked)) if d is not None]
        children = (
            Summary.objects.in_subtree(division.prefix)
            .filter(level=level, on__in=days, key=TOTAL)
            .aggregate(latest=Max("refreshed"))["latest"]
        )
    newest = max(r[3] for r in rows)
    generation = f"{len(rows)}:{newest.isoformat()}:{children.isoformat() if children else '-'}"
    return Kept(trend=trend, computed=own.computed, generation=generation)


def dates_kept(division: Division) -> list[date]:
    """The dates the summaries hold for ``division``, oldest first."""
    return sorted(Summary.objects.filter(division=division, key=TOTAL).values_list("on", flat=True))


def lines_from(
    rows: dict[str, Summary], base: dict[str, Summary] | None
) -> tuple[list[AccountLine], AccountLine]:
    """The account's lines (same shape as ``selectors.account``) from summary rows."""
    out = []
    for line in registry.lines():
        row = rows.get(line.key)
        recorded = bool(row and row.recorded)
        item = AccountLine(
            key=line.key,
            label=line.label,
            method=line.method,
            order=line.order,
            recorded=recorded,
            count=row.count if recorded and row else None,
            hours=row.hours if recorded and row else None,
            estimated=bool(row and row.estimated),
        )
        if base is not None:
            b = base.get(line.key)
            b_rec = bool(b and b.recorded)
            item.set_baseline(b_rec, b.count if b_rec and b else None, b.hours if b_rec and b else None)
        out.append(item)
    total = AccountLine(key=TOTAL, label="", recorded=any(x.recorded for x in out))
    if total.recorded:
        total.count = sum(x.count or 0 for x in out if x.recorded)
        total.hours = round(sum(x.hours or 0 for x in out if x.recorded), 1)
        total.estimated = any(x.estimated for x in out if x.recorded)
    both = [x for x in out if x.recorded and x.baseline_recorded]
    if base is not None and both:
        total.baseline_recorded = True
        total.baseline_count = sum(x.baseline_count or 0 for x in both)
        total.baseline_hours = round(sum(x.baseline_hours or 0 for x in both), 1)
        total.change = change_between(
            sum(x.count or 0 for x in both), sum(x.hours or 0 for x in both), total.baseline_count,
            total.baseline_hours,
        )  # fmt: skip
    return out, total


@dataclass
class Dashboard:
    division: Division
    on: date | None
    baseline: date | None
    dates: list[date]
    lines: list[AccountLine] = field(default_factory=list)
    total: AccountLine | None = None
    figures: dict[str, int] = field(default_factory=dict)
    trend: list[tuple[date, int, float]] = field(default_factory=list)
    children: list[dict] = field(default_factory=list)

    def prefixed(self, prefix: str) -> list[tuple[str, int]]:
        """The figures whose key starts with ``prefix``, largest first (names after the prefix)."""
        got = [(k[len(prefix) :], n) for k, n in self.figures.items() if k.startswith(prefix)]
        return sorted(got, key=lambda kv: (-kv[1], kv[0]))


def dashboard(division: Division, baseline: date | None = None, *, state: Kept | None = None) -> Dashboard:
    """The latest kept figures of ``division`` against ``baseline`` (default: the earliest date kept)."""
    state = state or kept(division, baseline)
    trend = state.trend
    dates = state.dates
    if not dates:
        return Dashboard(division=division, on=None, baseline=None, dates=[])
    on = dates[-1]
    baseline = state.baseline_for(baseline)
    wanted = [on] if baseline is None else [on, baseline]
    rows: dict[date, dict[str, Summary]] = {d: {} for d in wanted}
    for s in Summary.objects.filter(division=division, on__in=wanted):
        rows[s.on][s.key] = s
    lines, total = lines_from(rows[on], rows.get(baseline) if baseline else None)
    figures = {k: s.count for k, s in rows[on].items() if not k.startswith("_") and ":" in k}
    return Dashboard(
        division=division, on=on, baseline=baseline, dates=dates, lines=lines, total=total, figures=figures,
        trend=trend,
    )  # fmt: skip


def children(division: Division, on: date, baseline: date | None, level: int, limit: int = 500) -> list[dict]:
    """The children at ``level`` (villages of a township, counties of a province) ranked by hours."""
    keys = [TOTAL, "tasks:overdue"]
    days = [on] if baseline is None else [on, baseline]
    found: dict[str, dict] = {}
    rows = (
        Summary.objects.in_subtree(division.prefix)
        .filter(level=level, on__in=days, key__in=keys)
        .select_related("division")
    )
    for s in rows:
        row = found.setdefault(
            s.division_id,
            {"code": s.division_id, "name": s.division.name, "count": 0, "hours": 0.0, "overdue": 0,
             "baseline_count": None, "baseline_hours": None, "recorded": False},
        )  # fmt: skip
        if s.on == on and s.key == TOTAL:
            row.update(count=s.count, hours=s.hours, recorded=s.recorded)
        elif s.on == on:
            row["overdue"] = s.count
        elif s.key == TOTAL:
            row.update(baseline_count=s.count, baseline_hours=s.hours)
    out = sorted(found.values(), key=lambda r: (-r["hours"], -r["overdue"], r["code"]))[:limit]
    for r in out:
        r["change"] = (
            change_between(r["count"], r["hours"], r["baseline_count"], r["baseline_hours"])
            if r["baseline_count"] is not None
            else None
        )
    return out
