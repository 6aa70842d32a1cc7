"""Celery tasks of the gate: e-mail after commit, and the periodic sweep.

Tasks take ids and call a service. The sweep runs every 30 minutes under Celery
beat (registered below; django_celery_beat's DatabaseScheduler copies it into
its table at start) and by hand with ``manage.py gate_reminders``.
"""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from villageburden.celery import app

SWEEP_TASK = "gate.tasks.gate_sweep_task"

app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "gate-sweep": {"task": SWEEP_TASK, "schedule": crontab(minute="*/30")},
}


@shared_task(name="gate.tasks.send_notification_emails", ignore_result=True)
def send_notification_emails(ids: list[int]) -> int:
    """Kept for messages queued before the outbox moved to ``notifications``."""
    from notifications.services import send_emails

    return send_emails(ids)


@shared_task(name=SWEEP_TASK, ignore_result=True)
def gate_sweep_task() -> dict[str, int]:
    from .services import gate_sweep

    return gate_sweep()
