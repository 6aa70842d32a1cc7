"""The business rules of plaques and working mechanisms: the only way to change them.

Each function is one transaction: it locks what it changes (``select_for_update``),
checks the caller's role and jurisdiction inside the transaction, checks the
state, and writes the change with its audit event. Pages, the API, the admin
and the demo all come here.

- Rules are versioned per province (``RuleSet``): provincial admins open a
  draft (a copy of the latest published version), edit it and publish it with
  a date it takes effect, never earlier than today nor than the version in
  force; published versions are frozen. A check uses the version in force on
  its date.
- Township staff record their villages' plaques (with a photo); after every
  change the village is checked and each violation becomes a rectification
  item due ``RECTIFY_WORKING_DAYS`` working days later (no seed fixes a time
  limit: seed 002 §3(8) asks only for "督促整改"; the number is the county's to
  set here). The daily sweep re-checks villages when new rules take effect
  and escalates overdue items.
- Working mechanisms (seed 000 §6, seed 002 §3(6)): a new one needs the
  province's approval unless central policy or a law requires it, and then the
  department that wants it names who provides the people and the money.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from organisations.choices import Role
from villageburden.uploads import photo_clean
from villageburden.workdays import add_working_days

from . import selectors
from .choices import (
    AppliesTo,
    Cleanup,
    Colour,
    Language,
    MechanismBasis,
    MechanismKind,
    MechanismStatus,
    Placement,
    PlaqueStatus,
    RectificationStatus,
    Resolution,
    RuleSetStatus,
    Shape,
    SignKind,
    Typeface,
    ViolationKind,
)
from .compliance import check_plaques
from .models import FloorAreaStandard, PlaqueRule, Rectification, RuleSet, VillagePlaque, WorkingMechanism

RULES_PATH = Path(settings.BASE_DIR) / "fixtures" / "signage" / "plaque_rules.json"
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


# --- rules: loading, drafts, edits, publication ---------------------------------------


def rule_clean(data: dict[str, Any]) -> dict[str, Any]:
    """Validate a rule's fields (pages, API and the fixture loader use the same checks)."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {
        "placement": _choice(errors, "placement", data.get("placement"), Placement, blank=False),
        "kind": _choice(errors, "kind", data.get("kind") or SignKind.PLAQUE, SignKind, blank=False),
        "name": _text(errors, "name", data.get("name"), 100, required=True),
        "organ": _text(errors, "organ", data.get("organ"), 60),
        "required": bool(data.get("required")),
        "ground_colour": _choice(errors, "ground_colour", data.get("ground_colour"), Colour),
        "text_colour": _choice(errors, "text_colour", data.get("text_colour"), Colour),
        "typeface": _choice(errors, "typeface", data.get("typeface"), Typeface),
        "size": _text(errors, "size", data.get("size"), 120),
        "material": _text(errors, "material", data.get("material"), 60),
        "note": _text(errors, "note", data.get("note"), 2000),
        "source": _text(errors, "source", data.get("source"), 200, required=True),
    }
    try:
        out["order"] = int(data.get("order") or 0)
        if not 0 <= out["order"] <= 999:
            raise ValueError
    except (TypeError, ValueError):
        errors["order"] = _("A whole number from 0 to 999.")
    shapes = data.get("shapes") or []
    if isinstance(shapes, str):
        try:
            shapes = json.loads(shapes) if shapes.strip() else []
        except ValueError:
            shapes = None
    out["shapes"] = _shapes_clean(errors, shapes)
    _raise(errors)
    return out


def _shapes_clean(errors: dict, shapes: Any) -> list[dict]:
    bad = _('A list like [{"shape": "strip", "width": [30, 40], "height": [180, 250]}] (cm).')
    if not isinstance(shapes, list):
        errors["shapes"] = bad
        return []
    clean = []
    for s in shapes:
        if not isinstance(s, dict) or s.get("shape") not in Shape.values:
            errors["shapes"] = bad
            return []
        item: dict[str, Any] = {"shape": s["shape"]}
        for dim in ("width", "height"):
            bounds = s.get(dim)
            if bounds is None:
                continue
            ok = (
                isinstance(bounds, list)
                and len(bounds) == 2
                and all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
                and 0 < bounds[0] <= bounds[1] <= 2000
            )
            if not ok:
                errors["shapes"] = bad
                return []
            item[dim] = [bounds[0], bounds[1]]
        clean.append(item)
    return clean


def _next_number(province: Division) -> int:
    last = RuleSet.objects.filter(division=province).order_by("-number").first()
    return (last.number if last else 0) + 1


@transaction.atomic
def plaque_rules_load(*, path: Path = RULES_PATH) -> tuple[int, int]:
    """Load the fixture's rule sets for provinces present in the database. Returns (rule sets, rules) created.

    A rule set already published with the same effective date is left as it is
    (published versions are frozen): re-running changes nothing.
    """
    data = json.loads(path.read_text(encoding="utf-8"))["rulesets"]
    created_sets = created_rules = 0
    for spec in data:
        province = Division.objects.filter(code=spec["province"], level=Level.PROVINCE).first()
        if province is None:
            continue
        Division.objects.select_for_update().filter(
            pk=province.pk
        ).first()  # one loader per province at a time
        effective = date.fromisoformat(spec["effective_from"])
        if RuleSet.objects.filter(
            division=province, status=RuleSetStatus.PUBLISHED, effective_from=effective
        ).exists():
            continue
        rs = RuleSet.objects.create(
            division=province,
            number=_next_number(province),
            status=RuleSetStatus.PUBLISHED,
            effective_from=effective,
            published_at=timezone.now(),
            title=spec["title"],
            note=spec.get("note", ""),
            languages=spec["languages"],
            language_source=spec["language_source"],
            others_allowed=spec["others_allowed"],
            others_source=spec["others_source"],
            one_room_one_plaque=spec["one_room_one_plaque"],
            one_room_source=spec["one_room_source"],
        )
        for r in spec["rules"]:
            clean = rule_clean({**r, "ground_colour": r["ground"], "text_colour": r["text"]})
            PlaqueRule.objects.create(ruleset=rs, division=province, **clean)
            created_rules += 1
        for s in spec["floor_standards"]:
            FloorAreaStandard.objects.create(
                ruleset=rs,
                division=province,
                applies_to=AppliesTo(s["applies_to"]),
                minimum_m2=Decimal(str(s["minimum_m2"])),
                per_100_households_m2=(
                    None if s["per_100_households_m2"] is None else Decimal(str(s["per_100_households_m2"]))
                ),
                source=s["source"],
            )
        created_sets += 1
        record_event(None, "signage.rules_load", obj=rs, division=province, summary=f"{path.name}: {rs}")
    return created_sets, created_rules


@transaction.atomic
def ruleset_draft_open(*, user: Any, province: Division) -> RuleSet:
    """The province's draft, opened as a complete copy of its latest published version if there is none."""
    _require_province_admin(user, province)
    Division.objects.select_for_update().filter(pk=province.pk).first()  # serialise draft creation
    draft = selectors.ruleset_draft(province)
    if draft is not None:
        return draft
    base = (
        RuleSet.objects.filter(division=province, status=RuleSetStatus.PUBLISHED).order_by("-number").first()
    )
    draft = RuleSet.objects.create(
        division=province,
        number=_next_number(province),
        status=RuleSetStatus.DRAFT,
        title=base.title if base else _("Plaque rules"),
        languages=base.languages if base else ["zh"],
        language_source=base.language_source if base else "",
        others_allowed=base.others_allowed if base else False,
        others_source=base.others_source if base else "",
        one_room_one_plaque=base.one_room_one_plaque if base else False,
        one_room_source=base.one_room_source if base else "",
        note=base.note if base else "",
    )
    if base is not None:
        for r in PlaqueRule.objects.filter(ruleset=base):
            PlaqueRule.objects.create(
                ruleset=draft, division=province, **{f: getattr(r, f) for f in RULE_FIELDS}
            )
        for s in FloorAreaStandard.objects.filter(ruleset=base):
            FloorAreaStandard.objects.create(
                ruleset=draft,
                division=province,
                applies_to=s.applies_to,
                minimum_m2=s.minimum_m2,
                per_100_households_m2=s.per_100_households_m2,
                source=s.source,
            )
    record_event(user, "signage.ruleset_draft", obj=draft, division=province, summary=f"from {base}")
    return draft


def _lock_draft_rule(user: Any, rule_id: int) -> PlaqueRule:
    rule = (
        PlaqueRule.objects.select_for_update()
        .select_related("ruleset", "division")
        .filter(pk=rule_id)
        .first()
    )
    if rule is None or not PlaqueRule.objects.restrict(user).filter(pk=rule_id).exists():
        raise PlaqueRule.DoesNotExist
    _require_province_admin(user, rule.division)
    if not rule.ruleset.is_draft:
        raise ValidationError({"ruleset": _("Published rules are frozen: open a draft to change them.")})
    return rule


@transaction.atomic
def plaque_rule_update(*, user: Any, rule_id: int, data: dict[str, Any]) -> PlaqueRule:
    """Change one rule of a draft."""
    rule = _lock_draft_rule(user, rule_id)
    before = _snapshot(rule, RULE_FIELDS)
    clean = rule_clean({**{f: getattr(rule, f) for f in RULE_FIELDS}, **data})
    if (
        PlaqueRule.objects.filter(ruleset=rule.ruleset, placement=clean["placement"], name=clean["name"])
        .exclude(pk=rule.pk)
        .exists()
    ):
        raise ValidationError({"name": _("The draft already has a rule with this name.")})
    for k, v in clean.items():
        setattr(rule, k, v)
    rule.save()
    record_event(
        user,
        "signage.rule_update",
        obj=rule,
        division=rule.division,
        before=before,
        after=_snapshot(rule, RULE_FIELDS),
    )
    return rule


@transaction.atomic
def plaque_rule_create(*, user: Any, ruleset_id: int, data: dict[str, Any]) -> PlaqueRule:
    ruleset = RuleSet.objects.select_for_update().select_related("division").filter(pk=ruleset_id).first()
    if ruleset is None or not RuleSet.objects.restrict(user).filter(pk=ruleset_id).exists():
        raise RuleSet.DoesNotExist
    _require_province_admin(user, ruleset.division)
    if not ruleset.is_draft:
        raise ValidationError({"ruleset": _("Published rules are frozen: open a draft to change them.")})
    clean = rule_clean(data)
    if PlaqueRule.objects.filter(ruleset=ruleset, placement=clean["placement"], name=clean["name"]).exists():
        raise ValidationError({"name": _("The draft already has a rule with this name.")})
    rule = PlaqueRule.objects.create(ruleset=ruleset, division=ruleset.division, **clean)
    record_event(
        user, "signage.rule_create", obj=rule, division=ruleset.division, after=_snapshot(rule, RULE_FIELDS)
    )
    return rule


@transaction.atomic
def plaque_rule_delete(*, user: Any, rule_id: int) -> None:
    rule = _lock_draft_rule(user, rule_id)
    record_event(
        user, "signage.rule_delete", obj=rule, division=rule.division, before=_snapshot(rule, RULE_FIELDS)
    )
    rule.delete()


@transaction.atomic
def ruleset_publish(*, user: Any, ruleset_id: int, effective_from: date, note: str = "") -> RuleSet:
    """Publish the draft: from ``effective_from`` on, checks use it. Never backdated."""
    rs = RuleSet.objects.select_for_update().select_related("division").filter(pk=ruleset_id).first()
    if rs is None or not RuleSet.objects.restrict(user).filter(pk=ruleset_id).exists():
        raise RuleSet.DoesNotExist
    _require_province_admin(user, rs.division)
    if not rs.is_draft:
        raise ValidationError({"ruleset": _("This version is already published.")})
    if not isinstance(effective_from, date):
        raise ValidationError({"effective_from": _("Enter a date.")})
    today = timezone.localdate()
    if effective_from < today:
        raise ValidationError({"effective_from": _("The rules cannot take effect in the past.")})
    latest = (
        RuleSet.objects.filter(division=rs.division, status=RuleSetStatus.PUBLISHED)
        .order_by("-effective_from")
        .first()
    )
    if latest is not None and latest.effective_from is not None and effective_from <= latest.effective_from:
        raise ValidationError(
            {
                "effective_from": _("Must be after %(date)s, when version %(n)s takes effect.")
                % {"date": latest.effective_from, "n": latest.number}
            }
        )
    if not PlaqueRule.objects.filter(ruleset=rs).exists():
        raise ValidationError({"ruleset": _("A rule set without rules cannot be published.")})
    rs.status = RuleSetStatus.PUBLISHED
    rs.effective_from = effective_from
    rs.published_by = user
    rs.published_at = timezone.now()
    if note:
        rs.note = (rs.note + "\n" + note).strip()
    rs.save()
    record_event(
        user, "signage.ruleset_publish", obj=rs, division=rs.division, summary=f"effective {effective_from}"
    )
    return rs


# --- village inventories and the check --------------------------------------------------


def plaque_clean(data: dict[str, Any], *, village: Division, on: date | None = None) -> dict[str, Any]:
    """Validate a plaque's fields against the rules in force (the listed names)."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {
        "text": _text(errors, "text", data.get("text"), 200, required=True),
        "placement": _choice(errors, "placement", data.get("placement"), Placement, blank=False),
        "kind": _choice(errors, "kind", data.get("kind") or SignKind.PLAQUE, SignKind, blank=False),
        "room": _text(errors, "room", data.get("room"), 60),
        "owner_department": _text(errors, "owner_department", data.get("owner_department"), 100),
        "shape": _choice(errors, "shape", data.get("shape"), Shape),
        "width_cm": _centimetres(errors, "width_cm", data.get("width_cm")),
        "height_cm": _centimetres(errors, "height_cm", data.get("height_cm")),
        "ground_colour": _choice(errors, "ground_colour", data.get("ground_colour"), Colour),
        "text_colour": _choice(errors, "text_colour", data.get("text_colour"), Colour),
        "typeface": _choice(errors, "typeface", data.get("typeface"), Typeface),
        "material": _text(errors, "material", data.get("material"), 60),
        "rule_name": _text(errors, "rule_name", data.get("rule_name"), 100),
    }
    languages = data.get("languages") or []
    if isinstance(languages, str):
        languages = [x for x in languages.replace("，", ",").split(",") if x.strip()]
    if not isinstance(languages, list) or any(str(x).strip() not in Language.values for x in languages):
        errors["languages"] = _("Choose one of the listed values.")
        languages = []
    out["languages"] = sorted({str(x).strip() for x in languages})
    if out["rule_name"] and "placement" not in errors:
        names = {
            r.name
            for r in selectors.rules_of(selectors.ruleset_in_force(village, on))
            if r.placement == out["placement"]
        }
        if out["rule_name"] not in names:
            errors["rule_name"] = _("Not a plaque on the list in force for this placement.")
    _raise(errors)
    return out


def _resolution_for(item: Rectification, plaques: dict[int, VillagePlaque], default: str) -> str:
    if item.kind == ViolationKind.MISSING:
        return Resolution.HUNG
    plaque = plaques.get(item.plaque_id) if item.plaque_id else None
    if plaque is not None and plaque.status == PlaqueStatus.REMOVED:
        return Resolution.REMOVED
    return default


def _village_check(village: Division, *, user: Any, on: date, resolution: str) -> list[Rectification]:
    """Re-check one village and bring its rectification items in line. The caller holds the lock."""
    ruleset = selectors.ruleset_in_force(village, on)
    if ruleset is None:
        return []
    plaques = {p.pk: p for p in VillagePlaque.objects.filter(village=village)}
    findings = check_plaques(
        ruleset=ruleset,
        rules=selectors.rules_of(ruleset),
        village_name=village.name,
        plaques=plaques.values(),
    )
    wanted = {f.key: f for f in findings}
    open_items = {
        r.key: r for r in Rectification.objects.select_for_update().filter(village=village, status="open")
    }
    for key, item in open_items.items():
        if key not in wanted:
            item.status = RectificationStatus.RESOLVED
            item.resolved_on = on
            item.resolution = _resolution_for(item, plaques, resolution)
            item.resolved_by = user if getattr(user, "is_authenticated", False) else None
            item.save()
            record_event(
                user, "signage.rectification_resolve", obj=item, division=village, summary=item.resolution
            )
    owner = getattr(user, "organisation", None) if getattr(user, "role", "") == Role.TOWNSHIP_STAFF else None
    due = add_working_days(on, RECTIFY_WORKING_DAYS)
    for key, f in wanted.items():
        if key in open_items:
            continue
        plaque = plaques.get(f.plaque_id) if f.plaque_id else None
        item = Rectification.objects.create(
            village=village,
            plaque=plaque,
            ruleset=ruleset,
            key=key,
            kind=f.kind,
            rule_name=f.rule_name,
            message=f.message[:300],
            source=f.source[:300],
            due_on=due,
            owner=owner,
            owner_department=plaque.owner_department if plaque else "",
        )
        record_event(user, "signage.rectification_open", obj=item, division=village, summary=item.message)
    return list(Rectification.objects.filter(village=village, status="open"))


def _lock_village(village: Division) -> None:
    # One check of a village at a time: two clerks saving plaques together
    # must not both open the same rectification item.
    Division.objects.select_for_update().filter(pk=village.pk).first()


@transaction.atomic
def village_check(*, user: Any, village: Division, on: date | None = None) -> list[Rectification]:
    """Check a village against the rules in force on ``on`` (default today); returns its open items."""
    village = _own_village(user, village)
    _lock_village(village)
    return _village_check(village, user=user, on=on or timezone.localdate(), resolution=Resolution.CORRECTED)


@transaction.atomic
def village_plaque_record(
    *, user: Any, village: Division | str, data: dict[str, Any], photo: Any = None
) -> VillagePlaque:
    """Record a plaque that hangs in one of the township's villages, then check the village."""
    _require_role(user, {Role.TOWNSHIP_STAFF}, _("Township staff record their villages' plaques."))
    village = _own_village(user, village)
    clean = plaque_clean(data, village=village)
    stored = photo_clean(photo) if photo else None
    _lock_village(village)
    plaque = VillagePlaque(village=village, recorded_by=user, **clean)
    if stored is not None:
        plaque.photo.save(str(stored.name), stored, save=False)
    plaque.save()
    record_event(
        user, "signage.plaque_record", obj=plaque, division=village, after=_snapshot(plaque, PLAQUE_FIELDS)
    )
    _village_check(village, user=user, on=timezone.localdate(), resolution=Resolution.CORRECTED)
    return plaque


def _lock_plaque(user: Any, plaque_id: int) -> VillagePlaque:
    plaque = (
        VillagePlaque.objects.restrict(user, "change")
        .select_for_update()
        .select_related("village")
        .filter(pk=plaque_id)
        .first()
    )
    if plaque is None:
        if VillagePlaque.objects.restrict(user).filter(pk=plaque_id).exists():
            raise PermissionDenied(_("Township staff record their villages' plaques."))
        raise VillagePlaque.DoesNotExist
    return plaque


@transaction.atomic
def village_plaque_update(
    *,
    user: Any,
    plaque_id: int,
    data: dict[str, Any],
    photo: Any = None,
    expected_version: int | None = None,
) -> VillagePlaque:
    """Correct a plaque's record (e.g. after the plaque itself was corrected), then re-check."""
    plaque = _lock_plaque(user, plaque_id)
    if expected_version is not None and int(expected_version) != plaque.version:
        raise ValidationError({"version": _("Someone else changed this plaque; reload it.")})
    if plaque.status != PlaqueStatus.HANGING:
        raise ValidationError({"status": _("A removed plaque is no longer edited.")})
    before = _snapshot(plaque, PLAQUE_FIELDS)
    clean = plaque_clean({**{f: getattr(plaque, f) for f in PLAQUE_FIELDS}, **data}, village=plaque.village)
    stored = photo_clean(photo) if photo else None
    _lock_village(plaque.village)
    for k, v in clean.items():
        setattr(plaque, k, v)
    if stored is not None:
        plaque.photo.save(str(stored.name), stored, save=False)
    plaque.version += 1
    plaque.save()
    record_event(
        user,
        "signage.plaque_update",
        obj=plaque,
        division=plaque.village,
        before=before,
        after=_snapshot(plaque, PLAQUE_FIELDS),
    )
    _village_check(plaque.village, user=user, on=timezone.localdate(), resolution=Resolution.CORRECTED)
    return plaque


@transaction.atomic
def village_plaque_remove(
    *, user: Any, plaque_id: int, removed_on: date | None = None, note: str = "", photo: Any = None
) -> VillagePlaque:
    """Record that a plaque was taken down (with a photo of the wall after), then re-check."""
    plaque = _lock_plaque(user, plaque_id)
    if plaque.status == PlaqueStatus.REMOVED:
        raise ValidationError({"status": _("This plaque is already recorded as removed.")})
    today = timezone.localdate()
    removed_on = removed_on or today
    if removed_on > today:
        raise ValidationError({"removed_on": _("A removal cannot be recorded in the future.")})
    errors: dict[str, str] = {}
    note = _text(errors, "removal_note", note, 300)
    _raise(errors)
    stored = photo_clean(photo, field="removal_photo") if photo else None
    _lock_village(plaque.village)
    plaque.status = PlaqueStatus.REMOVED
    plaque.removed_on = removed_on
    plaque.removal_note = note
    if stored is not None:
        plaque.removal_photo.save(str(stored.name), stored, save=False)
    plaque.version += 1
    plaque.save()
    record_event(
        user,
        "signage.plaque_remove",
        obj=plaque,
        division=plaque.village,
        summary=f"{plaque.text} {removed_on}",
    )
    _village_check(plaque.village, user=user, on=today, resolution=Resolution.REMOVED)
    return plaque


def signage_sweep(*, today: date | None = None) -> dict[str, int]:
    """Daily: re-check every village with an inventory (new rules may be in force) and escalate overdue items.

    Escalation is recorded (``escalated_on`` and an audit event) and counted
    on the county's figures; reminders by message wait for the shared
    notifications outbox (they are not sent from here).
    """
    today = today or timezone.localdate()
    checked = escalated = 0
    village_codes = sorted(set(VillagePlaque.objects.values_list("village_id", flat=True)))
    for code in village_codes:
        with transaction.atomic():
            village = Division.objects.select_for_update().get(pk=code)
            _village_check(village, user=None, on=today, resolution=Resolution.RULE_CHANGED)
        checked += 1
    with transaction.atomic():
        overdue = Rectification.objects.select_for_update().filter(
            status=RectificationStatus.OPEN, due_on__lt=today, escalated_on__isnull=True
        )
        for item in overdue:
            item.escalated_on = today
            item.save(update_fields=["escalated_on", "updated"])
            record_event(
                None,
                "signage.rectification_escalate",
                obj=item,
                division=item.village_id,
                summary=item.message,
            )
            escalated += 1
    return {"checked": checked, "escalated": escalated}


# --- working mechanisms and dedicated posts -------------------------------------------


def mechanism_clean(data: dict[str, Any], *, is_new: bool = False) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out = {
        "name": _text(errors, "name", data.get("name"), 120, required=True),
        "kind": _choice(errors, "kind", data.get("kind"), MechanismKind, blank=False),
        "set_up_by": _text(errors, "set_up_by", data.get("set_up_by"), 100, required=True),
        "basis": _choice(
            errors, "basis", data.get("basis") or MechanismBasis.NONE, MechanismBasis, blank=False
        ),
        "basis_reference": _text(errors, "basis_reference", data.get("basis_reference"), 300),
        "provides_staff": _text(errors, "provides_staff", data.get("provides_staff"), 200),
        "provides_funding": _text(errors, "provides_funding", data.get("provides_funding"), 200),
    }
    # A new request resting on the province's approval has none yet: that is what it asks for.
    needs_reference = {MechanismBasis.CENTRAL, MechanismBasis.LAW}
    if not is_new:
        needs_reference.add(MechanismBasis.PROVINCIAL)
    if out["basis"] in needs_reference and not out["basis_reference"]:
        errors["basis_reference"] = _("Name the document and clause (or the approval number) it rests on.")
    _raise(errors)
    return out


@transaction.atomic
def mechanism_create(
    *, user: Any, village: Division | str, data: dict[str, Any], is_new: bool
) -> WorkingMechanism:
    """Record an existing mechanism of a village (``is_new=False``) or ask for a new one.

    A new one is active at once only where the Party Central Committee and the
    State Council or a law require it, and then the requesting department must
    name who provides the people and the money (not the village). Anything else
    waits for the province's approval (seed 000 §6, seed 002 §3(6)).
    """
    _require_role(
        user,
        {Role.TOWNSHIP_STAFF, Role.DEPT_SUBMITTER},
        _("Township staff record mechanisms; departments ask for new ones."),
    )
    if not is_new and not (user.is_superuser or user.role == Role.TOWNSHIP_STAFF):
        raise PermissionDenied(_("Township staff record their villages' existing mechanisms."))
    village = _own_village(user, village)
    clean = mechanism_clean(data, is_new=is_new)
    status = MechanismStatus.ACTIVE
    if is_new:
        if clean["basis"] in (MechanismBasis.CENTRAL, MechanismBasis.LAW):
            _raise(
                {
                    f: _("Name the department that provides this: it is not passed on to the village.")
                    for f in ("provides_staff", "provides_funding")
                    if not clean[f]
                }
            )
        else:
            status = MechanismStatus.PENDING
            clean["basis"] = MechanismBasis.PROVINCIAL
            clean["basis_reference"] = ""
    mech = WorkingMechanism.objects.create(
        village=village, requested_by=user, is_new=is_new, status=status, **clean
    )
    record_event(
        user,
        "signage.mechanism_request" if is_new else "signage.mechanism_record",
        obj=mech,
        division=village,
        after=_snapshot(mech, (*MECHANISM_FIELDS, "status")),
    )
    return mech


def _lock_mechanism(user: Any, mechanism_id: int, action: str) -> WorkingMechanism:
    mech = WorkingMechanism.objects.restrict(user, action).select_for_update().filter(pk=mechanism_id).first()
    if mech is None:
        if WorkingMechanism.objects.restrict(user).filter(pk=mechanism_id).exists():
            raise PermissionDenied(_("Your role may not do this on this mechanism."))
        raise WorkingMechanism.DoesNotExist
    return mech


@transaction.atomic
def mechanism_decide(
    *, user: Any, mechanism_id: int, approve: bool, reason: str, reference: str = ""
) -> WorkingMechanism:
    """The province approves or rejects a new mechanism, with a reason (and its approval reference)."""
    mech = _lock_mechanism(user, mechanism_id, "decide")
    if mech.status != MechanismStatus.PENDING:
        raise ValidationError({"status": _("Only a mechanism awaiting approval can be decided.")})
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason, 2000, required=True)
    reference = _text(errors, "reference", reference, 300, required=approve)
    _raise(errors)
    mech.status = MechanismStatus.ACTIVE if approve else MechanismStatus.REJECTED
    mech.decided_by = user
    mech.decided_at = timezone.now()
    mech.decision_reason = reason
    if approve:
        mech.basis_reference = reference
    mech.version += 1
    mech.save()
    record_event(
        user,
        "signage.mechanism_decide",
        obj=mech,
        division=mech.village_id,
        summary=f"{mech.status}: {reason}",
    )
    return mech


@transaction.atomic
def mechanism_cleanup(
    *, user: Any, mechanism_id: int, decision: str, reason: str, merged_into: str = ""
) -> WorkingMechanism:
    """Record the clean-up of a mechanism: keep, merge (into another) or abolish."""
    mech = _lock_mechanism(user, mechanism_id, "cleanup")
    if mech.status not in (MechanismStatus.ACTIVE,):
        raise ValidationError({"status": _("Only an active mechanism is cleaned up.")})
    errors: dict[str, str] = {}
    decision = _choice(errors, "decision", decision, Cleanup, blank=False)
    reason = _text(errors, "reason", reason, 300, required=True)
    merged_into = _text(errors, "merged_into", merged_into, 120, required=decision == Cleanup.MERGE)
    if decision == Cleanup.KEEP and mech.basis == MechanismBasis.NONE:
        errors["decision"] = _("A mechanism without a basis cannot be kept: merge or abolish it.")
    _raise(errors)
    mech.cleanup = decision
    mech.cleanup_reason = reason
    mech.merged_into = merged_into
    mech.cleaned_on = timezone.localdate()
    mech.status = {
        Cleanup.MERGE: MechanismStatus.MERGED,
        Cleanup.ABOLISH: MechanismStatus.ABOLISHED,
    }.get(Cleanup(decision), MechanismStatus.ACTIVE)
    mech.version += 1
    mech.save()
    record_event(
        user, "signage.mechanism_cleanup", obj=mech, division=mech.village_id, summary=f"{decision}: {reason}"
    )
    return mech
