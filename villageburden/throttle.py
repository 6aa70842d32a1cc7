"""Throttling of the public pages and downloads, as the API's anonymous calls are throttled.

Anonymous callers are counted per address in fixed one-minute windows in
Django's cache (Redis when configured, falling back to local memory when it
is down: ``villageburden.cache``). Downloads (exports, ``?format=`` files)
have their own, lower limit. Over the limit the answer is a 429 with
``Retry-After``; a cache that fails altogether lets the request through
(throttling is a protection, not a reason to refuse a villager the lists).
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
# The API has its own throttles (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]);
# static files, the health check and the OAuth2 token endpoint are not pages.
EXEMPT_PREFIXES = ("/api/", "/static/", "/healthz", "/o/", "/jsi18n/")


def now() -> float:
    return time.time()


def is_download(request) -> bool:
    return request.path.rstrip("/").endswith("/export") or "format" in request.GET


class PublicThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is None or not user.is_authenticated) and not request.path.startswith(EXEMPT_PREFIXES):
            kind = "download" if is_download(request) else "page"
            limit = settings.PUBLIC_THROTTLE_RATES[kind]
            if self._over(kind, request.META.get("REMOTE_ADDR", ""), limit):
                response = HttpResponse(
                    _("Too many requests from your address. Please wait a minute and try again."),
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(WINDOW_SECONDS - int(now()) % WINDOW_SECONDS)
                return response
        return self.get_response(request)

    @staticmethod
    def _over(kind: str, address: str, limit: int) -> bool:
        key = f"throttle:{kind}:{address}:{int(now()) // WINDOW_SECONDS}"
        try:
            if cache.add(key, 1, timeout=WINDOW_SECONDS + 5):
                return limit < 1
            return cache.incr(key) > limit
        except Exception as exc:  # the cache is not there at all: let the request through
            logger.warning("throttle: cache unavailable (%s)", exc)
            return False
