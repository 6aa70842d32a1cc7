"""Working days, shared by every deadline (gate reviews, certificates, rectifications): weekends and public holidays off, adjusted working weekends on.

The holiday arrangement is data (``fixtures/calendar/holidays.json``), published
each year by the State Council General Office.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings

HOLIDAYS_PATH = Path(settings.BASE_DIR) / "fixtures" / "calendar" / "holidays.json"


@lru_cache(maxsize=1)
def _calendar() -> tuple[frozenset[date], frozenset[date]]:
    data = json.loads(HOLIDAYS_PATH.read_text(encoding="utf-8"))
    off = frozenset(date.fromisoformat(d) for d in data.get("off", []))
    work = frozenset(date.fromisoformat(d) for d in data.get("work", []))
    return off, work


def is_working_day(day: date) -> bool:
    off, work = _calendar()
    if day in work:
        return True
    if day in off:
        return False
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    day = start
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    lo, hi = (start, end) if sign > 0 else (end, start)
    n, day = 0, lo
    while day < hi:
        day += timedelta(days=1)
        if is_working_day(day):
            n += 1
    return sign * n
