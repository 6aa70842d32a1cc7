"""Working mechanisms and dedicated posts (seed 000 §6, seed 002 §3(6)): the registry and its clean-up."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division
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
