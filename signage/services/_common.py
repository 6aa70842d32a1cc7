"""Constants and the field checks every signage service shares."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from divisions.models import Division, Level
from organisations.choices import Role

RULES_PATH = Path(settings.BASE_DIR) / "fixtures" / "signage" / "plaque_rules.json"
# Community service centres follow the same mechanism (seed 002, end: 参照执行).
COMMUNITY_RULES_PATH = Path(settings.BASE_DIR) / "fixtures" / "signage" / "plaque_rules_communities.json"
RECTIFY_WORKING_DAYS = 10

RULE_FIELDS = (
    "placement",
    "kind",
    "order",
    "name",
    "organ",
    "required",
    "ground_colour",
    "text_colour",
    "typeface",
    "shapes",
    "size",
    "material",
    "note",
    "source",
)
PLAQUE_FIELDS = (
    "rule_name",
    "text",
    "placement",
    "kind",
    "room",
    "owner_department",
    "shape",
    "width_cm",
    "height_cm",
    "ground_colour",
    "text_colour",
    "typeface",
    "material",
    "languages",
)
MECHANISM_FIELDS = (
    "name",
    "kind",
    "set_up_by",
    "basis",
    "basis_reference",
    "provides_staff",
    "provides_funding",
)


# --- checks shared by the functions below ---------------------------------------------


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {
        f: (str(v) if isinstance(v, Decimal | date) else v)
        for f in fields
        if (v := getattr(obj, f)) is not None
    }


def _require_province_admin(user: Any, province: Division) -> None:
    if user.is_superuser:
        return
    prefix = user.jurisdiction_prefix if user.is_authenticated else ""
    if user.role != Role.PROVINCIAL_ADMIN or not prefix or not province.code.startswith(prefix):
        raise PermissionDenied(_("Only the province's own admins edit its plaque rules."))


def _own_village(user: Any, village: Division | str, action: str = "add") -> Division:
    """The village, if ``user`` may record in it; else a ValidationError that does not say whether it exists."""
    code = village if isinstance(village, str) else village.code
    found = Division.objects.restrict(user).filter(code=code, level=Level.VILLAGE).first()
    if found is None:
        raise ValidationError({"village": _("No such village in your jurisdiction.")})
    return found


def _require_role(user: Any, roles: set[str], message: str) -> None:
    if not (user.is_superuser or user.role in roles):
        raise PermissionDenied(message)


def _choice(errors: dict, field: str, value: Any, choices: Any, *, blank: bool = True) -> str:
    value = "" if value is None else str(value)
    if value == "" and blank:
        return ""
    if value not in choices.values:
        errors[field] = _("Choose one of the listed values.")
    return value


def _text(errors: dict, field: str, value: Any, max_length: int, *, required: bool = False) -> str:
    value = ("" if value is None else str(value)).strip()
    if required and not value:
        errors[field] = _("This field is required.")
    elif len(value) > max_length:
        errors[field] = _("At most %(n)s characters.") % {"n": max_length}
    return value


def _centimetres(errors: dict, field: str, value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[field] = _("Enter a size in centimetres, e.g. 35 or 60.5.")
        return None
    if not number.is_finite() or not Decimal("1") <= number <= Decimal("2000"):
        errors[field] = _("A size between 1 and 2000 cm.")
        return None
    return number.quantize(Decimal("0.1"))


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
