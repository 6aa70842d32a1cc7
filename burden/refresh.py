"""Keeping a county's summaries current after a change to its records, without touching every app.

Every state change in the product writes an audit event (``audit.services.record_event``)
in its own transaction. This module listens to those events (``post_save`` of
``AuditEvent``, connected in ``burden.apps``): an event of an app that declares
burden sources (``<app>/burden_sources.py``), about a county or a place inside
one, marks that county. Once the transaction commits, the county's refresh is
sent to Celery through ``villageburden.tasks.enqueue``, *debounced*: the first
change sends one refresh at once and marks the county for ``WINDOW_SECONDS``;
later changes while it waits add nothing (the refresh reads every row when it
starts); the task clears the mark when it starts, so a change made while it
runs sends the next one. No countdown: a worker holding a delayed task when the
broker drops dies restoring it (Celery), and the stack's fault test proves the
worker must survive that. A rolled-back transaction schedules nothing.

The web never waits for a refresh: with a broker the refresh runs in a worker;
with Redis down the send is logged and dropped (``enqueue``) and the nightly
refresh catches up. Without a broker at all (the embedded default runs Celery
in-process) a committed change refreshes its county at once, at most once per
``EAGER_SECONDS`` (changes inside that burst wait for the next change, the
nightly task or ``manage.py burden_refresh``).
Province-level changes (a provincial list) reach the counties at the nightly refresh.
"""

from __future__ import annotations

import logging
from functools import cache

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.db import transaction

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
EAGER_SECONDS = 10


def _mark(county_code: str) -> str:
    return f"burden:refresh-pending:{county_code}"


@cache
def burden_apps() -> frozenset[str]:
    """The apps whose records add to a village's burden (they declare sources)."""
    from . import registry

    return frozenset(type(source).__module__.split(".")[0] for source in registry.discovered().values())


def county_of(division_code: str | None) -> str | None:
    """The county a division code lies in (itself for a county); None above county level."""
    code = (division_code or "").strip()
    if len(code) != 12 or not code.isdigit() or code[4:6] == "00":
        return None
    return code[:6] + "000000"


class _Counties:
    """The counties one transaction changed: one after-commit callback per transaction."""

    def __init__(self) -> None:
        self.codes: set[str] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        for code in sorted(self.codes):
            refresh_soon(code)


def note_change(division_code: str | None, action: str) -> None:
    """Mark the county of a change for a refresh after the transaction commits (see module doc)."""
    if action.split(".", 1)[0] not in burden_apps():
        return
    county = county_of(division_code)
    if county is None:
        return
    conn = transaction.get_connection()
    if conn.in_atomic_block:
        for _sids, callback, _robust in conn.run_on_commit:
            if isinstance(callback, _Counties) and not callback.done:
                callback.codes.add(county)
                return
    pending = _Counties()
    pending.codes.add(county)
    transaction.on_commit(pending)


def refresh_soon(county_code: str) -> None:
    """Send the county's refresh unless one is already scheduled for this window."""
    from .tasks import summaries_refresh_county_task

    eager = settings.CELERY_TASK_ALWAYS_EAGER
    # In-process Celery (no broker) cannot wait: it refreshes now, at most once per county and
    # EAGER_SECONDS (a burst such as seed_demo's makes one refresh, not hundreds).
    mark, window = (f"burden:refreshed-recently:{county_code}", EAGER_SECONDS) if eager else (
        _mark(county_code), WINDOW_SECONDS)  # fmt: skip
    try:
        first = shared_cache.add(mark, 1, window)
    except Exception:  # the cache falls back to memory; never let it break the commit's callbacks
        logger.warning("burden refresh: cache unavailable", exc_info=True)
        first = True
    if not first:
        return
    from villageburden.tasks import enqueue

    enqueue(summaries_refresh_county_task, county_code)


def refresh_started(county_code: str) -> None:
    """Clear the county's mark as its refresh starts: a change from now on schedules the next one."""
    try:
        shared_cache.delete(_mark(county_code))
    except Exception:
        logger.warning("burden refresh: cache unavailable", exc_info=True)


def on_audit_event(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """``post_save`` receiver of ``audit.AuditEvent``."""
    if created and not raw:
        note_change(instance.division_id, instance.action)
