"""Deadlines kept in working days: remind before one, escalate after it — one rule for every app.

Every deadline in the product (a review, a decision, a certificate to issue, a
plaque to correct, a report to handle) follows the same rule: on the working
day(s) before it the people who owe the work are reminded; once it has passed
the people above them are told. Each message is sent once per key (the outbox
keeps a key per user), so a sweep can run as often as it likes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING

from django.db import models

from notifications.services import notify

from .workdays import add_working_days

if TYPE_CHECKING:
    from organisations.models import User

REMIND_WORKING_DAYS_BEFORE = 1


class DeadlineState(Enum):
    NOT_YET = "not_yet"
    DUE_SOON = "due_soon"
    LATE = "late"


def deadline_state(
    due: date, today: date, *, remind_before: int = REMIND_WORKING_DAYS_BEFORE
) -> DeadlineState:
    """Where ``today`` stands against ``due``: late after it, due soon within ``remind_before`` working days."""
    if today > due:
        return DeadlineState.LATE
    if today >= add_working_days(due, -remind_before):
        return DeadlineState.DUE_SOON
    return DeadlineState.NOT_YET


def deadline_notify(
    *,
    target: models.Model | None,
    due: date,
    today: date,
    reminder_key: str,
    escalation_key: str,
    remind: Iterable[User],
    escalate: Iterable[User],
    reminder_kind: str,
    escalation_kind: str,
    reminder_subject: str,
    escalation_subject: str,
    url: str = "",
    remind_before: int = REMIND_WORKING_DAYS_BEFORE,
) -> int:
    """Remind ``remind`` before ``due``; tell ``escalate`` once it has passed. Returns messages written.

    The keys name this deadline's reminder and escalation (e.g. ``review-remind:12:3``);
    each is sent once per user.
    """
    state = deadline_state(due, today, remind_before=remind_before)
    if state is DeadlineState.LATE:
        return len(
            notify(
                escalate,
                kind=escalation_kind,
                target=target,
                subject=escalation_subject,
                key=escalation_key,
                url=url,
            )
        )
    if state is DeadlineState.DUE_SOON:
        return len(
            notify(
                remind, kind=reminder_kind, target=target, subject=reminder_subject, key=reminder_key, url=url
            )
        )
    return 0
