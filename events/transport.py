"""Sending one webhook request safely: SSRF checks after DNS, a short timeout, a bounded read.

The host is resolved at send time and every address it resolves to must be
public (no loopback, private, link-local, multicast, reserved or unspecified
address, IPv4 or IPv6); the connection then goes to the checked address, so a
DNS answer that changes between the check and the connect (rebinding) cannot
redirect it. Redirects are not followed. Only ``https://`` is accepted when
``WEBHOOKS_REQUIRE_HTTPS`` is on (production). ``WEBHOOKS_ALLOW_PRIVATE``
lifts the address check for closed networks and the test suite's loopback
receiver; it is off by default.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class Refused(Exception):
    """The URL may not be called (scheme, host or address)."""


@dataclass
class Result:
    status: int | None
    duration_ms: int
    excerpt: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def check_url(url: str) -> None:
    """What registration can check without resolving: scheme, host, no credentials, literal addresses."""
    parts = urlsplit(url)
    allowed = {"https"} if settings.WEBHOOKS_REQUIRE_HTTPS else {"https", "http"}
    if parts.scheme not in allowed:
        raise Refused(
            _("Only https:// URLs are accepted.")
            if settings.WEBHOOKS_REQUIRE_HTTPS
            else _("Only http:// and https:// URLs are accepted.")
        )
    if not parts.hostname:
        raise Refused(_("The URL has no host."))
    if parts.username or parts.password:
        raise Refused(_("A user name or password in the URL is not accepted."))
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        if (
            parts.hostname.lower() in ("localhost", "localhost.localdomain")
            and not settings.WEBHOOKS_ALLOW_PRIVATE
        ):
            raise Refused(_("A loopback host is not accepted.")) from None
        return
    _check_address(literal)


def _check_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    ):
        raise Refused(_("%(address)s is not a public address.") % {"address": address})


def resolve(host: str, port: int) -> str:
    """The checked address to connect to; every address the name resolves to must pass."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise Refused(_("%(host)s cannot be resolved: %(error)s") % {"host": host, "error": exc}) from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise Refused(_("%(host)s has no address.") % {"host": host})
    for address in addresses:
        _check_address(address)
    return str(addresses[0])


def post(url: str, body: bytes, headers: dict[str, str]) -> Result:
    """POST ``body``; never raises for network trouble (the error is in the result)."""
    check_url(url)
    parts = urlsplit(url)
    assert parts.hostname is not None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(parts.hostname, port)
    timeout = settings.WEBHOOKS_TIMEOUT_SECONDS
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)

    # Connect to the address we checked, keep the name for Host and TLS (SNI, certificate).
    def connect_checked(_addr: object, t: float = timeout, src: object = None) -> socket.socket:
        return socket.create_connection((address, port), t)

    conn._create_connection = connect_checked  # type: ignore[attr-defined]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    started = time.monotonic()
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read(settings.WEBHOOKS_MAX_RESPONSE_BYTES)
        status = response.status
        error = ""
    except (OSError, http.client.HTTPException) as exc:
        status, content, error = None, b"", f"{type(exc).__name__}: {exc}"[:300]
    finally:
        conn.close()
    duration = int((time.monotonic() - started) * 1000)
    return Result(status, duration, content[:500].decode("utf-8", "replace"), error)
