"""The one set of rules for an item's own fields.

The browser form, the REST serializer, the spreadsheet import and the change
proposals all call ``item_clean``; rules that need the catalogue around the
item (code unique in the version, "not applicable" only for inherited items,
no adding to a published list without a proposal) live in ``services``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from .choices import KIND_CODE_PREFIX, ItemKind, ItemStatus

# The fields of an item a person (or a file) may set. Everything else
# (version, division, inheritance) is decided by the services.
ITEM_FIELDS = (
    "code",
    "kind",
    "name",
    "category",
    "content",
    "legal_basis",
    "responsible_department",
    "department_provides",
    "scope",
    "process",
    "materials",
    "frequency",
    "hours_per_year",
    "negative_matter",
    "keywords",
    "status",
    "status_reason",
    "effective_from",
    "effective_to",
    "source",
)
# Compared to tell whether an item changed (a re-import of an unchanged export changes nothing).
COMPARED_FIELDS = (*ITEM_FIELDS, "basis_missing")
PROVIDES_KEYS = ("funding", "staff", "equipment")
MAX_LENGTHS = {
    "code": 20,
    "name": 200,
    "category": 60,
    "responsible_department": 120,
    "frequency": 60,
    "negative_matter": 200,
    "source": 300,
}
TEXT_FIELDS = ("name", "category", "content", "responsible_department", "scope", "process", "materials")
TEXT_FIELDS += ("frequency", "negative_matter", "status_reason", "source")
CODE_RE = re.compile(r"^[A-Z]{2}-[0-9A-Z]{1,8}(?:-[0-9A-Z]{1,8})?$")
KEYWORD_SPLIT = re.compile(r"[\s,，、;；/]+")
MAX_HOURS = Decimal("99999.9")
# The choices as sets, once (``Choices.values`` builds a new list at every call: three per imported row).
KINDS = frozenset(ItemKind.values)
STATUSES = frozenset(ItemStatus.values)
PROVIDES = frozenset(PROVIDES_KEYS)
CODE_START = {kind: f"{prefix}-" for kind, prefix in KIND_CODE_PREFIX.items()}
TENTH = Decimal("0.1")
ZERO_HOURS = Decimal("0")


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _date(value: Any) -> tuple[date | None, bool]:
    if value in (None, ""):
        return None, True
    if isinstance(value, date):
        return (value.date() if hasattr(value, "date") and callable(value.date) else value), True
    try:
        parsed = parse_date(str(value).strip()[:10])
    except ValueError:
        parsed = None
    return parsed, parsed is not None


def normalise_keywords(value: Any) -> str:
    seen: list[str] = []
    for word in KEYWORD_SPLIT.split(_text(value)):
        if word and word not in seen:
            seen.append(word)
    return " ".join(seen)


def item_clean(
    data: dict[str, Any], *, require_code: bool = True
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Check and normalise an item's fields. Returns (values, errors by field)."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    get = data.get  # every imported row passes here: its lookups are kept few and local

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field in TEXT_FIELDS:
        value = get(field)
        out[field] = value.strip() if value.__class__ is str else _text(value)
    out["code"] = code = _text(get("code")).upper()
    out["kind"] = kind = _text(get("kind"))
    out["keywords"] = normalise_keywords(get("keywords"))
    out["status"] = status = _text(get("status")) or ItemStatus.ACTIVE

    for field, limit in MAX_LENGTHS.items():
        if len(out[field]) > limit:
            err(field, _("At most %(n)d characters.") % {"n": limit})

    if kind not in KINDS:
        err("kind", _("Choose autonomy, assist or negative."))
    if not out["name"]:
        err("name", _("An item needs a name."))

    if code:
        if not CODE_RE.match(code):
            err("code", _("A code looks like ZZ-01, XZ-12 or FM-03."))
        elif kind in KINDS and not code.startswith(CODE_START[kind]):
            err(
                "code",
                _("Items of this list are coded %(prefix)s-… (分类赋码).")
                % {"prefix": KIND_CODE_PREFIX[kind]},
            )
    elif require_code:
        err("code", _("An item needs a code."))

    if status not in STATUSES:
        err("status", _("Unknown status."))
    elif status != ItemStatus.ACTIVE and not out["status_reason"]:
        err("status_reason", _("Give the reason for cancelling it or marking it not applicable."))

    # Negative list: the matter for which the village may not be the
    # responsible subject (责任主体), seed 000 §2, seed 003 §2(1)1.
    if kind == ItemKind.NEGATIVE and not out["negative_matter"]:
        err(
            "negative_matter",
            _("A negative item states the matter the village may not be made responsible for."),
        )
    # Assist list: 费随事转 — the department that hands the work down pays for it (seed 001).
    if kind == ItemKind.ASSIST and not out["responsible_department"]:
        err("responsible_department", _("An assist item names the department responsible for it."))

    basis = get("legal_basis") or []
    cleaned_basis = []
    if not isinstance(basis, list):
        err("legal_basis", _("The legal basis is a list of instruments and articles."))
    else:
        for entry in basis:
            if isinstance(entry, str):
                entry = {"instrument": entry, "article": ""}
            instrument = _text(entry.get("instrument")) if isinstance(entry, dict) else ""
            if not instrument:
                err("legal_basis", _("Each legal basis names its instrument."))
                continue
            cleaned_basis.append(
                {"instrument": instrument.strip("《》"), "article": _text(entry.get("article"))}
            )
    out["legal_basis"] = cleaned_basis
    # "Invent no legal basis": an item without one is flagged for the keepers to supply it.
    out["basis_missing"] = not cleaned_basis

    provides = get("department_provides") or {}
    if not isinstance(provides, dict) or not provides.keys() <= PROVIDES:
        err("department_provides", _("What the department provides: funding, staff, equipment."))
        provides = {}
    kept: dict[str, str] = {}
    for key in PROVIDES_KEYS:
        given = provides.get(key)
        cleaned = given.strip() if given.__class__ is str else _text(given)
        if cleaned:
            kept[key] = cleaned
    out["department_provides"] = kept

    hours = get("hours_per_year")
    if hours is None or hours == "":
        out["hours_per_year"] = ZERO_HOURS
    else:
        try:
            text = str(hours).strip()
            value = Decimal(text) if len(text) <= 40 else Decimal("NaN")
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            err("hours_per_year", _("Hours must be a number."))
            value = ZERO_HOURS
        if value < 0 or value > MAX_HOURS:
            # Checked before rounding: 1e400 cannot be rounded to tenths (decimal.InvalidOperation).
            err("hours_per_year", _("Hours must be between 0 and 99999.9."))
            value = ZERO_HOURS
        out["hours_per_year"] = value.quantize(TENTH)

    for field in ("effective_from", "effective_to"):
        out[field], ok = _date(get(field))
        if not ok:
            err(field, _("Enter a date as YYYY-MM-DD."))
    if out["effective_from"] and out["effective_to"] and out["effective_to"] < out["effective_from"]:
        err("effective_to", _("The expiry date is before the effective date."))
    return out, errors


def fingerprint(values: dict[str, Any]) -> tuple:
    """A comparable form of an item's fields (Decimals and dates normalised)."""
    parts = []
    for field in COMPARED_FIELDS:
        v = values.get(field)
        if field == "hours_per_year":
            v = str(Decimal(str(v or 0)).quantize(Decimal("0.1")))
        elif field in ("effective_from", "effective_to"):
            v = v.isoformat() if hasattr(v, "isoformat") else (v or None)
        elif field == "legal_basis":
            v = tuple((b.get("instrument", ""), b.get("article", "")) for b in (v or []))
        elif field == "department_provides":
            v = tuple(sorted((k, x) for k, x in (v or {}).items() if x))
        elif v is None:
            v = ""
        parts.append(v)
    return tuple(parts)


BASIS_SPLIT = re.compile(r"[\n;；]+")
BASIS_RE = re.compile(r"^《(?P<instrument>[^》]+)》\s*(?P<article>.*)$")


def parse_basis_text(text: Any) -> list[dict[str, str]]:
    """'《中华人民共和国村民委员会组织法》第二条；《…》' → [{"instrument", "article"}, …]."""
    out = []
    for part in BASIS_SPLIT.split(_text(text)):
        part = part.strip()
        if not part:
            continue
        m = BASIS_RE.match(part)
        if m:
            out.append({"instrument": m["instrument"].strip(), "article": m["article"].strip()})
        else:
            out.append({"instrument": part, "article": ""})
    return out


def format_basis(basis: list[dict[str, str]] | None) -> str:
    return "\n".join(f"《{b['instrument']}》{b.get('article', '')}" for b in basis or [])
