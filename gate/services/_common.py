"""Constants and helpers every gate transition shares (locking, version and state checks, validation)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from divisions.models import Division, Level
from divisions.scoping import code_range
from organisations.models import User
from villageburden.bulkwrite import save_with_history

from ..choices import (
    Frequency,
    ScopeKind,
    VillageRole,
)
from ..exceptions import GateRefused, InvalidTransition, NotPermitted, StaleVersion
from ..models import AccessRequest
from ..screening import screen_request

# Deadlines in working days (seed 004 asks for fixed time limits; the county may change them here).
REVIEW_WORKING_DAYS = 5
DECISION_WORKING_DAYS = 3
RENEWAL_NOTICE_DAYS = 30
DISPATCH_BATCH = 5000

EDITABLE_FIELDS = (
    "title",
    "description",
    "village_role",
    "legal_basis",
    "scope_kind",
    "starts_on",
    "ends_on",
    "frequency",
    "materials",
    "provides_funding",
    "provides_staff",
    "provides_equipment",
    "hours_per_village",
)


@dataclass(frozen=True)
class DispatchResult:
    created: int
    already: int
    villages: int
    # Township staff whose townships the dispatch reaches (ids), when the caller asked who to tell.
    staff: tuple[int, ...] = dataclass_field(default=(), compare=False)


# --- helpers -----------------------------------------------------------------------


def _lock_request(
    user: User, pk: int, action: str, *, related: tuple[str, ...] = (), defer: tuple[str, ...] = ()
) -> AccessRequest:
    """The request, locked, if ``user`` may do ``action`` on it; else 404 or NotPermitted.

    ``related`` rows (e.g. its county) are read in the same query, not locked;
    ``defer``: columns the caller never reads (the screening's JSON, read again if touched).
    """
    qs = AccessRequest.objects.restrict(user, action).defer(*defer)
    if related:
        qs = qs.select_related(*related).select_for_update(of=("self",))
    else:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=pk)
    except AccessRequest.DoesNotExist:
        if AccessRequest.objects.restrict(user, "view").filter(pk=pk).exists():
            raise NotPermitted(_("Your role may not do this on this request.")) from None
        raise


def _check_version(obj: Any, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != obj.version:
        raise StaleVersion(
            _("This request was changed by someone else (version %(cur)s, you had %(old)s). Reload it.")
            % {"cur": obj.version, "old": expected_version},
            details={"current_version": obj.version},
        )


def _require_state(req: AccessRequest, allowed: Collection[str], what: str) -> None:
    if req.status not in allowed:
        raise InvalidTransition(
            _("Cannot %(what)s a request that is %(status)s.")
            % {"what": what, "status": req.get_status_display()},
            details={"status": req.status},
        )


def _snapshot(req: AccessRequest) -> dict[str, Any]:
    return {"status": req.status, "version": req.version, "round": req.round, "verdict": req.verdict}


def _bump(req: AccessRequest, user: User | None, **changes: Any) -> None:
    """Write ``changes`` and the next version (the ETag clients send back as If-Match), with ``user``'s history row."""
    for k, v in changes.items():
        setattr(req, k, v)
    req.version += 1
    save_with_history(req, [*changes, "version"], user=user)


# Longest free text each field takes (characters). Reasons and opinions are
# published on the county's public page: a page of text is the most a reader
# follows, and the limit keeps that page readable. Forms and the API use the same.
TEXT_LIMITS = {
    "title": 200,
    "description": 4000,
    "legal_basis": 2000,
    "materials": 2000,
    "provides_funding": 200,
    "provides_staff": 200,
    "provides_equipment": 200,
    "reason": 2000,
    "conditions": 2000,
    "note": 500,
}


def _check_length(field: str, value: str) -> str:
    limit = TEXT_LIMITS[field]
    if len(value) > limit:
        raise GateRefused(
            _("At most %(limit)s characters (this has %(length)s).") % {"limit": limit, "length": len(value)},
            details={"field": field},
        )
    return value


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise GateRefused(_("A reason is required."), details={"field": field})
    return _check_length(field, reason)


def _counties_of(user: User) -> QuerySet[Division]:
    return Division.objects.restrict(user).filter(level=Level.COUNTY)


def _validate(data: dict[str, Any], county: Division) -> dict[str, Any]:
    """Check the request's own fields; return the cleaned values."""
    errors: dict[str, str] = {}
    clean = {k: data[k] for k in EDITABLE_FIELDS if k in data}
    for field in ("title", "description"):
        if field in clean:
            clean[field] = (clean[field] or "").strip()
            if not clean[field]:
                errors[field] = _("This field is required.")
    for field, limit in TEXT_LIMITS.items():
        if isinstance(clean.get(field), str) and len(clean[field]) > limit:
            errors[field] = _("At most %(limit)s characters (this has %(length)s).") % {
                "limit": limit,
                "length": len(clean[field]),
            }
    if "village_role" in clean and clean["village_role"] not in VillageRole.values:
        errors["village_role"] = _("Choose responsible, assist or inform.")
    if "frequency" in clean and clean["frequency"] not in Frequency.values:
        errors["frequency"] = _("Choose a frequency.")
    if "scope_kind" in clean and clean["scope_kind"] not in ScopeKind.values:
        errors["scope_kind"] = _("Choose a scope.")
    if "hours_per_village" in clean:
        clean["hours_per_village"] = Decimal(str(clean["hours_per_village"] or 0))
        if clean["hours_per_village"] < 0:
            errors["hours_per_village"] = _("Hours cannot be negative.")
    if errors:
        raise GateRefused(_("Some fields are not valid."), details={"fields": errors})
    return clean


def _validate_scope(county: Division, scope_kind: str, scope: list[Division]) -> list[Division]:
    if scope_kind == ScopeKind.COUNTY:
        return []
    level = Level.TOWNSHIP if scope_kind == ScopeKind.TOWNSHIPS else Level.VILLAGE
    if not scope:
        raise GateRefused(_("Choose at least one township or village."), details={"field": "scope_divisions"})
    for d in scope:
        if d.level != level or not county.contains(d):
            raise GateRefused(
                _("%(name)s is not a %(level)s of %(county)s.")
                % {"name": d.name, "level": Level(level).label, "county": county.name},
                details={"field": "scope_divisions", "code": d.code},
            )
    return scope


def _check_dates(starts_on: date, ends_on: date) -> None:
    if ends_on < starts_on:
        raise GateRefused(_("The end date is before the start date."), details={"field": "ends_on"})


def scope_villages(req: AccessRequest) -> QuerySet[Division]:
    """The villages a request covers: the county, chosen townships, or chosen villages."""
    codes = [] if req.scope_kind == ScopeKind.COUNTY else req.scope_divisions.values_list("code", flat=True)
    return villages_in_scope(req.division, req.scope_kind, codes)


def villages_in_scope(division: Division, scope_kind: str, codes: Iterable[str]) -> QuerySet[Division]:
    """The villages of ``division`` a scope covers: all, the chosen townships' (codes) or the chosen villages (codes)."""
    villages = Division.objects.filter(level=Level.VILLAGE)
    if scope_kind == ScopeKind.COUNTY:
        return villages.filter(code__range=code_range(division.prefix))
    codes = list(codes)
    if scope_kind == ScopeKind.VILLAGES:
        return villages.filter(code__in=codes, code__range=code_range(division.prefix))
    q = Q()
    for code in codes:
        q |= Q(code__range=code_range(code[:9]))
    return villages.filter(q, code__range=code_range(division.prefix)) if codes else villages.none()


def _screen(req: AccessRequest):
    """Screen against the lists that govern the villages and communities the request reaches."""
    return screen_request(req)


def _number(req: AccessRequest) -> str:
    return f"ZR{req.division_id[:6]}-{req.created:%Y}-{req.pk:05d}"


# --- drafting ------------------------------------------------------------------------
