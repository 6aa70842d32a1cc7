"""The access gate's business rules: the only way to change a request or create a village task.

Every transition is one transaction that locks the request (``select_for_update``),
checks the caller's jurisdiction and role *inside* the transaction, checks the
current state and, when the client sent one, the version it last saw; then it
writes the change, its audit event and the in-app notifications together.
E-mail goes out after commit (``villageburden.tasks.enqueue``), so a broker
outage never loses or blocks a decision.

Policy: seed 000 §2 and seed 002 §3(1) — outside the lists, a task needs the
review of the organisation, civil-affairs and agriculture departments and the
approval of the county; seed 003 §2(1)1 — never the village as responsible
subject of the negative matters ("清单之内必执行、清单之外要批准", seed 004 §2(1)).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from divisions.scoping import code_range
from organisations.choices import REVIEWING_KINDS, Role
from organisations.models import Organisation, User

from . import notify as n
from .choices import (
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    Frequency,
    NotificationKind,
    Opinion,
    Outcome,
    RequestStatus,
    ScopeKind,
    TaskStatus,
    Verdict,
    VillageRole,
)
from .exceptions import GateRefused, InvalidTransition, NotPermitted, StaleVersion
from .models import SUBMITTERS, AccessRequest, Decision, ReviewOpinion, VillageTask
from .screening import screen
from .workdays import add_working_days

# Deadlines in working days (seed 004 asks for fixed time limits; the county may change them here).
REVIEW_WORKING_DAYS = 5
DECISION_WORKING_DAYS = 3
REMIND_WORKING_DAYS_BEFORE = 1
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


# --- helpers -----------------------------------------------------------------------


def _lock_request(user: User, pk: int, action: str) -> AccessRequest:
    """The request, locked, if ``user`` may do ``action`` on it; else 404 or NotPermitted."""
    try:
        return AccessRequest.objects.restrict(user, action).select_for_update().get(pk=pk)
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


def _bump(req: AccessRequest, **changes: Any) -> None:
    """Write ``changes`` and the next version (the ETag clients send back as If-Match)."""
    for k, v in changes.items():
        setattr(req, k, v)
    req.version += 1
    req.save(update_fields=[*changes, "version", "updated"])


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise GateRefused(_("A reason is required."), details={"field": "reason"})
    return reason


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
    villages = Division.objects.filter(level=Level.VILLAGE)
    if req.scope_kind == ScopeKind.COUNTY:
        return villages.filter(code__range=code_range(req.division.prefix))
    codes = list(req.scope_divisions.values_list("code", "level"))
    if req.scope_kind == ScopeKind.VILLAGES:
        return villages.filter(code__in=[c for c, _lv in codes], code__range=code_range(req.division.prefix))
    q = Q()
    for code, _level in codes:
        q |= Q(code__range=code_range(code[:9]))
    return villages.filter(q) if codes else villages.none()


def _screen(req: AccessRequest):
    return screen(
        county=req.division,
        title=req.title,
        description=req.description,
        village_role=req.village_role,
        extra=f"{req.materials}\n{req.legal_basis}",
    )


def _number(req: AccessRequest) -> str:
    return f"ZR{req.division_id[:6]}-{req.created:%Y}-{req.pk:05d}"


# --- drafting ------------------------------------------------------------------------


@transaction.atomic
def access_request_create(
    *, user: User, county: Division, data: dict[str, Any], scope: list[Division] | None = None
) -> AccessRequest:
    """A new draft, filed by a department submitter (or a portal) to a county it works in."""
    if not (user.is_superuser or user.role in SUBMITTERS) or user.organisation_id is None:
        raise NotPermitted(_("Only department submitters and portals file access requests."))
    if not user.is_superuser and not _counties_of(user).filter(pk=county.pk).exists():
        raise GateRefused(_("You cannot file requests to this county."), details={"field": "division"})
    if county.level != Level.COUNTY:
        raise GateRefused(_("Requests are filed to a county."), details={"field": "division"})
    missing = [
        f
        for f in ("title", "description", "village_role", "starts_on", "ends_on", "frequency")
        if not data.get(f)
    ]
    if missing:
        raise GateRefused(
            _("Some fields are not valid."),
            details={"fields": {f: _("This field is required.") for f in missing}},
        )
    clean = _validate(data, county)
    clean.setdefault("scope_kind", ScopeKind.COUNTY)
    _check_dates(clean["starts_on"], clean["ends_on"])
    scope = _validate_scope(county, clean["scope_kind"], list(scope or []))
    organisation = user.organisation
    req = AccessRequest(division=county, organisation=organisation, created_by=user, **clean)
    req.number = f"tmp-{uuid.uuid4().hex}"[:30]  # the real number needs the row's id
    req.save()
    req.number = _number(req)
    req.save(update_fields=["number"])
    if scope:
        req.scope_divisions.set(scope)
    record_event(user, "gate.request.create", obj=req, division=county, after=_snapshot(req))
    return req


@transaction.atomic
def access_request_update(
    *,
    user: User,
    request_id: int,
    data: dict[str, Any],
    scope: list[Division] | None = None,
    expected_version: int | None = None,
) -> AccessRequest:
    """Edit a draft (or a returned or blocked request). A submitted request cannot be edited."""
    req = _lock_request(user, request_id, "change")
    _check_version(req, expected_version)
    _require_state(req, EDITABLE_STATUSES, _("edit"))
    clean = _validate(data, req.division)
    for k, v in clean.items():
        setattr(req, k, v)
    _check_dates(req.starts_on, req.ends_on)
    if scope is not None or "scope_kind" in clean:
        chosen = list(scope) if scope is not None else list(req.scope_divisions.all())
        chosen = _validate_scope(req.division, req.scope_kind, chosen)
        req.scope_divisions.set(chosen)
    req.version += 1
    req.save()
    record_event(user, "gate.request.update", obj=req, division=req.division, after=_snapshot(req))
    return req


# --- the flow ------------------------------------------------------------------------


@transaction.atomic
def access_request_submit(
    *, user: User, request_id: int, expected_version: int | None = None
) -> AccessRequest:
    """Screen and file the request. A block stops it here with the clause; otherwise review starts."""
    req = _lock_request(user, request_id, "submit")
    _check_version(req, expected_version)
    _require_state(req, EDITABLE_STATUSES, _("submit"))
    before = _snapshot(req)
    result = _screen(req)
    today = timezone.localdate()
    if req.ends_on < today:
        raise GateRefused(_("The task's end date has passed."), details={"field": "ends_on"})
    if result.verdict == Verdict.BLOCK:
        _bump(req, status=RequestStatus.BLOCKED, verdict=result.verdict, screening=result.as_dict())
        clause = "；".join(f"{h.item_code or h.name}：{h.name}（{h.clause}）" for h in result.negative_hits)
        record_event(
            user,
            "gate.request.blocked",
            obj=req,
            division=req.division,
            summary=clause,
            before=before,
            after=_snapshot(req),
        )
        n.notify(
            n.submitters_of(req),
            kind=NotificationKind.BLOCKED,
            request=req,
            subject=_(
                "%(number)s blocked: the village would be the responsible subject of a negative-list matter"
            )
            % {"number": req.number},
            body=clause,
        )
        return req
    _bump(
        req,
        status=RequestStatus.IN_REVIEW,
        verdict=result.verdict,
        screening=result.as_dict(),
        round=req.round + 1,
        submitted_at=timezone.now(),
        review_due=add_working_days(today, REVIEW_WORKING_DAYS),
        decision_due=None,
    )
    record_event(
        user,
        "gate.request.submit",
        obj=req,
        division=req.division,
        summary=f"verdict={result.verdict}",
        before=before,
        after=_snapshot(req),
    )
    n.notify(
        n.reviewers_of(req.division_id),
        kind=NotificationKind.REVIEW_NEEDED,
        request=req,
        subject=_("Review needed: %(number)s %(title)s (due %(due)s)")
        % {"number": req.number, "title": req.title, "due": req.review_due},
        body=req.description[:500],
    )
    return req


@transaction.atomic
def access_request_review(
    *,
    user: User,
    request_id: int,
    opinion: str,
    reason: str,
    conditions: str = "",
    expected_version: int | None = None,
) -> ReviewOpinion:
    """One reviewing department records its opinion (审核把关). When all three have, the county decides."""
    req = _lock_request(user, request_id, "review")
    _check_version(req, expected_version)
    kind = user.reviewer_kind
    # A reviewer always belongs to an organisation (reviewer_kind is None otherwise).
    if kind not in REVIEWING_KINDS or cast(Organisation, user.organisation).division_id != req.division_id:
        raise NotPermitted(
            _("Only the county's organisation, civil-affairs and agriculture reviewers review.")
        )
    _require_state(req, {RequestStatus.IN_REVIEW}, _("review"))
    if opinion not in Opinion.values:
        raise GateRefused(_("Choose agree, disagree or agree with conditions."), details={"field": "opinion"})
    reason = _require_reason(reason)
    if opinion == Opinion.CONDITIONAL and not (conditions or "").strip():
        raise GateRefused(_("State the conditions."), details={"field": "conditions"})
    if req.opinions.filter(round=req.round, reviewer_kind=kind).exists():
        raise InvalidTransition(_("Your department has already given its opinion in this round."))
    op = ReviewOpinion.objects.create(
        request=req,
        round=req.round,
        reviewer_kind=kind,
        reviewer=user,
        organisation=cast(Organisation, user.organisation),
        opinion=opinion,
        reason=reason,
        conditions=(conditions or "").strip(),
    )
    before = _snapshot(req)
    done = set(req.opinions.filter(round=req.round).values_list("reviewer_kind", flat=True))
    if done >= set(REVIEWING_KINDS):
        _bump(
            req,
            status=RequestStatus.AWAITING_DECISION,
            decision_due=add_working_days(timezone.localdate(), DECISION_WORKING_DAYS),
        )
        n.notify(
            n.approvers_of(req.division_id),
            kind=NotificationKind.DECISION_NEEDED,
            request=req,
            subject=_("Decision needed: %(number)s %(title)s (due %(due)s)")
            % {"number": req.number, "title": req.title, "due": req.decision_due},
        )
    else:
        _bump(req)
    record_event(
        user,
        "gate.request.review",
        obj=req,
        division=req.division,
        summary=f"{kind}: {opinion} — {reason}",
        before=before,
        after=_snapshot(req),
    )
    return op


@transaction.atomic
def access_request_decide(
    *,
    user: User,
    request_id: int,
    outcome: str,
    reason: str,
    valid_until: date | None = None,
    expected_version: int | None = None,
) -> Decision:
    """The county approves, rejects or returns the request, with a reason (批准)."""
    req = _lock_request(user, request_id, "decide")
    _check_version(req, expected_version)
    # Every user but a superuser has an organisation (constraint user_has_role_and_org_unless_superuser).
    if not user.is_superuser and cast(Organisation, user.organisation).division_id != req.division_id:
        raise NotPermitted(_("Only the county's approver decides its requests."))
    _require_state(req, {RequestStatus.AWAITING_DECISION}, _("decide"))
    if outcome not in Outcome.values:
        raise GateRefused(_("Choose approve, reject or return."), details={"field": "outcome"})
    reason = _require_reason(reason)
    before = _snapshot(req)
    changes: dict[str, Any] = {"decided_at": timezone.now()}
    if outcome == Outcome.APPROVE:
        # Guarantee 2: screened again against the lists in force now; no one can approve a block.
        result = _screen(req)
        if result.verdict == Verdict.BLOCK or req.verdict == Verdict.BLOCK:
            raise GateRefused(
                _(
                    "This request makes the village the responsible subject of a negative-list matter; "
                    "it cannot be approved."
                ),
                details={"hits": [h.as_dict() for h in result.negative_hits]},
            )
        today = timezone.localdate()
        until = valid_until or req.ends_on
        if until < today:
            raise GateRefused(_("The approval would already have expired."), details={"field": "valid_until"})
        if until > req.ends_on:
            raise GateRefused(
                _("An approval cannot outlast the task's end date."), details={"field": "valid_until"}
            )
        changes.update(
            status=RequestStatus.APPROVED,
            approved_until=until,
            verdict=result.verdict,
            screening=result.as_dict(),
        )
    elif outcome == Outcome.REJECT:
        changes.update(status=RequestStatus.REJECTED)
    else:
        changes.update(status=RequestStatus.RETURNED)
    decision = Decision.objects.create(
        request=req,
        round=req.round,
        outcome=outcome,
        reason=reason,
        decided_by=user,
        valid_until=changes.get("approved_until"),
    )
    _bump(req, **changes)
    record_event(
        user,
        f"gate.request.{outcome}",
        obj=req,
        division=req.division,
        summary=reason,
        before=before,
        after=_snapshot(req),
    )
    n.notify(
        n.submitters_of(req),
        kind=NotificationKind.DECIDED,
        request=req,
        subject=_("%(number)s: %(outcome)s") % {"number": req.number, "outcome": Outcome(outcome).label},
        body=reason,
    )
    return decision


@transaction.atomic
def access_request_withdraw(
    *, user: User, request_id: int, reason: str = "", expected_version: int | None = None
) -> AccessRequest:
    """The department withdraws a draft or a request still under review."""
    req = _lock_request(user, request_id, "withdraw")
    _check_version(req, expected_version)
    _require_state(req, EDITABLE_STATUSES | OPEN_STATUSES, _("withdraw"))
    before = _snapshot(req)
    was_open = req.status in OPEN_STATUSES
    _bump(req, status=RequestStatus.WITHDRAWN)
    record_event(
        user,
        "gate.request.withdraw",
        obj=req,
        division=req.division,
        summary=(reason or "").strip(),
        before=before,
        after=_snapshot(req),
    )
    if was_open:
        n.notify(
            [*n.reviewers_of(req.division_id), *n.approvers_of(req.division_id)],
            kind=NotificationKind.WITHDRAWN,
            request=req,
            subject=_("%(number)s was withdrawn") % {"number": req.number},
            body=(reason or "").strip(),
        )
    return req


@transaction.atomic
def access_request_renew(*, user: User, request_id: int) -> AccessRequest:
    """A new draft continuing an approval that is about to lapse (or has lapsed)."""
    old = _lock_request(user, request_id, "renew")
    _require_state(old, {RequestStatus.APPROVED, RequestStatus.EXPIRED}, _("renew"))
    length = old.ends_on - old.starts_on
    start = max((old.approved_until or old.ends_on) + timedelta(days=1), timezone.localdate())
    data = {f: getattr(old, f) for f in EDITABLE_FIELDS}
    data.update(starts_on=start, ends_on=start + length)
    new = access_request_create(
        user=user, county=old.division, data=data, scope=list(old.scope_divisions.all())
    )
    new.renews = old
    new.save(update_fields=["renews"])
    record_event(user, "gate.request.renew", obj=old, division=old.division, summary=new.number)
    return new


# --- village tasks: the one way in ------------------------------------------------------


def village_tasks_create(
    *,
    user: User,
    county: Division,
    villages: QuerySet[Division],
    title: str,
    village_role: str,
    starts_on: date,
    due_on: date,
    organisation_id: int,
    access_request: AccessRequest | None = None,
    catalogue_item: Any = None,
) -> DispatchResult:
    """Create one task per village; the only code that writes VillageTask rows.

    Callers have locked and checked their source. Villages that already have a
    task from this source are skipped, so a dispatch can be repeated safely.
    On PostgreSQL the rows go in by COPY (the insert trigger still checks each).
    """
    if (access_request is None) == (catalogue_item is None):
        raise GateRefused(_("A village task comes from exactly one approved request or list item."))
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("village_tasks_create must run inside the caller's transaction")
    source = {"access_request": access_request} if access_request else {"catalogue_item": catalogue_item}
    lo, hi = code_range(county.prefix)
    codes = list(villages.filter(level=Level.VILLAGE, code__range=(lo, hi)).values_list("code", flat=True))
    existing = set(VillageTask.objects.filter(**source).values_list("village_id", flat=True))
    new_codes = [c for c in codes if c not in existing]
    now = timezone.now()
    values = dict(
        county_id=county.pk,
        access_request_id=access_request.pk if access_request else None,
        catalogue_item_id=catalogue_item.pk if catalogue_item else None,
        organisation_id=organisation_id,
        dispatched_by_id=user.pk,
        title=title[:200],
        village_role=village_role,
        starts_on=starts_on,
        due_on=due_on,
        status=TaskStatus.PENDING,
        progress=0,
        note="",
        version=1,
        created=now,
        updated=now,
    )
    if connection.vendor == "postgresql" and len(new_codes) > 200:
        _copy_tasks(new_codes, values)
    else:
        VillageTask.objects.bulk_create(
            (VillageTask(village_id=c, **values) for c in new_codes), batch_size=DISPATCH_BATCH
        )
    return DispatchResult(created=len(new_codes), already=len(codes) - len(new_codes), villages=len(codes))


_COPY_COLUMNS = (
    "village_id",
    "county_id",
    "access_request_id",
    "catalogue_item_id",
    "organisation_id",
    "dispatched_by_id",
    "title",
    "village_role",
    "starts_on",
    "due_on",
    "status",
    "progress",
    "note",
    "version",
    "created",
    "updated",
)


def _copy_tasks(codes: list[str], values: dict[str, Any]) -> None:
    """PostgreSQL COPY of the task rows (psycopg 3), in the current transaction."""
    connection.ensure_connection()
    cols = ", ".join(_COPY_COLUMNS)
    row_tail = tuple(values[c] for c in _COPY_COLUMNS[1:])
    # Django's error wrapping, so that a trigger refusal is an IntegrityError as on the ORM path.
    with connection.wrap_database_errors, connection.connection.cursor() as cur:
        with cur.copy(f"COPY gate_villagetask ({cols}) FROM STDIN") as copy:
            for code in codes:
                copy.write_row((code, *row_tail))


@transaction.atomic
def access_request_dispatch(
    *,
    user: User,
    request_id: int,
    due_on: date | None = None,
    villages: list[Division] | None = None,
    expected_version: int | None = None,
) -> DispatchResult:
    """Send an approved request to the villages in its scope (or a chosen part of it)."""
    req = _lock_request(user, request_id, "dispatch")
    _check_version(req, expected_version)
    # A county approver who is not a superuser has an organisation
    # (constraint user_has_role_and_org_unless_superuser).
    if (
        user.role == Role.COUNTY_APPROVER
        and cast(Organisation, user.organisation).division_id != req.division_id
    ):
        raise NotPermitted(_("Only the county's approver decides its requests."))
    if req.status == RequestStatus.EXPIRED:
        raise GateRefused(_("The approval has expired; renew the request first."))
    _require_state(req, {RequestStatus.APPROVED}, _("dispatch"))
    today = timezone.localdate()
    until = req.approved_until or req.ends_on
    if today > until:
        raise GateRefused(
            _("The approval expired on %(date)s; renew the request first.") % {"date": until},
            details={"approved_until": until.isoformat()},
        )
    due = due_on or until
    if due > until or due < max(req.starts_on, today):
        raise GateRefused(
            _("The due date must fall within the approval (%(start)s – %(end)s).")
            % {"start": max(req.starts_on, today), "end": until},
            details={"field": "due_on"},
        )
    in_scope = scope_villages(req)
    target = in_scope
    if villages:
        chosen = {v.code for v in villages}
        inside = set(in_scope.filter(code__in=chosen).values_list("code", flat=True))
        outside = sorted(chosen - inside)
        if outside:
            raise GateRefused(
                _("These villages are outside the approved scope: %(codes)s") % {"codes": ", ".join(outside)},
                details={"outside": outside},
            )
        target = in_scope.filter(code__in=inside)
    result = village_tasks_create(
        user=user,
        county=req.division,
        villages=target,
        title=req.title,
        village_role=req.village_role,
        starts_on=max(req.starts_on, today),
        due_on=due,
        organisation_id=req.organisation_id,
        access_request=req,
    )
    if result.created == 0 and result.villages == 0:
        raise GateRefused(_("No village lies in the approved scope."))
    _bump(req)
    record_event(
        user,
        "gate.request.dispatch",
        obj=req,
        division=req.division,
        summary=f"{result.created} tasks created, {result.already} already there",
        after=_snapshot(req),
    )
    _notify_townships(req.division_id, target, req, result)
    return result


def _notify_townships(
    county_id: str, villages: QuerySet[Division], req: AccessRequest | None, result
) -> None:
    if not result.created:
        return
    prefixes = {c[:9] for c in villages.values_list("code", flat=True)}
    staff = User.objects.filter(
        role=Role.TOWNSHIP_STAFF, is_active=True, organisation__division_id__in=[p + "000" for p in prefixes]
    )
    n.notify(
        staff,
        kind=NotificationKind.DISPATCHED,
        request=req,
        subject=_("New village tasks: %(title)s") % {"title": req.title if req else ""},
    )


@transaction.atomic
def catalogue_item_dispatch(
    *,
    user: User,
    item_id: int,
    county: Division,
    title: str = "",
    due_on: date,
    townships: list[Division] | None = None,
    villages: list[Division] | None = None,
) -> DispatchResult:
    """Send work under an active autonomy or assist item of the county's lists: no new approval needed."""
    from catalogs.models import CatalogueItem
    from catalogs.selectors import items_in_force

    if (
        not (user.is_superuser or user.role in SUBMITTERS | {Role.COUNTY_APPROVER, Role.CATALOGUE_KEEPER})
        or user.organisation_id is None
    ):
        raise NotPermitted(_("Your role may not dispatch tasks."))
    if not user.is_superuser and not _counties_of(user).filter(pk=county.pk).exists():
        raise GateRefused(_("You cannot dispatch to this county."))
    # Lock the item so that two dispatches of it cannot interleave.
    item = CatalogueItem.objects.select_for_update().filter(pk=item_id).first()
    in_force = items_in_force(county).filter(pk=item_id).exists()
    if item is None or not in_force:
        raise GateRefused(_("This is not an active item of the county's lists."))
    if item.kind == "negative":
        raise GateRefused(_("A negative-list item can never be dispatched to villages."))
    today = timezone.localdate()
    if due_on < today:
        raise GateRefused(_("The due date has passed."), details={"field": "due_on"})
    target = Division.objects.filter(level=Level.VILLAGE, code__range=code_range(county.prefix))
    if townships:
        q = Q()
        for t in townships:
            if t.level != Level.TOWNSHIP or not county.contains(t):
                raise GateRefused(_("%(name)s is not a township of this county.") % {"name": t.name})
            q |= Q(code__range=code_range(t.prefix))
        target = target.filter(q)
    if villages:
        for v in villages:
            if v.level != Level.VILLAGE or not county.contains(v):
                raise GateRefused(_("%(name)s is not a village of this county.") % {"name": v.name})
        target = target.filter(code__in=[v.code for v in villages])
    role = VillageRole.ASSIST if item.kind == "assist" else VillageRole.RESPONSIBLE
    result = village_tasks_create(
        user=user,
        county=county,
        villages=target,
        title=(title or item.name).strip(),
        village_role=role,
        starts_on=today,
        due_on=due_on,
        organisation_id=user.organisation_id,
        catalogue_item=item,
    )
    record_event(
        user,
        "gate.item.dispatch",
        obj=item,
        division=county,
        summary=f"{item.code}: {result.created} tasks created, {result.already} already there",
    )
    return result


@transaction.atomic
def village_task_progress(
    *,
    user: User,
    task_id: int,
    status: str,
    progress: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> VillageTask:
    """Township staff record how a village's task is going."""
    try:
        task = VillageTask.objects.restrict(user, "progress").select_for_update().get(pk=task_id)
    except VillageTask.DoesNotExist:
        if VillageTask.objects.restrict(user, "view").filter(pk=task_id).exists():
            raise NotPermitted(_("Only township staff update their villages' tasks.")) from None
        raise
    _check_version(task, expected_version)
    if task.status == TaskStatus.CANCELLED:
        raise InvalidTransition(_("This task was cancelled."))
    if status not in TaskStatus.values or status == TaskStatus.CANCELLED:
        raise GateRefused(_("Choose not started, in progress or done."), details={"field": "status"})
    progress = 100 if status == TaskStatus.DONE else (progress if progress is not None else task.progress)
    if not 0 <= int(progress) <= 100:
        raise GateRefused(_("Progress is between 0 and 100."), details={"field": "progress"})
    before = {"status": task.status, "progress": task.progress}
    task.status, task.progress, task.version = status, int(progress), task.version + 1
    if note:
        task.note = note.strip()
    task.save(update_fields=["status", "progress", "note", "version", "updated"])
    record_event(
        user,
        "gate.task.progress",
        obj=task,
        division=task.village_id,
        before=before,
        after={"status": task.status, "progress": task.progress},
    )
    return task


# --- dynamic management --------------------------------------------------------------------


@transaction.atomic
def access_request_propose_listing(*, user: User, request_id: int, reason: str) -> Any:
    """Propose that an approved standing assist task join the county's assist list (动态管理, seed 001)."""
    from catalogs import services as catalog_services
    from catalogs.models import Catalogue

    req = _lock_request(user, request_id, "propose_listing")
    _require_state(req, {RequestStatus.APPROVED}, _("propose for listing"))
    if req.village_role == VillageRole.RESPONSIBLE or req.frequency == Frequency.ONCE:
        raise GateRefused(
            _("Only a standing or recurring task the village assists with can join the assist list.")
        )
    if req.listing_proposed_at:
        raise InvalidTransition(_("This request has already been proposed for the assist list."))
    catalogue = Catalogue.objects.filter(division=req.division).first()
    if catalogue is None:
        raise GateRefused(_("The county has no catalogue of its own yet."))
    create = getattr(catalog_services, "change_proposal_create", None)
    if create is None:
        raise GateRefused(_("Proposals to the catalogue are not available yet."))
    item_data = {
        "kind": "assist",
        "name": req.title,
        "content": req.description,
        "legal_basis": [{"instrument": req.legal_basis, "article": ""}] if req.legal_basis else [],
        "responsible_department": req.organisation.name,
        "department_provides": {
            "funding": req.provides_funding,
            "staff": req.provides_staff,
            "equipment": req.provides_equipment,
        },
        "materials": req.materials,
        "frequency": req.get_frequency_display(),
        "hours_per_year": str(req.hours_per_village),
    }
    proposal = create(
        catalogue=catalogue,
        action="add",
        item_data=item_data,
        proposed_by=user,
        reason=_require_reason(reason),
        source=f"{req.number} {req.title}"[:300],
    )
    _bump(req, listing_proposed_at=timezone.now())
    record_event(user, "gate.request.propose_listing", obj=req, division=req.division, summary=reason)
    return proposal


def refusal_record(*, user: User, action: str, request_id: int | None, error: Exception) -> None:
    """Attribute a refused attempt (DESIGN §3.3), in its own transaction: the refused one rolled back."""
    with transaction.atomic():
        req = AccessRequest.objects.filter(pk=request_id).first() if request_id else None
        record_event(
            user,
            "gate.refused",
            obj=req,
            division=req.division_id if req else None,
            summary=f"{action}: {getattr(error, 'code', type(error).__name__)} — {error}"[:1000],
        )


# --- the sweep: deadlines, expiry, the e-mail outbox ------------------------------------------


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def access_requests_expire(*, today: date | None = None) -> int:
    """Approved requests past their end date become expired (each in its own transaction)."""
    today = _today(today)
    count = 0
    for pk in AccessRequest.objects.filter(
        status=RequestStatus.APPROVED, approved_until__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            req = AccessRequest.objects.select_for_update().get(pk=pk)
            if req.status != RequestStatus.APPROVED or not req.approved_until or req.approved_until >= today:
                continue
            before = _snapshot(req)
            _bump(req, status=RequestStatus.EXPIRED)
            record_event(
                None,
                "gate.request.expire",
                obj=req,
                division=req.division,
                before=before,
                after=_snapshot(req),
            )
            count += 1
    return count


def deadline_reminders_send(*, today: date | None = None) -> int:
    """Remind before a review or decision deadline, escalate after it, and ask for renewals."""
    today = _today(today)
    sent = 0
    with transaction.atomic():
        for req in AccessRequest.objects.filter(status=RequestStatus.IN_REVIEW, review_due__isnull=False):
            done = set(req.opinions.filter(round=req.round).values_list("reviewer_kind", flat=True))
            waiting = [u for u in n.reviewers_of(req.division_id) if u.reviewer_kind not in done]
            review_due = cast(date, req.review_due)  # filtered on review_due__isnull=False
            if today > review_due:
                sent += len(
                    n.notify(
                        [*waiting, *n.approvers_of(req.division_id)],
                        kind=NotificationKind.ESCALATION,
                        request=req,
                        subject=_("Review overdue: %(number)s (due %(due)s)")
                        % {"number": req.number, "due": req.review_due},
                        key=f"review-late:{req.pk}:{req.round}",
                    )
                )
            elif today >= add_working_days(review_due, -REMIND_WORKING_DAYS_BEFORE):
                sent += len(
                    n.notify(
                        waiting,
                        kind=NotificationKind.REMINDER,
                        request=req,
                        subject=_("Review due %(due)s: %(number)s")
                        % {"number": req.number, "due": req.review_due},
                        key=f"review-remind:{req.pk}:{req.round}",
                    )
                )
        for req in AccessRequest.objects.filter(
            status=RequestStatus.AWAITING_DECISION, decision_due__isnull=False
        ):
            approvers = list(n.approvers_of(req.division_id))
            decision_due = cast(date, req.decision_due)  # filtered on decision_due__isnull=False
            if today > decision_due:
                sent += len(
                    n.notify(
                        [
                            *approvers,
                            *n.reviewers_of(req.division_id).filter(organisation__kind="organisation_dept"),
                        ],
                        kind=NotificationKind.ESCALATION,
                        request=req,
                        subject=_("Decision overdue: %(number)s (due %(due)s)")
                        % {"number": req.number, "due": req.decision_due},
                        key=f"decision-late:{req.pk}:{req.round}",
                    )
                )
            elif today >= add_working_days(decision_due, -REMIND_WORKING_DAYS_BEFORE):
                sent += len(
                    n.notify(
                        approvers,
                        kind=NotificationKind.REMINDER,
                        request=req,
                        subject=_("Decision due %(due)s: %(number)s")
                        % {"number": req.number, "due": req.decision_due},
                        key=f"decision-remind:{req.pk}:{req.round}",
                    )
                )
        horizon = today + timedelta(days=RENEWAL_NOTICE_DAYS)
        for req in AccessRequest.objects.filter(
            status=RequestStatus.APPROVED, approved_until__gte=today, approved_until__lte=horizon
        ).exclude(renewals__status__in=[*EDITABLE_STATUSES, *OPEN_STATUSES, RequestStatus.APPROVED]):
            sent += len(
                n.notify(
                    n.submitters_of(req),
                    kind=NotificationKind.RENEWAL,
                    request=req,
                    subject=_("%(number)s: the approval ends on %(date)s; renew it if the task continues")
                    % {"number": req.number, "date": req.approved_until},
                    key=f"renew:{req.pk}:{req.approved_until}",
                )
            )
    return sent


def gate_sweep(*, today: date | None = None) -> dict[str, int]:
    """Everything the periodic job does (Celery beat, or ``manage.py gate_reminders``)."""
    expired = access_requests_expire(today=today)
    reminders = deadline_reminders_send(today=today)
    emailed = n.send_emails()
    return {"expired": expired, "reminders": reminders, "emailed": emailed}
