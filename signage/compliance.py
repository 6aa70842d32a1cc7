"""The compliance check: a village's plaques against its province's rules in force on a date.

Pure functions over the rule set, the village and its plaques, so each rule of
each province can be tested with hand-made cases. Every finding names the
rule it breaks and the rule's source (seed and clause). What the policies do
*not* say is not checked: a blank colour, typeface or size in a rule means the
village decides ("材质和大小根据实际情况自行确定", seed 000 §8), and the
emblems' design follows rules of the organisation department and the
civilisation office that are not in the registry (flagged 缺依据 in the rule
set's note).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .choices import AppliesTo, Colour, Language, Placement, Shape, SignKind, Typeface, ViolationKind

# The statistical code list names a village's committee, not the village:
# "巴音哈拉嘎查村" is 巴音哈拉嘎查 (the data adds a generic 村 to every gacha),
# "东园村委会" is 东园村. The standard full name is the name without them.
_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会")


def standard_name(village_name: str) -> str:
    """The village's full standard name (规范全称) as it is to appear on a plaque."""
    name = village_name.strip()
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            if suffix.startswith("村") and not name.endswith(("村", "嘎查")):
                name += "村"
            break
    if name.endswith("嘎查村"):
        name = name[:-1]
    return name


@dataclass(frozen=True)
class Finding:
    key: str
    kind: str
    rule_name: str
    message: str
    source: str
    plaque_id: int | None = None


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _within(value: Decimal | None, bounds: Sequence[float] | None) -> bool:
    if not bounds:
        return True
    if value is None:
        return False
    return Decimal(str(bounds[0])) <= value <= Decimal(str(bounds[1]))


def _shape_ok(plaque: Any, shapes: list[dict]) -> bool:
    for allowed in shapes:
        if plaque.shape != allowed.get("shape"):
            continue
        if _within(plaque.width_cm, allowed.get("width")) and _within(
            plaque.height_cm, allowed.get("height")
        ):
            return True
    return False


def describe_shapes(shapes: list[dict]) -> str:
    """“条牌 30–40 × 180–250 cm 或 匾牌 60 × 40 cm” from the rule's data."""
    parts = []
    for s in shapes:
        text = _label(Shape, s.get("shape", ""))
        w, h = s.get("width"), s.get("height")
        if w and h:
            fmt = lambda b: f"{b[0]:g}" if b[0] == b[1] else f"{b[0]:g}–{b[1]:g}"  # noqa: E731
            text += f" {fmt(w)} × {fmt(h)} cm"
        parts.append(text)
    return _(" or ").join(parts)


def check_plaques(
    *, ruleset: Any, rules: Iterable[Any], village_name: str, plaques: Iterable[Any]
) -> list[Finding]:
    """Every violation of ``ruleset`` by the hanging ``plaques`` of one village."""
    rules = list(rules)
    by_name = {(r.placement, r.name): r for r in rules}
    findings: list[Finding] = []
    full_name = standard_name(village_name)
    hanging = [p for p in plaques if p.status == "hanging"]
    for p in hanging:
        rule = by_name.get((p.placement, p.rule_name)) if p.rule_name else None
        if rule is None:
            if not ruleset.others_allowed:
                findings.append(
                    Finding(
                        f"not_allowed:{p.pk}",
                        ViolationKind.NOT_ALLOWED,
                        "",
                        _("“%(text)s” is not on the province's list of plaques: take it down.")
                        % {"text": p.text},
                        ruleset.others_source,
                        p.pk,
                    )
                )
            continue
        findings.extend(_check_one(ruleset, rule, p, full_name))
    if ruleset.one_room_one_plaque:
        rooms: dict[str, list[Any]] = defaultdict(list)
        for p in hanging:
            if p.placement == Placement.INSIDE and p.room.strip():
                rooms[p.room.strip()].append(p)
        for room, there in sorted(rooms.items()):
            if len(there) > 1:
                for extra in sorted(there, key=lambda p: p.pk)[1:]:
                    findings.append(
                        Finding(
                            f"one_room:{extra.pk}",
                            ViolationKind.ONE_ROOM,
                            "",
                            _("Room “%(room)s” has %(n)s plaques; one room, one plaque.")
                            % {"room": room, "n": len(there)},
                            ruleset.one_room_source,
                            extra.pk,
                        )
                    )
    present = {(p.placement, p.rule_name) for p in hanging if p.rule_name}
    for r in rules:
        if r.required and (r.placement, r.name) not in present:
            findings.append(
                Finding(
                    f"missing:{r.placement}:{r.name}",
                    ViolationKind.MISSING,
                    r.name,
                    _("“%(name)s” is required %(where)s and is not recorded as hanging.")
                    % {"name": r.name, "where": _label(Placement, r.placement)},
                    r.source,
                )
            )
    return findings


def _check_one(ruleset: Any, rule: Any, p: Any, full_name: str) -> list[Finding]:
    out: list[Finding] = []

    def add(kind: str, message: str, source: str = "") -> None:
        out.append(Finding(f"{kind}:{p.pk}", kind, rule.name, message, source or rule.source, p.pk))

    if (rule.ground_colour and p.ground_colour != rule.ground_colour) or (
        rule.text_colour and p.text_colour != rule.text_colour
    ):
        add(
            ViolationKind.COLOURS,
            _("%(name)s: %(want_g)s ground with %(want_t)s text required; recorded %(got_g)s / %(got_t)s.")
            % {
                "name": rule.name,
                "want_g": _label(Colour, rule.ground_colour),
                "want_t": _label(Colour, rule.text_colour),
                "got_g": _label(Colour, p.ground_colour) or "—",
                "got_t": _label(Colour, p.text_colour) or "—",
            },
        )
    if rule.typeface and p.typeface != rule.typeface:
        add(
            ViolationKind.TYPEFACE,
            _("%(name)s: typeface %(want)s required; recorded %(got)s.")
            % {
                "name": rule.name,
                "want": _label(Typeface, rule.typeface),
                "got": _label(Typeface, p.typeface) or "—",
            },
        )
    if rule.shapes and not _shape_ok(p, rule.shapes):
        size = f"{p.width_cm:g} × {p.height_cm:g} cm" if p.width_cm and p.height_cm else "—"
        add(
            ViolationKind.SIZE,
            _("%(name)s: %(want)s required; recorded %(shape)s %(size)s.")
            % {
                "name": rule.name,
                "want": describe_shapes(rule.shapes),
                "shape": _label(Shape, p.shape) or "—",
                "size": size,
            },
        )
    if rule.organ and full_name not in p.text:
        add(
            ViolationKind.NAME,
            _("%(name)s: the plaque must carry the village's full standard name “%(full)s”.")
            % {"name": rule.name, "full": full_name},
        )
    if rule.kind == SignKind.PLAQUE:
        missing = [code for code in ruleset.languages if code not in (p.languages or [])]
        if missing:
            add(
                ViolationKind.LANGUAGE,
                _("%(name)s: the text must also be in %(langs)s.")
                % {"name": rule.name, "langs": "、".join(_label(Language, c) for c in missing)},
                ruleset.language_source,
            )
    return out


@dataclass(frozen=True)
class FloorRequirement:
    minimum_m2: Decimal
    sources: tuple[str, ...]


def floor_requirement(
    *, standards: Iterable[Any], area_type: str, is_central: bool, households: int | None
) -> FloorRequirement | None:
    """The minimum floor area for one village: the largest standard that applies, with its sources."""
    applies = {
        AppliesTo.FARMING: area_type == "farming",
        AppliesTo.PASTORAL: area_type == "pastoral",
        AppliesTo.CENTRAL: is_central,
        AppliesTo.NON_CENTRAL: not is_central and area_type != "urban",
    }
    best: Decimal | None = None
    sources: list[str] = []
    for s in standards:
        if not applies.get(s.applies_to):
            continue
        need = Decimal(s.minimum_m2)
        if s.per_100_households_m2 is not None and households:
            need = max(need, Decimal(s.per_100_households_m2) * households / 100)
        sources.append(s.source)
        best = need if best is None else max(best, need)
    if best is None:
        return None
    return FloorRequirement(best.quantize(Decimal("0.1")), tuple(sources))
