"""Reads: the rules in force on a date, a village's inventory and check, and the clean-up counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from divisions.models import Division, Level, SettlementKind
from divisions.scoping import code_range

from .choices import MechanismStatus, Placement, PlaqueStatus, RectificationStatus, RuleSetStatus, SignKind
from .compliance import FloorRequirement, floor_requirement, standard_name
from .models import FloorAreaStandard, PlaqueRule, Rectification, RuleSet, VillagePlaque, WorkingMechanism


def province_code(division: Division | str) -> str:
    code = division if isinstance(division, str) else division.code
    return code[:2].ljust(12, "0")


def settlement_of(division: Division | str) -> str:
    """Whose rules govern ``division``: a community's service centre its own kind's, everything else the villages'."""
    kind = getattr(division, "settlement_kind", "")
    return SettlementKind.COMMUNITY if kind == SettlementKind.COMMUNITY else SettlementKind.VILLAGE


def ruleset_in_force(
    province: Division | str, on: date | None = None, settlement: str | None = None
) -> RuleSet | None:
    """The published rule set with the latest effective date on or before ``on`` (default today),
    for villages or communities (default: the kind of ``province`` when it is a community).

    A province without community rules governs its communities by the villages'
    (seed 002, end: "参照本方案执行"), as it did before communities had rules.
    """
    on = on or timezone.localdate()
    kind = settlement or settlement_of(province)
    published = RuleSet.objects.filter(
        division_id=province_code(province), status=RuleSetStatus.PUBLISHED, effective_from__lte=on
    ).order_by("-effective_from")
    found = published.filter(settlement=kind).first()
    if found is None and kind == SettlementKind.COMMUNITY:
        found = published.filter(settlement=SettlementKind.VILLAGE).first()
    return found


def ruleset_draft(province: Division | str, settlement: str = SettlementKind.VILLAGE) -> RuleSet | None:
    return RuleSet.objects.filter(
        division_id=province_code(province), status=RuleSetStatus.DRAFT, settlement=settlement
    ).first()


def rulesets_of(province: Division | str, user: Any = None) -> QuerySet[RuleSet]:
    return RuleSet.objects.restrict(user).filter(division_id=province_code(province)).order_by("-number")


def rules_of(ruleset: RuleSet | None) -> list[PlaqueRule]:
    if ruleset is None:
        return []
    return list(PlaqueRule.objects.filter(ruleset=ruleset).order_by("order", "id"))


def village_floor_requirement(village: Division, on: date | None = None) -> FloorRequirement | None:
    """The minimum floor area the rules in force set for this village (None: no standard applies)."""
    if village.level != Level.VILLAGE:
        return None
    ruleset = ruleset_in_force(village, on)
    if ruleset is None:
        return None
    return floor_requirement(
        standards=FloorAreaStandard.objects.filter(ruleset=ruleset),
        area_type=village.area_type,
        is_central=village.is_central_village,
        households=village.households,
    )


def village_plaques(user: Any, village: Division, *, include_removed: bool = True) -> QuerySet[VillagePlaque]:
    qs = VillagePlaque.objects.restrict(user).filter(village=village)
    if not include_removed:
        qs = qs.filter(status=PlaqueStatus.HANGING)
    return qs.order_by("status", "placement", "id")


def open_rectifications(user: Any, village: Division) -> QuerySet[Rectification]:
    return (
        Rectification.objects.restrict(user)
        .filter(village=village, status=RectificationStatus.OPEN)
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class PreviewPlaque:
    name: str
    text: str
    ground: str
    colour: str
    kind: str
    languages: tuple[str, ...]


def compliant_preview(village: Division, on: date | None = None) -> list[PreviewPlaque]:
    """The outside plaque set a village should hang, built from its full standard name."""
    ruleset = ruleset_in_force(village, on)
    full = standard_name(village.name)
    out = []
    for r in rules_of(ruleset):
        if r.placement != Placement.OUTSIDE:
            continue
        text = f"{full}{r.organ}" if r.organ else r.name.replace("（标识）", "")
        out.append(
            PreviewPlaque(
                r.name,
                text,
                r.ground_colour or "white",
                r.text_colour or "black",
                r.kind,
                tuple(ruleset.languages if ruleset and r.kind == SignKind.PLAQUE else ["zh"]),
            )
        )
    return out


# --- the clean-up counted -----------------------------------------------------------


@dataclass
class Tally:
    code: str
    name: str
    hanging: int = 0
    non_compliant: int = 0
    removed: int = 0
    missing: int = 0
    open_items: int = 0
    overdue: int = 0
    mechanisms: int = 0
    mechanisms_abolished: int = 0
    mechanisms_merged: int = 0
    mechanisms_pending: int = 0


@dataclass
class Counts:
    total: Tally
    rows: list[Tally] = field(default_factory=list)
    months: list[dict[str, Any]] = field(default_factory=list)


def _group_code(code: str, level: int) -> str:
    from divisions.scoping import LEVEL_DIGITS

    return code[: LEVEL_DIGITS[level]].ljust(12, "0")


def cleanup_counts(area: Division, *, by_level: int | None = None) -> Counts:
    """Plaques hung, non-compliant and removed, and the mechanisms cleaned up, in ``area``, by the level below.

    Public figures (seed 001 reports "核减…牌子18个"): counts only, no names of people.
    """
    lo, hi = code_range(area.prefix)
    level = by_level or min(area.level + 1, Level.VILLAGE)
    in_area = {"village__gte": lo, "village__lte": hi}
    names = dict(Division.objects.filter(level=level, code__gte=lo, code__lte=hi).values_list("code", "name"))
    rows: dict[str, Tally] = {code: Tally(code, name) for code, name in sorted(names.items())}
    total = Tally(area.code, area.name)
    today = timezone.localdate()

    def bump(village_code: str, attr: str, n: int) -> None:
        key = _group_code(village_code, level)
        row = rows.setdefault(key, Tally(key, names.get(key, key)))
        setattr(row, attr, getattr(row, attr) + n)
        setattr(total, attr, getattr(total, attr) + n)

    for v, status, n in (
        VillagePlaque.objects.filter(**in_area).values_list("village", "status").annotate(n=Count("id"))
    ):
        bump(v, "hanging" if status == PlaqueStatus.HANGING else "removed", n)
    noncompliant = (
        VillagePlaque.objects.filter(
            **in_area, status=PlaqueStatus.HANGING, rectifications__status=RectificationStatus.OPEN
        )
        .values_list("village")
        .annotate(n=Count("id", distinct=True))
    )
    for v, n in noncompliant:
        bump(v, "non_compliant", n)
    open_items = Rectification.objects.filter(**in_area, status=RectificationStatus.OPEN)
    for v, n, missing, overdue in open_items.values_list("village").annotate(
        n=Count("id"), m=Count("id", filter=Q(kind="missing")), o=Count("id", filter=Q(due_on__lt=today))
    ):
        bump(v, "open_items", n)
        bump(v, "missing", missing)
        bump(v, "overdue", overdue)
    for v, status, n in (
        WorkingMechanism.objects.filter(**in_area).values_list("village", "status").annotate(n=Count("id"))
    ):
        attr = {
            MechanismStatus.ACTIVE: "mechanisms",
            MechanismStatus.ABOLISHED: "mechanisms_abolished",
            MechanismStatus.MERGED: "mechanisms_merged",
            MechanismStatus.PENDING: "mechanisms_pending",
        }.get(status)
        if attr:
            bump(v, attr, n)
    months: dict[str, dict[str, Any]] = defaultdict(lambda: {"recorded": 0, "removed": 0})
    for m, n in (
        VillagePlaque.objects.filter(**in_area)
        .annotate(m=TruncMonth("created"))
        .values_list("m")
        .annotate(n=Count("id"))
    ):
        months[f"{m:%Y-%m}"]["recorded"] += n
    for m, n in (
        VillagePlaque.objects.filter(**in_area, status=PlaqueStatus.REMOVED)
        .annotate(m=TruncMonth("removed_on"))
        .values_list("m")
        .annotate(n=Count("id"))
    ):
        months[f"{m:%Y-%m}"]["removed"] += n
    return Counts(
        total,
        list(rows.values()),
        [{"month": k, **v} for k, v in sorted(months.items())],
    )
