"""Every change to the lists goes through here: one set of rules, audited.

Rules (DESIGN.md §3.5, seed 001, seed 003 §3(2)):

- A catalogue is a series of versions; at most one draft. Published versions
  never change; a new draft starts as a complete copy of the latest published
  version (or, for a county with nothing published, of its province's
  guidance in force).
- Once a catalogue has been published, an item is added to it or cancelled
  from it only through the dynamic-management procedure (proposal →
  consultation → assessment → approval), or — for a county — by adopting a
  change its province published.
- A county may mark an inherited item not applicable, with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from audit.services import record_event
from divisions.models import Division, Level
from listchanges import procedure
from villageburden import bulkwrite, versioning

from .choices import KIND_CODE_PREFIX, AppliesTo, ItemStatus, VersionStatus
from .models import KEEPER_LEVEL, Catalogue, CatalogueItem, CatalogueVersion, ChangeProposal
from .validation import COMPARED_FIELDS, ITEM_FIELDS, fingerprint, item_clean

if TYPE_CHECKING:
    from organisations.models import User

# Fields a county takes over from its province's item on adoption.
GUIDANCE_FIELDS = tuple(f for f in COMPARED_FIELDS if f not in ("status", "status_reason"))


# --- permission helpers -----------------------------------------------------


def require_keeper(user: User, catalogue: Catalogue, action: str = "change") -> None:
    """The user may ``action`` this catalogue: a keeper inside its jurisdiction."""
    if user is None or not Catalogue.objects.restrict(user, action).filter(pk=catalogue.pk).exists():
        raise PermissionDenied(_("You may not change this catalogue."))


def _snapshot(item: CatalogueItem) -> dict[str, Any]:
    values = {f: getattr(item, f) for f in COMPARED_FIELDS}
    values["hours_per_year"] = str(values["hours_per_year"])
    for f in ("effective_from", "effective_to"):
        values[f] = values[f].isoformat() if values[f] else None
    return values


def _errors(errors: dict[str, list[str]]) -> ValidationError:
    return ValidationError({k: v for k, v in errors.items()})


def has_published(catalogue: Catalogue) -> bool:
    return catalogue.versions.filter(status=VersionStatus.PUBLISHED).exists()


def latest_published(catalogue: Catalogue) -> CatalogueVersion | None:
    return versioning.latest_published(catalogue.versions.all())


# --- catalogues and drafts --------------------------------------------------


@transaction.atomic
def catalogue_create(
    *,
    division: Division,
    name: str,
    user: User,
    guidance: Catalogue | None = None,
    applies_to: str = AppliesTo.VILLAGES,
) -> Catalogue:
    """Open the catalogue of a province (guidance) or a county (derived), for villages, communities or both.

    A division keeps one list per settlement kind: a villages' list and a
    communities' list side by side, or one list for both (seed 002, end).
    """
    if division.level not in (Level.PROVINCE, Level.COUNTY):
        raise ValidationError({"division": _("Catalogues are kept by provinces and counties.")})
    if applies_to not in AppliesTo.values:
        raise ValidationError({"applies_to": _("Choose villages, communities or both.")})
    if not user.is_superuser and (
        KEEPER_LEVEL.get(user.role) != division.level or not versioning.covers(user, division)
    ):
        raise PermissionDenied(_("You may not open a catalogue here."))
    # Lock the division's row so that two keepers cannot open overlapping lists at once.
    Division.objects.select_for_update().filter(pk=division.pk).first()
    overlapping = {applies_to} | (
        {AppliesTo.VILLAGES, AppliesTo.COMMUNITIES} if applies_to == AppliesTo.BOTH else set()
    )
    overlapping.add(AppliesTo.BOTH)
    if division.level == Level.COUNTY:
        province = Division.objects.get(pk=division.ancestor_at(Level.PROVINCE))
        guidance = guidance or guidance_for(province, applies_to)
        if guidance is not None and guidance.division_id != province.code:
            raise ValidationError({"guidance": _("A county derives from its own province's guidance.")})
    else:
        guidance = None
    if Catalogue.objects.filter(division=division, applies_to__in=overlapping).exists():
        raise ValidationError({"division": _("This division already has a catalogue for these settlements.")})
    catalogue = Catalogue.objects.create(
        division=division, name=name.strip(), guidance=guidance, applies_to=applies_to
    )
    record_event(user, "catalogs.catalogue_create", obj=catalogue, summary=catalogue.name)
    return catalogue


def guidance_for(province: Division, applies_to: str) -> Catalogue | None:
    """The province's guidance a new county list derives from: the same settlement kind, else one for both."""
    found = {c.applies_to: c for c in Catalogue.objects.filter(division=province)}
    if applies_to == AppliesTo.BOTH:
        return found.get(AppliesTo.BOTH) or found.get(AppliesTo.VILLAGES)
    return found.get(applies_to) or found.get(AppliesTo.BOTH)


def _copy_items(source: CatalogueVersion, target: CatalogueVersion, user: User, *, inherit: bool) -> int:
    """Copy every item of ``source`` into ``target`` (a complete copy, see models)."""
    items = []
    for item in source.items.all().iterator(chunk_size=2000):
        values = {f: getattr(item, f) for f in COMPARED_FIELDS}
        if inherit:
            # A county inherits only what is in force at the province.
            if item.status != ItemStatus.ACTIVE:
                continue
            inherited_from: int | None = item.pk
        else:
            inherited_from = item.inherited_from_id
        items.append(
            CatalogueItem(
                version=target,
                division_id=target.catalogue.division_id,
                inherited_from_id=inherited_from,
                **values,
            )
        )
    if items:
        bulk_create_with_history(items, CatalogueItem, batch_size=2000, default_user=user)
    return len(items)


def _draft(catalogue: Catalogue, user: User) -> CatalogueVersion:
    """The catalogue's draft, created as a copy of its latest published version."""
    Catalogue.objects.select_for_update().get(pk=catalogue.pk)  # one draft at a time
    draft = catalogue.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        return draft
    number = (catalogue.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    base = latest_published(catalogue)
    guidance_version = None
    if base is None and catalogue.guidance is not None:
        from .selectors import version_in_force

        guidance_version = version_in_force(catalogue.guidance) or latest_published(catalogue.guidance)
    draft = CatalogueVersion.objects.create(
        catalogue=catalogue,
        number=number,
        guidance_version=base.guidance_version if base else guidance_version,
    )
    if base is not None:
        copied = _copy_items(base, draft, user, inherit=False)
    elif guidance_version is not None:
        copied = _copy_items(guidance_version, draft, user, inherit=True)
    else:
        copied = 0
    record_event(
        user,
        "catalogs.draft_create",
        obj=draft,
        division=catalogue.division_id,
        summary=_("Version %(number)s: %(copied)s items copied") % {"number": number, "copied": copied},
    )
    return draft


@transaction.atomic
def draft_get_or_create(*, catalogue: Catalogue, user: User) -> CatalogueVersion:
    require_keeper(user, catalogue)
    return _draft(catalogue, user)


@transaction.atomic
def draft_discard(*, version: CatalogueVersion, user: User) -> None:
    version = CatalogueVersion.objects.select_for_update().get(pk=version.pk)
    require_keeper(user, version.catalogue)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("A published version can never be discarded."))
    if version.proposals.exists():
        raise ValidationError(_("Approved proposals were applied to this draft; publish it instead."))
    record_event(user, "catalogs.draft_discard", obj=version, division=version.catalogue.division_id)
    version.items.all().delete()
    version.delete()


def _lock_draft(version: CatalogueVersion) -> CatalogueVersion:
    return versioning.lock_draft(CatalogueVersion.objects.select_related("catalogue"), version.pk)


@transaction.atomic
def version_publish(
    *, version: CatalogueVersion, effective_from: date, user: User, note: str = ""
) -> CatalogueVersion:
    """Publish a draft: from ``effective_from`` it is the list in force, unchangeable."""
    version = _lock_draft(version)
    catalogue = version.catalogue
    require_keeper(user, catalogue, "publish")
    versioning.check_effective_from(latest_published(catalogue), effective_from)
    count = version.items.count()
    if count == 0:
        raise ValidationError(_("An empty catalogue cannot be published."))
    versioning.mark_published(version, effective_from=effective_from, user=user, note=note)
    record_event(
        user,
        "catalogs.publish",
        obj=version,
        division=catalogue.division_id,
        summary=_("Version %(number)s, %(count)s items, effective %(date)s")
        % {"number": version.number, "count": count, "date": effective_from.isoformat()},
        after={"number": version.number, "effective_from": effective_from.isoformat(), "items": count},
    )
    return version


# --- items ------------------------------------------------------------------


def _clean_or_raise(data: dict[str, Any], *, require_code: bool = True) -> dict[str, Any]:
    values, errors = item_clean(data, require_code=require_code)
    if errors:
        raise _errors(errors)
    return values


def next_code(version: CatalogueVersion, kind: str) -> str:
    """The next free code of a list in a version: ZZ-01, ZZ-02, …"""
    return versioning.next_code(version, KIND_CODE_PREFIX[kind])


def _create_item(
    version: CatalogueVersion,
    values: dict[str, Any],
    user: User,
    *,
    inherited_from: CatalogueItem | None = None,
    event: str = "catalogs.item_create",
    summary: str = "",
) -> CatalogueItem:
    if version.items.filter(code=values["code"]).exists():
        raise ValidationError({"code": _("The code %(code)s is already used in this catalogue.") % values})
    item = CatalogueItem(
        version=version,
        division_id=version.catalogue.division_id,
        inherited_from=inherited_from,
        **{f: values[f] for f in COMPARED_FIELDS},
    )
    item._history_user = user
    item.save()
    record_event(user, event, obj=item, summary=summary or item.name, after=_snapshot(item))
    return item


@transaction.atomic
def item_create(*, version: CatalogueVersion, data: dict[str, Any], user: User) -> CatalogueItem:
    """Add an item to a draft. Once a catalogue is published, only a proposal adds items."""
    version = _lock_draft(version)
    require_keeper(user, version.catalogue)
    if has_published(version.catalogue):
        raise ValidationError(
            _("This catalogue is published: an item is added through a change proposal (动态管理).")
        )
    values = _clean_or_raise(data, require_code=False)
    values["code"] = values["code"] or next_code(version, values["kind"])
    if values["status"] == ItemStatus.NOT_APPLICABLE:
        raise ValidationError(
            {"status": _("Only an item inherited from the guidance can be not applicable.")}
        )
    return _create_item(version, values, user)


def _check_update(item: CatalogueItem, values: dict[str, Any], published: bool) -> None:
    errors: dict[str, list[str]] = {}
    if item.is_inherited or published:
        if values["code"] != item.code:
            errors["code"] = [_("The code of a listed item is stable and cannot change.")]
        if values["kind"] != item.kind:
            errors["kind"] = [_("A listed item cannot move to another list.")]
    if values["status"] != item.status:
        if values["status"] == ItemStatus.NOT_APPLICABLE and not item.is_inherited:
            errors["status"] = [_("Only an item inherited from the guidance can be not applicable.")]
        if published and ItemStatus.CANCELLED in (values["status"], item.status):
            errors["status"] = [
                _("Cancelling or restoring a listed item goes through a change proposal (动态管理).")
            ]
    if errors:
        raise _errors(errors)


class StaleItem(ValidationError):
    """The item changed since the caller read it (a lost update is refused)."""


def item_etag(item: CatalogueItem) -> str:
    return f'"{item.pk}-{int(item.updated.timestamp() * 1_000_000)}"'


@transaction.atomic
def item_update(
    *, item: CatalogueItem, data: dict[str, Any], user: User, if_match: str | None = None
) -> CatalogueItem:
    """Change an item of a draft (published versions never change).

    ``if_match``: the ETag the caller read; under the row lock, a different
    current ETag means someone else changed the item meanwhile.
    """
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    if if_match and if_match != item_etag(item):
        raise StaleItem(_("Someone else changed this item since you opened it; reload it."))
    version = _lock_draft(item.version)
    require_keeper(user, version.catalogue)
    merged = {f: getattr(item, f) for f in ITEM_FIELDS}
    merged.update({k: v for k, v in data.items() if k in ITEM_FIELDS})
    values = _clean_or_raise(merged)
    _check_update(item, values, has_published(version.catalogue))
    if values["code"] != item.code and version.items.filter(code=values["code"]).exists():
        raise ValidationError({"code": _("The code %(code)s is already used in this catalogue.") % values})
    if fingerprint(values) == fingerprint({f: getattr(item, f) for f in COMPARED_FIELDS}):
        return item  # nothing changed: no history row, no audit event
    before = _snapshot(item)
    for f in COMPARED_FIELDS:
        setattr(item, f, values[f])
    item._history_user = user
    item.save()
    record_event(user, "catalogs.item_update", obj=item, before=before, after=_snapshot(item))
    return item


@transaction.atomic
def item_delete(*, item: CatalogueItem, user: User) -> None:
    """Remove an item from a draft of a catalogue never published (after that: cancel it by proposal)."""
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    version = _lock_draft(item.version)
    require_keeper(user, version.catalogue)
    if has_published(version.catalogue):
        raise ValidationError(_("A listed item is cancelled through a change proposal, not deleted."))
    if item.is_inherited:
        raise ValidationError(_("An inherited item is marked not applicable, not deleted."))
    record_event(user, "catalogs.item_delete", obj=item, before=_snapshot(item))
    item._history_user = user
    item.delete()


@transaction.atomic
def item_mark_not_applicable(*, item: CatalogueItem, reason: str, user: User) -> CatalogueItem:
    """A county marks an item inherited from the province not applicable here, with a reason."""
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    version = _lock_draft(item.version)
    require_keeper(user, version.catalogue)
    if not item.is_inherited:
        raise ValidationError(_("Only an item inherited from the guidance can be not applicable."))
    if not reason.strip():
        raise ValidationError({"status_reason": _("Give the reason why it does not apply here.")})
    before = _snapshot(item)
    item.status = ItemStatus.NOT_APPLICABLE
    item.status_reason = reason.strip()
    item._history_user = user
    item.save()
    record_event(user, "catalogs.item_not_applicable", obj=item, summary=reason.strip(), before=before)
    return item


@transaction.atomic
def item_reinstate(*, item: CatalogueItem, user: User) -> CatalogueItem:
    """Undo "not applicable": the inherited item applies again."""
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    version = _lock_draft(item.version)
    require_keeper(user, version.catalogue)
    if item.status != ItemStatus.NOT_APPLICABLE:
        raise ValidationError(_("Only an item marked not applicable can be reinstated."))
    item.status = ItemStatus.ACTIVE
    item.status_reason = ""
    item._history_user = user
    item.save()
    record_event(user, "catalogs.item_reinstate", obj=item)
    return item


# --- adopting the province's changes ----------------------------------------


@dataclass
class GuidanceChange:
    code: str
    change: str  # "new", "changed", "cancelled"
    guidance_item: CatalogueItem | None
    county_item: CatalogueItem | None
    fields: list[str] = field(default_factory=list)
    # A county item cancelled because the province cancelled it, now active upstream again.
    reinstate: bool = False


def guidance_changes(catalogue: Catalogue) -> tuple[CatalogueVersion | None, list[GuidanceChange]]:
    """What the province's guidance in force has that the county's lists do not (yet).

    Compared against the county's draft if it has one, else its latest
    published version. An upstream change is one the county has not adopted:
    the guidance item differs from the one the county item was inherited from.
    """
    from .selectors import version_in_force

    if catalogue.guidance is None:
        return None, []
    guidance = version_in_force(catalogue.guidance) or latest_published(catalogue.guidance)
    if guidance is None:
        return None, []
    own = catalogue.versions.filter(status=VersionStatus.DRAFT).first() or latest_published(catalogue)
    county = {i.code: i for i in own.items.select_related("inherited_from")} if own else {}
    changes = []
    upstream = {i.code: i for i in guidance.items.all()}
    for code, g in sorted(upstream.items()):
        c = county.get(code)
        if g.status != ItemStatus.ACTIVE:
            if c is not None and c.is_inherited and c.status == ItemStatus.ACTIVE:
                changes.append(GuidanceChange(code, "cancelled", g, c))
            continue
        if c is None:
            changes.append(GuidanceChange(code, "new", g, None))
            continue
        base = c.inherited_from
        if base is not None and base.pk == g.pk:
            continue
        reference = _snapshot(base) if base is not None else _snapshot(c)
        target = _snapshot(g)
        diff = [f for f in GUIDANCE_FIELDS if reference[f] != target[f]]
        # Cancelled here because the province had cancelled it: active there again, so here too.
        # Cancelled by the county's own decision (its base was active): that decision stands, and
        # only a change of the province's text is offered (the item stays cancelled).
        reinstate = c.status == ItemStatus.CANCELLED and (base is None or base.status != ItemStatus.ACTIVE)
        if diff or reinstate or base is None:
            changes.append(GuidanceChange(code, "changed", g, c, diff, reinstate=reinstate))
    for code, c in sorted(county.items()):
        if c.is_inherited and code not in upstream and c.status == ItemStatus.ACTIVE:
            changes.append(GuidanceChange(code, "cancelled", None, c))
    return guidance, changes


@transaction.atomic
def guidance_adopt(*, catalogue: Catalogue, user: User, codes: list[str] | None = None) -> CatalogueVersion:
    """Take the province's published changes into the county's draft.

    No proposal is needed: the province made these changes through its own
    dynamic-management procedure, and its guidance binds the county (seed 000 §2).
    """
    require_keeper(user, catalogue)
    if catalogue.guidance_id is None:
        raise ValidationError(_("This catalogue has no guidance catalogue to adopt from."))
    draft = _draft(catalogue, user)
    guidance, changes = guidance_changes(catalogue)
    if codes is not None:
        changes = [c for c in changes if c.code in set(codes)]
    for change in changes:
        g, c = change.guidance_item, change.county_item
        if change.change == "new":
            values = {f: getattr(g, f) for f in COMPARED_FIELDS}
            _create_item(draft, values, user, inherited_from=g, event="catalogs.item_adopt")
            continue
        # "changed" and "cancelled" always carry the county's item (guidance_changes).
        c = CatalogueItem.objects.select_for_update().get(pk=cast(CatalogueItem, c).pk)
        before = _snapshot(c)
        if change.change == "changed":
            for f in GUIDANCE_FIELDS:
                setattr(c, f, getattr(g, f))
            if change.reinstate:
                c.status, c.status_reason = ItemStatus.ACTIVE, ""
            c.inherited_from = g
        else:
            c.status = ItemStatus.CANCELLED
            c.status_reason = _("Cancelled in the provincial guidance catalogue.")
            if g is not None:
                c.inherited_from = g
        c._history_user = user
        c.save()
        record_event(
            user, "catalogs.item_adopt", obj=c, summary=change.change, before=before, after=_snapshot(c)
        )
    draft.guidance_version = guidance
    draft.save(update_fields=["guidance_version", "updated"])
    record_event(
        user,
        "catalogs.adopt",
        obj=draft,
        division=catalogue.division_id,
        summary=_("%(count)s changes adopted from %(guidance)s")
        % {"count": len(changes), "guidance": guidance},
    )
    return draft


# --- dynamic management: change proposals -----------------------------------


class CatalogueProcedure(procedure.ListProcedure):
    """The catalogue's part of the shared dynamic-management procedure (``listchanges``)."""

    app = "catalogs"
    proposal_model = ChangeProposal
    list_field = "catalogue"
    # The catalogue's approval has always taken an optional opinion.
    approval_needs_reason = False

    def clean_add(self, owner, data, item_code, source):
        values, errors = item_clean({**data, "code": data.get("code") or item_code}, require_code=False)
        if errors:
            raise _errors(errors)
        if values["status"] != ItemStatus.ACTIVE:
            raise ValidationError({"status": _("A proposed item is active.")})
        data = {k: values[k] for k in ITEM_FIELDS if k not in ("status", "status_reason")}
        for f in ("effective_from", "effective_to"):
            data[f] = data[f].isoformat() if data[f] else None
        data["hours_per_year"] = str(data["hours_per_year"])
        data["source"] = data["source"] or source
        return data

    def item_in_force_or_draft(self, owner: Catalogue, code: str) -> CatalogueItem | None:
        draft: CatalogueVersion | None = owner.versions.filter(status=VersionStatus.DRAFT).first()
        version = draft or latest_published(owner)
        if version is None:
            return None
        return CatalogueItem.objects.filter(version=version, code=code).first()

    def open_draft(self, owner, user):
        return _lock_draft(_draft(owner, user))

    def apply_add(self, draft, proposal, user):
        values = _clean_or_raise(proposal.item_data, require_code=False)
        values["code"] = values["code"] or next_code(draft, values["kind"])
        values["source"] = values["source"] or proposal.source
        _create_item(
            draft, values, user, event="catalogs.item_create", summary=f"{proposal}: {values['name']}"
        )
        return values["code"]

    def apply_cancel(self, draft, proposal, user):
        item = draft.items.select_for_update().filter(code=proposal.item_code).first()
        if item is None or item.status != ItemStatus.ACTIVE:
            raise ValidationError(_("The item to cancel is no longer active in the draft."))
        before = _snapshot(item)
        item.status = ItemStatus.CANCELLED
        item.status_reason = proposal.reason
        item._history_user = user
        item.save()
        record_event(user, "catalogs.item_cancel", obj=item, summary=proposal.reason, before=before)


PROCEDURE = CatalogueProcedure()


def change_proposal_create(
    *,
    catalogue: Catalogue,
    action: str,
    item_data: dict,
    proposed_by: User,
    reason: str,
    item_code: str = "",
    source: str = "",
) -> ChangeProposal:
    """Start the dynamic-management procedure: propose to add or cancel an item.

    "确需新增或取消的...严格执行事前协商、评估审核、审定批准程序后，动态纳入清单管理"
    (seed 001). The access gate calls this to propose that an approved
    standing assist task be listed in the county's assist list.
    """
    return cast(
        ChangeProposal,
        procedure.proposal_create(
            procedure=PROCEDURE,
            owner=catalogue,
            action=action,
            item_data=item_data,
            proposed_by=proposed_by,
            reason=reason,
            item_code=item_code,
            source=source,
        ),
    )


def change_proposal_consult(*, proposal: ChangeProposal, user: User, opinion: str) -> ChangeProposal:
    """事前协商: record the consultation (with the departments and villages concerned)."""
    return procedure.proposal_consult(procedure=PROCEDURE, proposal=proposal, user=user, opinion=opinion)


def change_proposal_assess(*, proposal: ChangeProposal, user: User, opinion: str) -> ChangeProposal:
    """评估审核: record the assessment and review."""
    return procedure.proposal_assess(procedure=PROCEDURE, proposal=proposal, user=user, opinion=opinion)


def change_proposal_approve(*, proposal: ChangeProposal, user: User, opinion: str = "") -> ChangeProposal:
    """审定批准: approve, and write the change into the catalogue's draft."""
    return procedure.proposal_approve(procedure=PROCEDURE, proposal=proposal, user=user, opinion=opinion)


def change_proposal_reject(*, proposal: ChangeProposal, user: User, opinion: str) -> ChangeProposal:
    return procedure.proposal_reject(procedure=PROCEDURE, proposal=proposal, user=user, opinion=opinion)


# --- bulk writes for the spreadsheet import ---------------------------------


@transaction.atomic
def items_bulk_write(
    *,
    version: CatalogueVersion,
    creates: list[dict[str, Any]],
    updates: list[tuple[int, dict[str, Any]]],
    user: User,
) -> None:
    """Write one batch of checked import rows into a draft, with history rows.

    Rows were checked with ``item_clean`` and against the catalogue's rules by
    the import; this re-checks the draft is still a draft under the lock.
    """
    version = _lock_draft(version)
    require_keeper(user, version.catalogue)
    # The rows are item_clean's values: the compared fields, no other key (checked on the first).
    if creates and set(creates[0]) != set(COMPARED_FIELDS):
        raise ValueError("import rows must hold exactly the item's compared fields")
    bulkwrite.create_with_history(
        CatalogueItem,
        creates,
        user=user,
        same={"version_id": version.pk, "division_id": version.catalogue.division_id},
    )
    bulkwrite.update_with_history(
        CatalogueItem,
        [(pk, {f: values[f] for f in COMPARED_FIELDS}) for pk, values in updates],
        COMPARED_FIELDS,
        user=user,
        within={"version_id": version.pk},
    )
