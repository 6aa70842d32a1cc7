"""Working mechanisms and dedicated posts (seed 000 §6, seed 002 §3(6)): the registry and its clean-up.

A new one resting on the province's approval is a request to the gate at the
province level (``gate.services`` with ``level=province``): screened, decided by
the provincial admin with a reason, like every other request. The registry
entry waits (``pending``) and is activated or rejected when the gate closes the
request (``mechanism_request_closed``, registered in ``SignageConfig.ready``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from gate import services as gate_services
from gate.choices import Frequency, Outcome, RequestLevel, RequestStatus, VillageRole
from gate.exceptions import GateError, NotPermitted
from organisations.choices import Role

from ..choices import (
    Cleanup,
    MechanismBasis,
    MechanismKind,
    MechanismStatus,
)
from ..models import WorkingMechanism
from ._common import (
    MECHANISM_FIELDS,
    _choice,
    _own_village,
    _raise,
    _require_role,
    _snapshot,
    _text,
)

# No seed limits how long an approved mechanism stands; the gate's requests carry an
# end date. Five calendar years is the registry's own horizon (缺依据), and the
# yearly clean-up (keep / merge / abolish) reviews every mechanism before then.
MECHANISM_REQUEST_YEARS = 5


def _gate_error(exc: GateError) -> Exception:
    """A refusal of the gate as signage's own errors (the page and API show them per field)."""
    if isinstance(exc, NotPermitted):
        return PermissionDenied(str(exc.message))
    fields = exc.details.get("fields")
    if isinstance(fields, dict) and fields:
        return ValidationError({k: str(v) for k, v in fields.items()})
    return ValidationError({exc.details.get("field") or "__all__": str(exc.message)})


def _province_request(user: Any, mech: WorkingMechanism, village: Division) -> int:
    """File and submit the province-level request for ``mech``; returns its id."""
    province = Division.objects.get(code=village.code[:2] + "0" * 10, level=Level.PROVINCE)
    today = timezone.localdate()
    description = "\n".join(
        line
        for line in (
            _("New %(kind)s in %(village)s, set up by %(dept)s.")
            % {"kind": mech.get_kind_display(), "village": village.name, "dept": mech.set_up_by},
            _("People: %(who)s") % {"who": mech.provides_staff} if mech.provides_staff else "",
            _("Money: %(who)s") % {"who": mech.provides_funding} if mech.provides_funding else "",
        )
        if line
    )
    data = {
        "title": f"{village.name}{mech.name}"[:200],
        "description": description,
        "village_role": VillageRole.ASSIST,
        "legal_basis": mech.basis_reference,
        "scope_kind": "villages",
        "starts_on": today,
        "ends_on": date(today.year + MECHANISM_REQUEST_YEARS, 12, 31),
        "frequency": Frequency.STANDING,
        "provides_staff": mech.provides_staff,
        "provides_funding": mech.provides_funding,
    }
    try:
        req = gate_services.access_request_create(
            user=user, county=province, data=data, scope=[village], level=RequestLevel.PROVINCE
        )
        gate_services.access_request_submit(user=user, request_id=req.pk)
    except GateError as exc:
        raise _gate_error(exc) from exc
    return req.pk


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
            if not (user.is_superuser or user.role == Role.DEPT_SUBMITTER):
                raise PermissionDenied(
                    _("The department that wants a new mechanism asks the province for it.")
                )
            status = MechanismStatus.PENDING
            clean["basis"] = MechanismBasis.PROVINCIAL
            clean["basis_reference"] = ""
    mech = WorkingMechanism.objects.create(
        village=village, requested_by=user, is_new=is_new, status=status, **clean
    )
    if status == MechanismStatus.PENDING:
        mech.access_request_id = _province_request(user, mech, village)
        mech.save(update_fields=["access_request", "updated"])
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
    """The province approves or rejects a new mechanism, with a reason (and its approval reference).

    The decision is the gate's (``access_request_decide`` on the province-level
    request); the registry entry follows it in the same transaction.
    """
    mech = _lock_mechanism(user, mechanism_id, "decide")
    if mech.status != MechanismStatus.PENDING:
        raise ValidationError({"status": _("Only a mechanism awaiting approval can be decided.")})
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason, 2000, required=True)
    reference = _text(errors, "reference", reference, 300, required=approve)
    _raise(errors)
    if mech.access_request_id is None:
        raise ValidationError(
            {"status": _("This request has no provincial request to decide: file it again.")}
        )
    if approve:
        # Kept by the gate's hook below when it activates the mechanism.
        mech.basis_reference = reference
        mech.save(update_fields=["basis_reference", "updated"])
    try:
        gate_services.access_request_decide(
            user=user,
            request_id=mech.access_request_id,
            outcome=Outcome.APPROVE if approve else Outcome.REJECT,
            reason=reason,
        )
    except GateError as exc:
        raise _gate_error(exc) from exc
    mech.refresh_from_db()
    return mech


def mechanism_request_closed(*, request: Any, outcome: str, reason: str, user: Any) -> None:
    """The gate closed a province-level request: activate, reject or keep waiting (returned)."""
    mech = WorkingMechanism.objects.select_for_update().filter(access_request_id=request.pk).first()
    if mech is None or mech.status != MechanismStatus.PENDING:
        return
    if outcome == Outcome.RETURN:
        record_event(
            user, "signage.mechanism_returned", obj=mech, division=mech.village_id, summary=reason[:300]
        )
        return
    statuses: dict[str, str] = {
        Outcome.APPROVE: MechanismStatus.ACTIVE,
        Outcome.REJECT: MechanismStatus.REJECTED,
        RequestStatus.WITHDRAWN: MechanismStatus.WITHDRAWN,
    }
    mech.status = statuses[outcome]
    if outcome != RequestStatus.WITHDRAWN:
        mech.decided_by = user
        mech.decided_at = timezone.now()
    mech.decision_reason = reason
    if outcome == Outcome.APPROVE:
        mech.basis = MechanismBasis.PROVINCIAL
        mech.basis_reference = mech.basis_reference or request.number
    mech.version += 1
    mech.save()
    record_event(
        user,
        "signage.mechanism_decide",
        obj=mech,
        division=mech.village_id,
        summary=f"{mech.status}: {reason} ({request.number})",
    )


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
