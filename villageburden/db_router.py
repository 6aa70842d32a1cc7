"""Read replicas: public pages and dashboards read from the ``replica`` alias when one is configured.

``ReplicaReadMiddleware`` marks a GET/HEAD request whose URL name is in
``REPLICA_READ_URL_NAMES`` (a prefix match: ``public``, ``dashboard``); inside
it, ``ReplicaRouter`` sends model reads to ``settings.REPLICA_ALIAS``. Writes,
every other page, and any read inside a transaction stay on ``default``, so
a page never reads its own write from a lagging replica.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        alias = getattr(settings, "REPLICA_ALIAS", None)
        if alias and _replica_reads.get() and not connections["default"].in_atomic_block:
            return alias
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as default

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"


class ReplicaReadMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_reads_token", None)
            if token is not None:
                try:
                    _replica_reads.reset(token)
                except ValueError:  # set in another context (an async adapter): just clear it
                    _replica_reads.set(False)

    def process_view(self, request: HttpRequest, view: Callable, args: Any, kwargs: Any) -> None:
        """Mark the request (the view and its template rendering) as reading from the replica."""
        match = request.resolver_match
        name = match.url_name if match else None
        if (
            getattr(settings, "REPLICA_ALIAS", None)
            and request.method in ("GET", "HEAD")
            and name
            and name.startswith(tuple(settings.REPLICA_READ_URL_NAMES))
        ):
            request._replica_reads_token = _replica_reads.set(True)  # type: ignore[attr-defined]
