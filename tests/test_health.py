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


def test_enqueue_survives_a_broker_outage(db, caplog, django_capture_on_commit_callbacks):
    """A task sent after commit with Redis down is logged, never raised into the request."""
    from celery import Celery
    from django.db import transaction

    from villageburden.tasks import enqueue

    # Its own app, so no pooled connection to a live broker can mask the outage.
    down = Celery("outage", broker="redis://127.0.0.1:1/0", set_as_current=False)
    down.conf.broker_connection_timeout = 1
    down.conf.broker_transport_options = {"socket_connect_timeout": 1}

    @down.task(name="tests.noop")
    def noop():
        return "ran"

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue(noop)
    assert "broker unavailable" in caplog.text
