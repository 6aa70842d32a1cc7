"""Plaque rules per province: loading the cited fixture, drafts, edits and publication with an effective date."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level, SettlementKind

from .. import selectors
from ..choices import (
    AppliesTo,
    Colour,
    Placement,
    RuleSetStatus,
    Shape,
    SignKind,
    Typeface,
)
from ..models import FloorAreaStandard, PlaqueRule, RuleSet
from ._common import (
    RULE_FIELDS,
    RULES_PATH,
    _choice,
    _raise,
    _require_province_admin,
    _snapshot,
    _text,
)


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
        settlement = spec.get("settlement", SettlementKind.VILLAGE)
        if RuleSet.objects.filter(
            division=province, settlement=settlement, status=RuleSetStatus.PUBLISHED, effective_from=effective
        ).exists():
            continue
        rs = RuleSet.objects.create(
            division=province,
            settlement=settlement,
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
def ruleset_draft_open(*, user: Any, province: Division, settlement: str = SettlementKind.VILLAGE) -> RuleSet:
    """The province's draft for villages (or communities), opened as a complete copy of its latest
    published version of the same kind if there is none."""
    _require_province_admin(user, province)
    Division.objects.select_for_update().filter(pk=province.pk).first()  # serialise draft creation
    draft = selectors.ruleset_draft(province, settlement)
    if draft is not None:
        return draft
    base = (
        RuleSet.objects.filter(division=province, settlement=settlement, status=RuleSetStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )
    draft = RuleSet.objects.create(
        division=province,
        settlement=settlement,
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
