"""Password rules beyond Django's: MLPS 2.0 level 3 (GB/T 22239-2019 §8.1.4.1 a).

Level 3 asks that passwords be complex; the usual reading (and what assessors
check) is a minimum length and at least three of the four character classes:
upper-case letters, lower-case letters, digits and symbols. Django's own
validators give the length, the common-password list and "not all digits";
this one adds the classes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("upper", str.isupper),
    ("lower", str.islower),
    ("digit", str.isdigit),
)


def character_classes(password: str) -> int:
    """How many of upper-case, lower-case, digits and symbols the password uses."""
    found = {name for ch in password for name, test in CLASSES if ch.isascii() and test(ch)}
    if any(not (ch.isascii() and ch.isalnum()) for ch in password):
        found.add("symbol")
    return len(found)


class CharacterClassesValidator:
    """At least ``min_classes`` of upper-case, lower-case, digits and symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must use at least %(min)d of these four: upper-case letters, "
                    "lower-case letters, digits and symbols."
                )
                % {"min": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must use at least %(min)d of these four: upper-case letters, "
            "lower-case letters, digits and symbols."
        ) % {"min": self.min_classes}
