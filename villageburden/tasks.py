"""Sending Celery work after commit without letting a broker outage break a request."""

import logging
from typing import Any

from celery import Task, shared_task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: Task, *args: Any, **kwargs: Any) -> None:
    """Send ``task`` once the current transaction commits.

    If the broker is unreachable the request still succeeds: the work the task
    would do is recorded in the database by the caller (an outbox row), and a
    periodic sweep, or the next successful send, picks it up. Losing Redis
    must never lose a decision or block a user.
    """

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception:  # kombu raises many kinds of connection errors
            logger.warning("broker unavailable; %s left for the sweeper", task.name, exc_info=True)

    transaction.on_commit(send)


@shared_task(name="villageburden.record_system_event")
def record_system_event(action: str, summary: str) -> int:
    """Record a system event from a worker; used to check the worker path end to end."""
    from audit.services import record_event

    return record_event(None, action, summary=summary).pk
