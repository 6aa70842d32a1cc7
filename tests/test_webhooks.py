"""Webhooks: registration, signed deliveries to a real receiver on loopback, retries, disabling, replay."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from audit.services import record_event
from events import services, signing
from events.choices import DeliveryStatus
from events.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class Receiver:
    """An HTTP server on 127.0.0.1 that records each request and answers from a script."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []  # next answers; 200 when empty
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"x" * 2000 if status >= 500 else b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/registry"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the receiver listens on loopback
    r = Receiver()
    yield r
    r.close()


def _register(api, url, **extra):
    response = api.as_user("portal").post("/api/v1/webhooks/", {"url": url, **extra}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _approve(world, make_request):
    return make_request("approved", user="portal")


def test_register_shows_the_secret_once_and_keeps_it_encrypted(api, world, receiver):
    created = _register(api, receiver.url, event_types=["gate.request.approve"])
    assert created["secret"].startswith("whsec_")
    endpoint = WebhookEndpoint.objects.get(pk=created["id"])
    assert created["secret"] not in endpoint.secret_encrypted
    assert signing.decrypt(endpoint.secret_encrypted) == created["secret"]
    shown = api.as_user("portal").get(f"/api/v1/webhooks/{endpoint.pk}/").json()
    assert "secret" not in shown and shown["event_types"] == ["gate.request.approve"]
    rotated = api.as_user("portal").post(f"/api/v1/webhooks/{endpoint.pk}/rotate-secret/").json()["secret"]
    endpoint.refresh_from_db()
    assert rotated != created["secret"] and signing.decrypt(endpoint.secret_encrypted) == rotated


def test_only_portal_clients_register_and_bad_input_is_refused(api, world, settings):
    client = api.as_user("submitter")
    assert (
        client.post("/api/v1/webhooks/", {"url": "https://hooks.example.org/x"}, format="json").status_code
        == 403
    )
    client = api.as_user("portal")
    settings.WEBHOOKS_REQUIRE_HTTPS = True
    response = client.post("/api/v1/webhooks/", {"url": "http://hooks.example.org/x"}, format="json")
    assert response.status_code == 400 and "https" in response.json()["url"][0]
    response = client.post(
        "/api/v1/webhooks/",
        {"url": "https://hooks.example.org/x", "event_types": ["Not A Type"]},
        format="json",
    )
    assert response.status_code == 400 and "event_types" in response.json()
    assert not WebhookEndpoint.objects.exists()


def test_a_decision_is_delivered_signed_to_the_receiver(api, world, make_request, receiver):
    created = _register(api, receiver.url, event_types=["gate.request.approve"])
    req = _approve(world, make_request)
    assert services.webhooks_sweep() == {"fanned_out": 1, "sent": 1}
    (got,) = receiver.requests
    headers, body = got["headers"], got["body"]
    assert signing.verify(created["secret"], headers["Webhook-Signature"], body, now=int(time.time()))
    assert not signing.verify("whsec_wrong", headers["Webhook-Signature"], body, now=int(time.time()))
    # Replay protection: the same signature is refused once it is older than the tolerance.
    assert not signing.verify(
        created["secret"], headers["Webhook-Signature"], body, now=int(time.time()) + 301
    )
    event = json.loads(body)
    assert event["type"] == headers["Webhook-Event"] == "gate.request.approve"
    assert event["object"]["url"].endswith(f"/api/v1/access-requests/{req.pk}/")
    assert event["body"]["status"] == "approved"
    delivery = WebhookDelivery.objects.get()
    assert headers["Webhook-Id"] == str(delivery.pk) and delivery.status == DeliveryStatus.SUCCEEDED
    (attempt,) = delivery.attempt_log.all()
    assert attempt.status_code == 200 and attempt.response_excerpt == "ok"
    # The portal reads the log through the API.
    log = api.as_user("portal").get(f"/api/v1/webhook-deliveries/?endpoint={created['id']}").json()["results"]
    assert log[0]["attempt_log"][0]["status_code"] == 200
    # Nothing is sent twice.
    assert services.webhooks_sweep() == {"fanned_out": 0, "sent": 0}


def test_a_500_is_retried_with_backoff(api, world, make_request, receiver):
    _register(api, receiver.url, event_types=["gate.request.approve"])
    receiver.statuses = [500]
    _approve(world, make_request)
    services.webhooks_sweep()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    # A minute after the attempt, counted from when it started (not from when this line runs).
    wait = delivery.next_attempt_at - delivery.attempt_log.get().started
    assert timedelta(minutes=1) <= wait <= timedelta(minutes=1, seconds=30)
    assert services.webhooks_sweep()["sent"] == 0  # not due yet
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert services.webhooks_sweep()["sent"] == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert [(a.status_code, len(a.response_excerpt)) for a in delivery.attempt_log.all()] == [
        (500, 500),
        (200, 2),
    ]
    assert len({r["headers"]["Webhook-Id"] for r in receiver.requests}) == 1
    assert services._backoff(2) == timedelta(minutes=3) and services._backoff(9) == timedelta(hours=8)


def test_a_worker_killed_mid_delivery_leaves_one_delivery(api, world, make_request, receiver, monkeypatch):
    _register(api, receiver.url)
    _approve(world, make_request)
    services.webhooks_fanout()
    delivery = WebhookDelivery.objects.get(event_type="gate.request.approve")
    others = WebhookDelivery.objects.exclude(pk=delivery.pk)
    others.update(status=DeliveryStatus.SUCCEEDED)  # only this one matters here

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")  # after the claim, before the answer is recorded

    monkeypatch.setattr("events.transport.post", killed)
    with pytest.raises(SystemExit):
        services.webhook_deliver(delivery_id=delivery.pk)
    monkeypatch.undo()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENDING
    # While its lease runs, nobody else sends it; the fan-out never makes a second delivery.
    assert services.webhooks_sweep() == {"fanned_out": 0, "sent": 0}
    assert services.webhook_deliver(delivery_id=delivery.pk) is None
    WebhookDelivery.objects.filter(pk=delivery.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert services.webhooks_sweep()["sent"] == 1
    assert WebhookDelivery.objects.filter(event_type="gate.request.approve").count() == 1
    assert [r["headers"]["Webhook-Event"] for r in receiver.requests] == ["gate.request.approve"]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2


def test_an_endpoint_failing_for_a_day_is_disabled_and_its_owner_told(
    api, world, make_request, receiver, django_capture_on_commit_callbacks
):
    created = _register(
        api, receiver.url, event_types=["gate.request.approve"], contact_email="ops@portal.example"
    )
    receiver.statuses = [503, 503]
    _approve(world, make_request)
    services.webhooks_sweep()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        first_attempt_at=timezone.now() - timedelta(hours=23, minutes=59), next_attempt_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.webhooks_sweep()
    delivery.refresh_from_db()
    endpoint = WebhookEndpoint.objects.get(pk=created["id"])
    assert delivery.status == DeliveryStatus.FAILED and not endpoint.active
    assert "503" in endpoint.disabled_reason
    assert mail.outbox[-1].to == ["ops@portal.example"] and receiver.url in mail.outbox[-1].body
    # Disabled: later events wait; re-enabling sends them, and a failed one can be replayed.
    record_event(None, "gate.request.approve", division=world.county, publish=True, body={"n": 1})
    assert services.webhooks_sweep() == {"fanned_out": 0, "sent": 0}
    client = api.as_user("portal")
    assert (
        client.patch(f"/api/v1/webhooks/{endpoint.pk}/", {"active": True}, format="json").status_code == 200
    )
    assert services.webhooks_sweep() == {"fanned_out": 1, "sent": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/webhook-deliveries/{delivery.pk}/replay/").status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 3
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 3


def test_an_endpoint_gets_only_what_its_owner_may_see(api, world, make_request, receiver):
    _register(api, receiver.url)
    make_request("approved")  # the emergency bureau's request: not the portal's
    record_event(None, "tests.thing.happen", division=world.village_c1, publish=True)  # next county
    record_event(None, "tests.thing.happen", division=world.village_a1, publish=True)
    services.webhooks_sweep()
    assert [json.loads(r["body"])["type"] for r in receiver.requests] == ["tests.thing.happen"]


def test_new_endpoints_start_after_the_events_already_committed(api, world, receiver):
    record_event(None, "tests.thing.happen", division=world.village_a1, publish=True, body={"n": 1})
    _register(api, receiver.url)
    _register(api, receiver.url + "/all", from_now=False)
    record_event(None, "tests.thing.happen", division=world.village_a1, publish=True, body={"n": 2})
    services.webhooks_sweep()
    got = sorted((r["headers"]["Host"] and json.loads(r["body"])["body"]["n"]) for r in receiver.requests)
    assert got == [1, 2, 2]


def test_the_decision_succeeds_when_the_broker_is_down(
    api, world, make_request, receiver, django_capture_on_commit_callbacks
):
    from villageburden.celery import app

    _register(api, receiver.url, event_types=["gate.request.approve"])
    old = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        with django_capture_on_commit_callbacks(execute=True):
            req = _approve(world, make_request)
    finally:
        app.conf.task_always_eager, app.conf.broker_url = old
    assert req.status == "approved" and receiver.requests == []
    assert services.webhooks_sweep() == {"fanned_out": 1, "sent": 1}  # the sweep catches up


def test_in_process_mode_delivers_after_commit(
    api, world, make_request, receiver, django_capture_on_commit_callbacks
):
    _register(api, receiver.url, event_types=["gate.request.approve"])
    with django_capture_on_commit_callbacks(execute=True):
        _approve(world, make_request)
    assert [r["headers"]["Webhook-Event"] for r in receiver.requests] == ["gate.request.approve"]


def test_tokens_need_the_webhooks_scope_to_register(client, world):
    from .test_portal_clients import create_client, token

    client_id, secret = create_client(world.orgs["portal"].code, "read", "webhooks")
    read_only = token(client, client_id, secret, "read").json()["access_token"]
    full = token(client, client_id, secret, "read webhooks").json()["access_token"]
    body = {"url": "https://hooks.portal.example/x"}
    assert client.get("/api/v1/events/", HTTP_AUTHORIZATION=f"Bearer {read_only}").status_code == 200
    response = client.post(
        "/api/v1/webhooks/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {read_only}"
    )
    assert response.status_code == 403
    response = client.post(
        "/api/v1/webhooks/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {full}"
    )
    assert response.status_code == 201 and response.json()["secret"].startswith("whsec_")
