"""Personal data kept at rest: keyed hashes, encryption, and the mobile-number rules.

One place for every app that holds a person's number (the certificate register's
ID numbers, survey respondents' and monitors' phones):

- ``lookup_hash`` is an HMAC-SHA256 under a key derived from ``PERSONAL_DATA_KEY``,
  so a database dump does not let anyone test candidate numbers without the key;
- ``encrypt``/``decrypt`` use Fernet (``cryptography``) under a second key derived
  from the same setting; only the screen or document that must show a number in
  full decrypts it;
- ``phone_validate`` normalises a mainland mobile number (11 digits from 1, an
  optional +86), ``phone_hash`` hashes it apart from ID numbers (``"phone:"``
  prefix: a phone hash never equals an ID-number hash), ``mask_phone`` shows
  ``138****5678``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def _key_material() -> bytes:
    return str(settings.PERSONAL_DATA_KEY).encode()


def lookup_hash(value: str) -> str:
    key = hashlib.sha256(b"lookup:" + _key_material()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def fernet() -> Fernet:
    key = hashlib.sha256(b"encrypt:" + _key_material()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()


def phone_validate(value: str) -> str:
    number = re.sub(r"[\s-]", "", value or "")
    if number.startswith("+86"):
        number = number[3:]
    if not MOBILE.match(number):
        raise ValidationError(_("Give an 11-digit mobile number starting with 1."))
    return number


def phone_hash(number: str) -> str:
    return lookup_hash("phone:" + number)


def mask_phone(value: str) -> str:
    digits = [c for c in value if c.isdigit()]
    if len(digits) < 7:
        return "*" * len(digits)
    return "".join(digits[:3]) + "*" * (len(digits) - 7) + "".join(digits[-4:])
