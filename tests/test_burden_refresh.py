"""A committed change to a county's records refreshes its summaries soon after: once per window, never blocking."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from burden import refresh
from burden.models import Summary
from burden.tasks import summaries_refresh_county_task
from signage import services

from .fixtures_signage import plaque_data


@pytest.fixture
def sent(monkeypatch, settings):
    """A broker that records what is sent to it (and the cache that debounces, emptied)."""
    from django.core.cache import cache

    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.clear()
    calls: list[dict] = []
    monkeypatch.setattr(
        summaries_refresh_county_task, "apply_async", lambda **kw: calls.append(kw), raising=False
    )
    return calls


def _plaque(world, **over):
    return services.village_plaque_record(
        user=world.user("township"), village=world.village_a1, data=plaque_data(**over)
    )


def test_a_plaque_recorded_schedules_one_refresh_of_its_county_after_commit(
    world, rules, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _plaque(world)
        assert sent == []  # nothing leaves before the commit
    assert [(c["args"], c.get("countdown")) for c in sent] == [((world.county.code,), None)]  # sent at once
    # A second change in the same window is covered by the refresh already scheduled.
    with django_capture_on_commit_callbacks(execute=True):
        _plaque(world, text="哈达图嘎查村民委员会（二）")
    assert len(sent) == 1
    # Once the refresh has started, the next change schedules the next one.
    refresh.refresh_started(world.county.code)
    with django_capture_on_commit_callbacks(execute=True):
        _plaque(world, text="哈达图嘎查村民委员会（三）")
    assert len(sent) == 2


def test_a_rolled_back_change_or_one_outside_the_account_schedules_nothing(
    world, rules, sent, django_capture_on_commit_callbacks
):
    from audit.services import record_event

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                _plaque(world)
                raise RuntimeError("stop")
    assert callbacks == [] and sent == []
    with django_capture_on_commit_callbacks(execute=True):
        record_event(world.user("approver"), "reports.plan_task_create", division=world.county.code)
        record_event(world.user("provadmin"), "catalogs.publish", division=world.province.code)
    assert sent == []  # the work plan is not burden; a province's list reaches counties at night


def test_a_broker_that_is_down_never_fails_the_change(world, rules, settings, monkeypatch):
    from django.core.cache import cache

    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.clear()

    def down(**kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(summaries_refresh_county_task, "apply_async", down, raising=False)
    plaque = _plaque(world)  # autocommit: the callback runs at once and swallows the outage
    assert plaque.pk


@pytest.mark.django_db(transaction=True)
def test_in_process_celery_refreshes_the_county_and_the_dashboard_says_when(world, rules, client):
    from django.core.cache import cache

    cache.clear()
    _plaque(world)
    today = timezone.localdate()
    row = Summary.objects.get(division=world.county, on=today, key="plaques_hung")
    assert row.count == 1
    assert Summary.objects.filter(division=world.province, on=today, key="plaques_hung").get().count == 1
    client.force_login(world.user("approver"))
    html = client.get(f"/burden/{world.county.code}/").content.decode()
    stamp = timezone.localtime(row.refreshed).strftime("%Y-%m-%d %H:%M")
    assert 'data-testid="computed-at">' in html and stamp in html
