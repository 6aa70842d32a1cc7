"""Celery tasks of the webhooks: fan-out after commit, one delivery, the sweep, the owner's e-mail.

Tasks take ids and call a service. The sweep runs every minute under Celery
beat (registered below) and by hand with ``manage.py webhooks_sweep``; it is
what sends retries when the broker lost a message or was down.
"""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from villageburden.celery import app

SWEEP_TASK = "events.tasks.webhooks_sweep_task"

app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "webhooks-sweep": {"task": SWEEP_TASK, "schedule": crontab(minute="*")},
}


@shared_task(name="events.tasks.fanout", ignore_result=True)
def fanout() -> int:
    from .services import webhooks_fanout

    return webhooks_fanout()


def fanout_soon() -> None:
    """Send the fan-out task (after the current transaction, if any); a broker outage is logged, not raised."""
    from villageburden.tasks import enqueue

    enqueue(fanout)


@shared_task(name="events.tasks.deliver", ignore_result=True)
def deliver(delivery_id: int) -> None:
    from .services import webhook_deliver

    webhook_deliver(delivery_id=delivery_id)


@shared_task(name=SWEEP_TASK, ignore_result=True)
def webhooks_sweep_task() -> dict[str, int]:
    from .services import webhooks_sweep

    return webhooks_sweep()


@shared_task(name="events.tasks.mail_disabled", ignore_result=True)
def mail_disabled(endpoint_id: int, recipients: list[str]) -> None:
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils.translation import gettext as _

    from .models import WebhookEndpoint

    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        return
    send_mail(
        _("Webhook endpoint disabled"),
        _(
            'The registry stopped sending events to %(url)s: %(reason)s Re-enable it with PATCH /api/v1/webhooks/%(id)s/ {"active": true}; the events since are kept and will be sent.'
        )
        % {"url": endpoint.url, "reason": endpoint.disabled_reason, "id": endpoint.pk},
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )
