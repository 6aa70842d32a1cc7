"""Resident ID numbers (居民身份证号码): checked by GB 11643-1999, never stored or shown in clear.

- ``validate`` checks the 18 characters: 17 digits, a valid birth date, and the
  check character (ISO 7064 MOD 11-2, weights 2^(17-i) mod 11, '10' written X).
- ``lookup_hash``, ``encrypt`` and ``decrypt`` are the registry's personal-data
  keys (``villageburden/personaldata.py``); only the certificate that must carry
  the number decrypts it.
- ``mask`` keeps the first 6 (the issuing region) and the last 4 characters.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from villageburden.personaldata import decrypt, encrypt, fernet, lookup_hash

__all__ = ["check_char", "decrypt", "encrypt", "fernet", "lookup_hash", "mask", "validate"]

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def validate(value: str) -> str:
    """The normalised number (upper-case X), or a ValidationError in the user's language."""
    number = (value or "").strip().replace(" ", "").upper()
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("A resident ID number has 18 characters: 17 digits and a digit or X."))
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date in this ID number does not exist.")) from None
    if born > date.today() or born.year < 1890:
        raise ValidationError(_("The birth date in this ID number does not exist."))
    if check_char(number[:17]) != number[17]:
        raise ValidationError(_("The check digit of this ID number is wrong; please check the number again."))
    return number


def mask(number: str) -> str:
    return number[:6] + "*" * 8 + number[-4:]
