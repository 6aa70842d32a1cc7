"""A Redis cache that falls back to this process's memory while Redis is down.

The cache holds only what can be lost (throttle counters, compiled lists):
when Redis stops, each call would otherwise raise and turn a page into a
500. Here a failed call marks Redis down for ``RETRY_SECONDS`` and answers
from a local-memory cache; after that the next call tries Redis again.
Counters kept locally meanwhile are per process — looser limits for a
minute, never an error.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 30


class FallbackRedisCache(BaseCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.primary = RedisCache(server, params)
        self.fallback = LocMemCache("villageburden-fallback", {"OPTIONS": {"MAX_ENTRIES": 10000}})
        self.down_until = 0.0

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= self.down_until:
            try:
                return getattr(self.primary, name)(*args, **kwargs)
            except Exception as exc:  # redis.ConnectionError, TimeoutError, ...
                self.down_until = time.monotonic() + RETRY_SECONDS
                logger.warning(
                    "cache: Redis unavailable (%s); using local memory for %ss", exc, RETRY_SECONDS
                )
        return getattr(self.fallback, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        self.fallback.clear()
        return self._call("clear")
