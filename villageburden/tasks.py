"""Sending Celery work after commit without letting a broker outage break a request."""

import logging
from typing import Any

from celery import Task
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
