"""Keeping the summary tables: the account's figures per village, township, county and province.

``summaries_refresh(county=, on=)`` computes one county's figures for one date
through the same sources as the live account (one grouped query per source
over the county's villages) and replaces that county's rows for the date;
``summaries_roll_up(on=)`` sums the counties into prefectures and provinces.
The nightly task (``burden.tasks``) runs both for today over every county and
fills the first of each of the last twelve months where missing, so the trend
has points from the first night on.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from divisions.models import Division, Level
from divisions.scoping import LEVEL_DIGITS

from . import registry
from .models import Summary
from .selectors import villages_of

TOTAL = "_total"
OVERDUE = "tasks:overdue"
TASK_STATUSES = ("pending", "in_progress", "done")


def _gate():
    from gate import burden_sources

    return burden_sources


def _certificates():
    from certificates import burden_sources

    return burden_sources


class _Figures:
    """Accumulates (count, hours, estimated, recorded) per (division, key)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], list] = {}

    def add(
        self, code: str, key: str, count: int, hours: float = 0.0, estimated: bool = False, recorded=True
    ):
        row = self.rows.setdefault((code, key), [0, 0.0, False, recorded])
        row[0] += count
        row[1] += hours
        row[2] = row[2] or estimated  # the first add of a key decides whether it is recorded


def _township_villages(code: str):
    return Division.objects.in_subtree(code[: LEVEL_DIGITS[Level.TOWNSHIP]]).filter(level=Level.VILLAGE)


def _township_of(code: str) -> str:
    return code[: LEVEL_DIGITS[Level.TOWNSHIP]].ljust(12, "0")


@transaction.atomic
def summaries_refresh(*, county: Division, on: date) -> int:
    """Replace ``county``'s summary rows for ``on`` (and its villages' latest rows); returns rows written."""
    villages = villages_of(county)
    townships = list(county.subtree().filter(level=Level.TOWNSHIP).values_list("code", flat=True))
    figures = _Figures()
    village_totals: dict[str, list] = defaultdict(lambda: [0, 0.0, False])
    for line in registry.lines():
        source = line.source
        per = source.per_village(villages, on) if source else None
        recorded = per is not None
        figures.add(county.code, line.key, 0, recorded=recorded)
        with_figures = {_township_of(v) for v in per or {}}
        for code in townships:
            # A township with no figure may still have records (then 0) or none at all ("not recorded"),
            # as the live account of the township says.
            here = (
                recorded
                and source is not None
                and (code in with_figures or source.per_village(_township_villages(code), on) is not None)
            )
            figures.add(code, line.key, 0, recorded=here)
        for village, (count, hours, estimated) in (per or {}).items():
            for code in (county.code, _township_of(village)):
                figures.add(code, line.key, count, hours, estimated, recorded)
            total = village_totals[village]
            total[0] += count
            total[1] += hours
            total[2] = total[2] or estimated
    any_recorded = {code: False for code in [county.code, *townships]}
    for (code, _key), row in list(figures.rows.items()):
        if row[3]:
            any_recorded[code] = True
            figures.add(code, TOTAL, row[0], row[1], row[2])
    for code, recorded in any_recorded.items():
        figures.add(code, TOTAL, 0, recorded=recorded)

    gate = _gate()
    tasks = gate.task_figures(villages, on)
    for code in [county.code, *townships]:
        for status in (*TASK_STATUSES, "overdue"):
            figures.add(code, f"tasks:{status}", 0)
    for village, counts in tasks.items():
        for code in (county.code, _township_of(village)):
            for status in TASK_STATUSES:
                figures.add(code, f"tasks:{status}", counts[status])
            figures.add(code, OVERDUE, counts["overdue"])
    approvals = gate.pending_approvals(county, on)
    for label, n in approvals["age"].items():
        figures.add(county.code, f"approvals:age:{label}", n)
    for name, n in approvals["department"].items():
        figures.add(county.code, f"approvals:dept:{name}", n)
    for name, n in gate.pushers(villages, on).items():
        figures.add(county.code, f"push:{name}", n)
    for name, n in _certificates().refusals_by_institution(villages, on).items():
        figures.add(county.code, f"refusals:{name}", n)

    levels = {county.code: Level.COUNTY, **{t: Level.TOWNSHIP for t in townships}}
    objs = [
        Summary(
            division_id=code,
            level=levels.get(code, Level.TOWNSHIP),
            on=on,
            key=key[:160],
            count=row[0],
            hours=round(row[1], 1),
            estimated=row[2],
            recorded=row[3],
        )
        for (code, key), row in figures.rows.items()
        if code in levels
    ]
    # Villages keep only their latest figures: the township's ranking.
    latest = not Summary.objects.filter(division=county, on__gt=on).exists()
    if latest:
        Summary.objects.in_subtree(county.prefix).filter(level=Level.VILLAGE).delete()
        objs += [
            Summary(division_id=v, level=Level.VILLAGE, on=on, key=TOTAL, count=t[0], hours=round(t[1], 1),
                    estimated=t[2])
            for v, t in village_totals.items()
        ]  # fmt: skip
        objs += [
            Summary(division_id=v, level=Level.VILLAGE, on=on, key=OVERDUE, count=c["overdue"])
            for v, c in tasks.items()
            if c["overdue"]
        ]
    Summary.objects.filter(division_id__in=list(levels), on=on).delete()
    Summary.objects.bulk_create(objs, batch_size=2000)
    return len(objs)


@transaction.atomic
def summaries_roll_up(*, on: date, within: str = "") -> int:
    """Sum the counties' rows for ``on`` into their prefectures and provinces (one grouped query each).

    ``within``: a code prefix (a province's two digits) to sum only that part of the country.
    """
    written = 0
    for level in (Level.PREFECTURE, Level.PROVINCE):
        digits = LEVEL_DIGITS[level]
        counties = Summary.objects.in_subtree(within) if within else Summary.objects.all()
        rows = (
            counties.filter(level=Level.COUNTY, on=on)
            .annotate(parent=Substr("division_id", 1, digits))
            .values("parent", "key")
            .annotate(
                n=Sum("count"),
                h=Sum("hours"),
                est=Count("id", filter=Q(estimated=True)),
                rec=Count("id", filter=Q(recorded=True)),
            )
            .order_by()
        )
        divisions = Division.objects.in_subtree(within) if within else Division.objects.all()
        existing = set(divisions.filter(level=level).values_list("code", flat=True))
        objs = [
            Summary(
                division_id=r["parent"].ljust(12, "0"),
                level=level,
                on=on,
                key=r["key"],
                count=r["n"] or 0,
                hours=round(r["h"] or 0, 1),
                estimated=r["est"] > 0,
                recorded=r["rec"] > 0,
            )
            for r in rows
            if r["parent"].ljust(12, "0") in existing
        ]
        (Summary.objects.in_subtree(within) if within else Summary.objects.all()).filter(
            level=level, on=on
        ).delete()
        Summary.objects.bulk_create(objs, batch_size=2000)
        written += len(objs)
    return written


def trend_dates(today: date, months: int = 12) -> list[date]:
    """The first of each of the last ``months`` months, then ``today``."""
    out = []
    y, m = today.year, today.month
    for _ in range(months):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return sorted({*out, today})


def summaries_refresh_all(*, on: date, backfill_months: int = 12) -> int:
    """Every county with villages: today's figures, and the trend's monthly points where missing."""
    written = 0
    counties = Division.objects.filter(level=Level.COUNTY).order_by("code")
    dates = trend_dates(on, backfill_months)
    for county in counties.iterator():
        if not villages_of(county).exists():
            continue
        have = set(Summary.objects.filter(division=county, key=TOTAL).values_list("on", flat=True))
        for day in dates:
            if day == on or day not in have:
                written += summaries_refresh(county=county, on=day)
    for day in dates:
        written += summaries_roll_up(on=day)
    return written
