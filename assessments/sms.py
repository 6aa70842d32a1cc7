"""Sending one-time codes by SMS: a pluggable sender chosen in settings (``ASSESSMENTS_SMS_SENDER``).

A sender is a class with ``send(phone: str, text: str) -> None``. Production
names its SMS gateway's adapter; the embedded default, :class:`ConsoleSender`,
writes the message to the server's console (standard error) with the number
masked, and keeps the last messages in memory (``OUTBOX``) for the demo and the
tests. Nothing here logs a number in clear.
"""

from __future__ import annotations

import sys
from collections import deque

from django.conf import settings
from django.utils.module_loading import import_string

from villageburden.personaldata import mask_phone

# The embedded default's outbox: (masked number, text), newest last.
OUTBOX: deque[tuple[str, str]] = deque(maxlen=50)


class ConsoleSender:
    """Development and demo: the code goes to the console and the in-memory outbox, never to a phone."""

    def send(self, phone: str, text: str) -> None:
        masked = mask_phone(phone)
        OUTBOX.append((masked, text))
        print(f"[短信] {masked}: {text}", file=sys.stderr, flush=True)


def sender():
    path = getattr(settings, "ASSESSMENTS_SMS_SENDER", "assessments.sms.ConsoleSender")
    return import_string(path)()


def last_code_for(phone: str) -> str | None:
    """The embedded outbox's last code for a number (demo and tests only)."""
    masked = mask_phone(phone)
    for number, text in reversed(OUTBOX):
        if number == masked:
            return "".join(c for c in text if c.isdigit())[:6]
    return None
