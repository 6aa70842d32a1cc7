"""Celery tasks of the burden account: the nightly refresh of the summary tables (registered with beat)."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from villageburden.celery import app

REFRESH_TASK = "burden.tasks.summaries_refresh_all_task"
REFRESH_COUNTY_TASK = "burden.tasks.summaries_refresh_county_task"

app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "burden-summaries": {"task": REFRESH_TASK, "schedule": crontab(hour=2, minute=30)},
}


@shared_task(name=REFRESH_TASK, ignore_result=True)
def summaries_refresh_all_task() -> int:
    from django.utils import timezone

    from .summaries import summaries_refresh_all

    return summaries_refresh_all(on=timezone.localdate())


@shared_task(name=REFRESH_COUNTY_TASK, ignore_result=True)
def summaries_refresh_county_task(county_code: str) -> int:
    """Today's figures of one county (and its province's sums): after a change to its records (burden.refresh)."""
    from django.utils import timezone

    from divisions.models import Division, Level

    from .refresh import refresh_started
    from .summaries import summaries_refresh, summaries_roll_up

    refresh_started(county_code)
    today = timezone.localdate()
    county = Division.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None:
        return 0
    return summaries_refresh(county=county, on=today) + summaries_roll_up(on=today, within=county.code[:2])
