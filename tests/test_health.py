"""/healthz tells a load balancer whether the database is up; Redis being down is reported, not fatal."""

from django.test import override_settings


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_stays_200_when_the_broker_is_down(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"].startswith("down")


def test_healthz_is_503_when_the_database_is_down(client, db, monkeypatch):
    from villageburden import health

    monkeypatch.setattr(health, "check_database", lambda: "down: OperationalError")
    assert client.get("/healthz").status_code == 503


def test_enqueue_survives_a_broker_outage(db, settings, caplog, django_capture_on_commit_callbacks):
    """A task sent after commit with Redis down is logged, never raised into the request."""
    from django.db import transaction

    from villageburden.celery import app
    from villageburden.tasks import enqueue

    @app.task(name="tests.noop")
    def noop():
        return "ran"

    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        app.conf.task_always_eager = False
        app.conf.broker_url = "redis://127.0.0.1:1/0"
        try:
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
                enqueue(noop)
        finally:
            app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
            app.conf.broker_url = settings.CELERY_BROKER_URL
    assert "broker unavailable" in caplog.text
