"""Village plaque inventories, the check against the rules in force, and rectification items."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division
from organisations.choices import Role
from villageburden.uploads import photo_clean
from villageburden.workdays import add_working_days

from .. import selectors
from ..choices import (
    Colour,
    Language,
    Placement,
    PlaqueStatus,
    RectificationStatus,
    Resolution,
    Shape,
    SignKind,
    Typeface,
    ViolationKind,
)
from ..compliance import check_plaques
from ..models import Rectification, VillagePlaque
from ._common import (
    PLAQUE_FIELDS,
    RECTIFY_WORKING_DAYS,
    _centimetres,
    _choice,
    _own_village,
    _raise,
    _require_role,
    _snapshot,
    _text,
)


def plaque_clean(data: dict[str, Any], *, village: Division | None, on: date | None = None) -> dict[str, Any]:
    """Validate a plaque's fields against the rules in force (the listed names).

    Without a village (a spreadsheet row not yet matched to one) only the fields
    themselves are checked; the listed name is checked once the village is known.
    """
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
    if village is not None and out["rule_name"] and "placement" not in errors:
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
    """Daily: re-check every village with an inventory (new rules may be in force), then remind and escalate.

    Reminders before an item's deadline and escalation after it go through the
    shared deadline rule and the notifications outbox (``rectifications``).
    """
    from .rectifications import rectification_deadlines_send

    today = today or timezone.localdate()
    checked = 0
    village_codes = sorted(set(VillagePlaque.objects.values_list("village_id", flat=True)))
    for code in village_codes:
        with transaction.atomic():
            village = Division.objects.select_for_update().get(pk=code)
            _village_check(village, user=None, on=today, resolution=Resolution.RULE_CHANGED)
        checked += 1
    deadlines = rectification_deadlines_send(today=today)
    return {"checked": checked, **deadlines}
