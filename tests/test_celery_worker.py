"""A task through a real Celery worker on Redis (runs where REDIS_URL is set, as in CI)."""

import os

import pytest
from django.conf import settings

pytestmark = pytest.mark.celery_worker


@pytest.mark.skipif(not settings.REDIS_URL and not os.environ.get("CI"), reason="needs REDIS_URL")
@pytest.mark.django_db(transaction=True)
def test_audit_event_written_by_a_real_worker():
    from celery.contrib.testing.worker import start_worker

    from audit.models import AuditEvent
    from villageburden.celery import app
    from villageburden.tasks import record_system_event

    assert settings.REDIS_URL, "CI must run this test against Redis"
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = record_system_event.delay("ci.worker-check", "through Redis")
            assert result.get(timeout=20) > 0
    finally:
        app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    assert AuditEvent.objects.filter(action="ci.worker-check", summary="through Redis").exists()
