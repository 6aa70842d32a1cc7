"""Personal contact details shown to those without the need: masked, never in full.

Who needs what (decided per field):
- ``phone``: the system administrator (keeps contact details) and the person
  themself; everyone else sees ``138****5678``. Never kept in the history.
- ``email``: the same; others see ``z***@example.cn``. Never kept in the history.
An organisation's e-mail is an office address, public by nature, and kept.
"""

from __future__ import annotations

from villageburden.personaldata import mask_phone

__all__ = ["mask_email", "mask_phone"]


def mask_email(value: str) -> str:
    local, at, domain = value.partition("@")
    if not at:
        return "*" * len(value)
    return f"{local[:1]}***@{domain}"
