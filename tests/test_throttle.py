"""Public pages and downloads are throttled like the API, and a cache outage never turns into a 500."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from villageburden.cache import FallbackRedisCache

from .figures import record


@pytest.fixture
def rates(settings, monkeypatch):
    settings.PUBLIC_THROTTLE_RATES = {"page": 30, "download": 10}
    # One window for the whole test, however slow the machine (no minute rolls over mid-test).
    monkeypatch.setattr("villageburden.throttle.now", lambda: 1_800_000_010.0)
    return settings.PUBLIC_THROTTLE_RATES


def test_anonymous_downloads_in_a_row_are_throttled(client, world, gate_lists, rates):
    url = f"/catalogs/public/{world.county.code}/export/?format=csv"
    statuses = [client.get(url).status_code for _ in range(rates["download"] + 5)]
    assert statuses[: rates["download"]] == [200] * rates["download"]
    assert set(statuses[rates["download"] :]) == {429}
    refused = client.get(url)
    assert 0 < int(refused["Retry-After"]) <= 60 and "请稍候" in refused.content.decode()
    record("public downloads: 200 before 429", statuses.index(429))
    # Another address is counted apart.
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_anonymous_pages_are_throttled_and_signed_in_users_are_not(client, world, gate_lists, rates):
    url = f"/catalogs/public/{world.county.code}/"
    statuses = [client.get(url).status_code for _ in range(rates["page"] + 1)]
    assert statuses[-1] == 429 and statuses[:-1] == [200] * rates["page"]
    client.force_login(world.user("township"))
    assert client.get(url).status_code == 200


def test_a_cache_that_fails_lets_pages_through(client, world, gate_lists, rates, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", broken)
    monkeypatch.setattr(cache, "incr", broken)
    url = f"/catalogs/public/{world.county.code}/export/?format=csv"
    assert {client.get(url).status_code for _ in range(rates["download"] + 2)} == {200}


def test_redis_down_falls_back_to_local_memory():
    # Nothing listens on port 1: every Redis call fails at once.
    fallback = FallbackRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    fallback.fallback.clear()  # the local-memory store is shared by name within a process
    assert fallback.add("k", 1, timeout=60)
    assert fallback.incr("k") == 2 and fallback.get("k") == 2
    assert fallback.down_until > 0  # Redis is not retried on every call


def test_the_fallback_cache_uses_redis_when_it_is_up(settings):
    if not settings.REDIS_URL:
        pytest.skip("test_the_fallback_cache_uses_redis_when_it_is_up needs REDIS_URL (CI sets it)")
    redis_cache = FallbackRedisCache(settings.REDIS_URL, {"KEY_PREFIX": "vb-test-throttle"})
    redis_cache.set("up-k", 5, timeout=10)
    assert redis_cache.primary.get("up-k") == 5 and redis_cache.fallback.get("up-k") is None
    redis_cache.delete("up-k")
