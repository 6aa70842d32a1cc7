"""Webhook URLs never reach the registry's own network: checked at registration and after DNS at send time."""

from __future__ import annotations

import socket

import pytest

from events import transport


@pytest.fixture(autouse=True)
def strict(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    settings.WEBHOOKS_REQUIRE_HTTPS = True


@pytest.mark.parametrize(
    "url",
    [
        "http://portal.example.org/hook",  # not https in production
        "ftp://portal.example.org/hook",
        "https:///hook",
        "https://user:pass@portal.example.org/hook",
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://172.16.0.9/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data/",  # cloud metadata, link-local
        "https://100.64.0.1/hook",  # carrier-grade NAT
        "https://0.0.0.0/hook",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[fc00::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://localhost/hook",
        "https://224.0.0.1/hook",
    ],
)
def test_registration_refuses(url):
    with pytest.raises(transport.Refused):
        transport.check_url(url)


def test_a_public_https_url_is_accepted():
    transport.check_url("https://portal.example.org/hooks/registry?x=1")


def _resolves_to(monkeypatch, *addresses):
    def fake(host, port, *args, **kwargs):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.5", "169.254.169.254", "::1", "fd00::2"])
def test_a_name_resolving_to_a_private_address_is_refused_at_send_time(monkeypatch, address):
    _resolves_to(monkeypatch, address)
    connects = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connects.append(a))
    with pytest.raises(transport.Refused):
        transport.post("https://hooks.portal.example/x", b"{}", {})
    assert connects == []  # refused before any connection


def test_one_private_address_among_public_ones_is_refused(monkeypatch):
    _resolves_to(monkeypatch, "93.184.216.34", "192.168.0.10")
    with pytest.raises(transport.Refused):
        transport.resolve("hooks.portal.example", 443)


def test_the_connection_goes_to_the_checked_address(monkeypatch):
    """DNS rebinding: the address checked is the address connected to, whatever DNS says next."""
    _resolves_to(monkeypatch, "93.184.216.34")
    connects = []

    def refuse(address, *args, **kwargs):
        connects.append(address)
        raise ConnectionRefusedError("test: no network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    result = transport.post("https://hooks.portal.example/x", b"{}", {})
    assert connects == [("93.184.216.34", 443)]
    assert result.status is None and "ConnectionRefusedError" in result.error


def test_a_delivery_to_a_refused_address_is_recorded_not_sent(world, monkeypatch, settings):
    from audit.services import record_event
    from events import services
    from events.models import WebhookDelivery

    endpoint, _secret = services.webhook_endpoint_create(
        user=world.user("portal"), url="https://hooks.portal.example/x"
    )
    record_event(None, "tests.thing.happen", division=world.village_a1, publish=True)
    _resolves_to(monkeypatch, "127.0.0.1")
    services.webhooks_sweep()
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    (attempt,) = delivery.attempt_log.all()
    assert attempt.status_code is None and attempt.error.startswith("refused: 127.0.0.1")
    assert delivery.status == "pending"  # retried later: DNS may be fixed
