"""Mobile numbers of survey respondents: checked, hashed under the personal-data key, never kept in clear.

The hash is the same keyed HMAC-SHA256 the certificate register uses for ID
numbers (``certificates/identity.lookup_hash``), over ``"phone:" + number`` so a
phone hash can never equal an ID-number hash. Without the key a database dump
does not let anyone test the ~10⁹ possible numbers.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from certificates.identity import lookup_hash

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def validate(value: str) -> str:
    number = re.sub(r"[\s-]", "", value or "")
    if number.startswith("+86"):
        number = number[3:]
    if not MOBILE.match(number):
        raise ValidationError(_("Give an 11-digit mobile number starting with 1."))
    return number


def phone_hash(number: str) -> str:
    return lookup_hash("phone:" + number)


def mask(number: str) -> str:
    return number[:3] + "****" + number[-4:]
