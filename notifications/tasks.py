"""E-mail notifications after commit (the task takes ids and calls the service)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="notifications.tasks.send_notification_emails", ignore_result=True)
def send_notification_emails(ids: list[int]) -> int:
    from .services import send_emails

    return send_emails(ids)
