"""Access-request transitions: create, edit, submit, joint review, decision, withdrawal, renewal, listing proposal."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import PurePath
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from organisations.models import Organisation, User
from villageburden.workdays import add_working_days

from .. import notify as n
from ..choices import (
    EDITABLE_STATUSES,
    LEVEL_RULES,
    OPEN_STATUSES,
    Frequency,
    NotificationKind,
    Opinion,
    Outcome,
    RequestLevel,
    RequestStatus,
    ScopeKind,
    Verdict,
    VillageRole,
)
from ..exceptions import GateRefused, InvalidTransition, NotPermitted
from ..models import SUBMITTERS, AccessRequest, Attachment, Decision, ReviewOpinion
from ..screening import screen
from ._common import (
    DECISION_WORKING_DAYS,
    EDITABLE_FIELDS,
    REVIEW_WORKING_DAYS,
    _bump,
    _check_dates,
    _check_length,
    _check_version,
    _counties_of,
    _lock_request,
    _number,
    _require_reason,
    _require_state,
    _screen,
    _snapshot,
    _validate,
    _validate_scope,
    scope_villages,
)

# --- the level a request is decided at -----------------------------------------------

# What another app does when a request of its level is closed (approved, rejected,
# returned or withdrawn): ``handler(request=, outcome=, reason=, user=)``, called in
# the same transaction. Registered from the app's ``ready()``.
_CLOSE_HANDLERS: dict[str, list[Callable[..., None]]] = {}


def on_request_closed(level: str, handler: Callable[..., None]) -> None:
    """Have ``handler`` told of every decision (or withdrawal) of a request of ``level``."""
    handlers = _CLOSE_HANDLERS.setdefault(level, [])
    if handler not in handlers:
        handlers.append(handler)


def _closed(req: AccessRequest, *, outcome: str, reason: str, user: User) -> None:
    for handler in _CLOSE_HANDLERS.get(req.level, []):
        handler(request=req, outcome=outcome, reason=reason, user=user)


def _reviewers(req: AccessRequest):
    rules = LEVEL_RULES[req.level]
    if not rules.review_kinds:
        return User.objects.none()
    return User.objects.filter(
        role=rules.reviewer_role, organisation__division_id=req.division_id, is_active=True
    )


def _approvers(req: AccessRequest):
    return n.approvers_of(req.division_id, req.level)


def _screen_at_level(req: AccessRequest):
    """Screened against the lists of the county the villages belong to (a province has no lists)."""
    if req.level == RequestLevel.COUNTY:
        return _screen(req)
    village = req.scope_divisions.order_by("code").first()
    county = Division.objects.filter(code=village.code[:6] + "000000").first() if village else None
    return screen(
        county=county or req.division,
        title=req.title,
        description=req.description,
        village_role=req.village_role,
        extra=f"{req.materials}\n{req.legal_basis}",
    )


@transaction.atomic
def access_request_create(
    *,
    user: User,
    county: Division,
    data: dict[str, Any],
    scope: list[Division] | None = None,
    level: str = RequestLevel.COUNTY,
) -> AccessRequest:
    """A new draft, filed by a department submitter (or a portal) to a county it works in.

    At ``level=province`` the draft is filed to the province (``county`` is then
    the province) by a department working inside it.
    """
    if not (user.is_superuser or user.role in SUBMITTERS) or user.organisation_id is None:
        raise NotPermitted(_("Only department submitters and portals file access requests."))
    if level not in LEVEL_RULES:
        raise GateRefused(_("Choose a level."), details={"field": "level"})
    if level == RequestLevel.COUNTY:
        if not user.is_superuser and not _counties_of(user).filter(pk=county.pk).exists():
            raise GateRefused(_("You cannot file requests to this county."), details={"field": "division"})
        if county.level != Level.COUNTY:
            raise GateRefused(_("Requests are filed to a county."), details={"field": "division"})
    else:
        if county.level != LEVEL_RULES[level].division_level:
            raise GateRefused(_("This request is filed to a province."), details={"field": "division"})
        prefix = user.jurisdiction_prefix or ""
        if not user.is_superuser and not (prefix and prefix.startswith(county.prefix)):
            raise GateRefused(_("You cannot file requests to this province."), details={"field": "division"})
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
    req = AccessRequest(division=county, organisation=organisation, created_by=user, level=level, **clean)
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
    result = _screen_at_level(req)
    today = timezone.localdate()
    if req.ends_on < today:
        raise GateRefused(_("The task's end date has passed."), details={"field": "ends_on"})
    if result.verdict == Verdict.BLOCK:
        _bump(req, user, status=RequestStatus.BLOCKED, verdict=result.verdict, screening=result.as_dict())
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
    reviewed = bool(LEVEL_RULES[req.level].review_kinds)
    _bump(
        req,
        user,
        status=RequestStatus.IN_REVIEW if reviewed else RequestStatus.AWAITING_DECISION,
        verdict=result.verdict,
        screening=result.as_dict(),
        round=req.round + 1,
        submitted_at=timezone.now(),
        review_due=add_working_days(today, REVIEW_WORKING_DAYS) if reviewed else None,
        decision_due=None if reviewed else add_working_days(today, DECISION_WORKING_DAYS),
    )
    record_event(
        user,
        "gate.request.submit",
        obj=req,
        division=req.division,
        summary=_("Screening: %(verdict)s") % {"verdict": Verdict(result.verdict).label},
        before=before,
        after=_snapshot(req),
    )
    if not reviewed:
        n.notify(
            _approvers(req),
            kind=NotificationKind.DECISION_NEEDED,
            request=req,
            subject=_("Decision needed: %(number)s %(title)s (due %(due)s)")
            % {"number": req.number, "title": req.title, "due": req.decision_due},
            body=req.description[:500],
        )
        return req
    n.notify(
        _reviewers(req),
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
    review_kinds = LEVEL_RULES[req.level].review_kinds
    # A reviewer always belongs to an organisation (reviewer_kind is None otherwise).
    if kind not in review_kinds or cast(Organisation, user.organisation).division_id != req.division_id:
        raise NotPermitted(
            _("Only the county's organisation, civil-affairs and agriculture reviewers review.")
        )
    _require_state(req, {RequestStatus.IN_REVIEW}, _("review"))
    if opinion not in Opinion.values:
        raise GateRefused(_("Choose agree, disagree or agree with conditions."), details={"field": "opinion"})
    reason = _require_reason(reason)
    if opinion == Opinion.CONDITIONAL and not (conditions or "").strip():
        raise GateRefused(_("State the conditions."), details={"field": "conditions"})
    _check_length("conditions", (conditions or "").strip())
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
    if done >= set(review_kinds):
        _bump(
            req,
            user,
            status=RequestStatus.AWAITING_DECISION,
            decision_due=add_working_days(timezone.localdate(), DECISION_WORKING_DAYS),
        )
        n.notify(
            _approvers(req),
            kind=NotificationKind.DECISION_NEEDED,
            request=req,
            subject=_("Decision needed: %(number)s %(title)s (due %(due)s)")
            % {"number": req.number, "title": req.title, "due": req.decision_due},
        )
    else:
        _bump(req, user)
    record_event(
        user,
        "gate.request.review",
        obj=req,
        division=req.division,
        summary=f"{user.organisation}: {Opinion(opinion).label} — {reason}",
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
    if not user.is_superuser and user.role != LEVEL_RULES[req.level].approver_role:
        raise NotPermitted(_("Only the county's approver decides its requests."))
    _require_state(req, {RequestStatus.AWAITING_DECISION}, _("decide"))
    if outcome not in Outcome.values:
        raise GateRefused(_("Choose approve, reject or return."), details={"field": "outcome"})
    reason = _require_reason(reason)
    before = _snapshot(req)
    changes: dict[str, Any] = {"decided_at": timezone.now()}
    if outcome == Outcome.APPROVE:
        # Guarantee 2: screened again against the lists in force now; no one can approve a block.
        result = _screen_at_level(req)
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
    _bump(req, user, **changes)
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
    _closed(req, outcome=outcome, reason=reason, user=user)
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
    _bump(req, user, status=RequestStatus.WITHDRAWN)
    record_event(
        user,
        "gate.request.withdraw",
        obj=req,
        division=req.division,
        summary=_check_length("reason", (reason or "").strip()),
        before=before,
        after=_snapshot(req),
    )
    if was_open:
        n.notify(
            [*_reviewers(req), *_approvers(req)],
            kind=NotificationKind.WITHDRAWN,
            request=req,
            subject=_("%(number)s was withdrawn") % {"number": req.number},
            body=(reason or "").strip(),
        )
    _closed(req, outcome=RequestStatus.WITHDRAWN, reason=(reason or "").strip(), user=user)
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
        user=user, county=old.division, data=data, scope=list(old.scope_divisions.all()), level=old.level
    )
    new.renews = old
    new.save(update_fields=["renews"])
    record_event(user, "gate.request.renew", obj=old, division=old.division, summary=new.number)
    return new


# --- village tasks: the one way in ------------------------------------------------------


@transaction.atomic
def access_request_propose_listing(*, user: User, request_id: int, reason: str) -> Any:
    """Propose that an approved standing assist task join the county's assist list (动态管理, seed 001)."""
    from catalogs import selectors as catalog_selectors
    from catalogs import services as catalog_services

    from ..screening import settlements_of

    req = _lock_request(user, request_id, "propose_listing")
    _require_state(req, {RequestStatus.APPROVED}, _("propose for listing"))
    if not LEVEL_RULES[req.level].dispatches:
        raise GateRefused(_("Only a county's task for villages can join its assist list."))
    if req.village_role == VillageRole.RESPONSIBLE or req.frequency == Frequency.ONCE:
        raise GateRefused(
            _("Only a standing or recurring task the village assists with can join the assist list.")
        )
    if req.listing_proposed_at:
        raise InvalidTransition(_("This request has already been proposed for the assist list."))
    # The list of the settlement kind the task reaches (a task only for communities joins theirs).
    settlement = "community" if settlements_of(scope_villages(req)) == ["community"] else "village"
    catalogue = catalog_selectors.catalogue_for(req.division, settlement)
    if catalogue is None or catalogue.division_id != req.division_id:
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
    _bump(req, user, listing_proposed_at=timezone.now())
    record_event(user, "gate.request.propose_listing", obj=req, division=req.division, summary=reason)
    return proposal


@transaction.atomic
def access_request_attach(*, user: User, request_id: int, upload) -> Attachment:
    """Attach a document or image to an editable request: checked by name, content and size."""
    from villageburden.uploads import attachment_check

    req = _lock_request(user, request_id, "change")
    _require_state(req, EDITABLE_STATUSES, _("attach files to"))
    try:
        attachment_check(upload)
    except ValidationError as exc:
        raise GateRefused(exc.messages[0], details={"field": "attachment"}) from None
    name = PurePath(upload.name).name[:200]
    attachment = Attachment.objects.create(request=req, file=upload, name=name)
    record_event(user, "gate.request.attach", obj=req, division=req.division, summary=name)
    return attachment
