"""Every change to the community seal-use scope lists goes through here, audited.

The list is versioned like every list (villageburden/versioning.py): a county's
first draft inherits its province's list in force, adds its own uses, and is
published with the date it takes effect. Each write locks what it changes,
checks the keeper inside the transaction and records an audit event with it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from villageburden import versioning
from villageburden.versioning import KEEPER_LEVEL

from .choices import KIND_CODE_PREFIX, ItemStatus, UseKind
from .models import SealList, SealListVersion, SealUseItem

if TYPE_CHECKING:
    from organisations.models import User

ITEM_FIELDS = (
    "code",
    "kind",
    "name",
    "common_names",
    "reason",
    "conditions",
    "legal_basis",
    "basis_missing",
    "source",
    "status",
)


def require_keeper(user: User, seal_list: SealList, action: str = "change") -> None:
    if user is None or not SealList.objects.restrict(user, action).filter(pk=seal_list.pk).exists():
        raise PermissionDenied(_("You may not change this seal-use scope list."))


@transaction.atomic
def seal_list_create(*, division: Division, name: str, user: User) -> SealList:
    """Open the seal-use scope list of a province (guidance) or a county (derived from its province's)."""
    if division.level not in (Level.PROVINCE, Level.COUNTY):
        raise ValidationError({"division": _("Seal-use scope lists are kept by provinces and counties.")})
    if not name.strip():
        raise ValidationError({"name": _("Give the list a name.")})
    if not user.is_superuser and (
        KEEPER_LEVEL.get(user.role) != division.level
        or not Division.objects.restrict(user).filter(pk=division.pk).exists()
    ):
        raise PermissionDenied(_("You may not open a seal-use scope list here."))
    if SealList.objects.select_for_update().filter(division=division).exists():
        raise ValidationError({"division": _("This division already has a seal-use scope list.")})
    guidance = None
    if division.level == Level.COUNTY:
        guidance = SealList.objects.filter(division_id=division.ancestor_at(Level.PROVINCE)).first()
    seal_list = SealList.objects.create(division=division, name=name.strip(), guidance=guidance)
    record_event(user, "seals.list_create", obj=seal_list, summary=seal_list.name)
    return seal_list


@transaction.atomic
def draft_get_or_create(*, seal_list: SealList, user: User) -> SealListVersion:
    """The list's draft; a new one is a complete copy of the latest published version
    (or, for a county with nothing published, of its province's list in force)."""
    require_keeper(user, seal_list)
    return versioning.draft_open(seal_list, user=user, event="seals.draft_create", fields=ITEM_FIELDS)


def item_clean(data: dict[str, Any]) -> dict[str, Any]:
    """The item's values, or a ValidationError with a message per field (form, API and demo share it)."""
    values: dict[str, Any] = {f: data.get(f) for f in ITEM_FIELDS}
    for f in ITEM_FIELDS:
        if f != "basis_missing":
            values[f] = str(values[f] or "").strip()
    values["basis_missing"] = bool(data.get("basis_missing"))
    values["status"] = values["status"] or ItemStatus.ACTIVE
    errors: dict[str, list[str]] = {}
    if not values["name"]:
        errors["name"] = [_("Say what the seal would be put on.")]
    elif len(values["name"]) > 200:
        errors["name"] = [_("At most 200 characters.")]
    if values["kind"] not in UseKind.values:
        errors["kind"] = [_("Choose whether the seal may or may not be used for it.")]
    if values["status"] not in ItemStatus.values:
        errors["status"] = [_("Unknown status.")]
    if not values["source"]:
        errors["source"] = [_("Cite the policy text it comes from (never invent a rule).")]
    if not values["legal_basis"] and not values["basis_missing"]:
        errors["legal_basis"] = [_("Cite the legal basis, or flag it as to be supplied.")]
    if values["kind"] == UseKind.MAY_NOT and not values["reason"]:
        errors["reason"] = [_("Say why the seal may not be used for it.")]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def item_save(*, version: SealListVersion, data: dict[str, Any], user: User) -> SealUseItem:
    """Add a use to a draft, or change the draft's use with the same code."""
    version = versioning.lock_draft(SealListVersion.objects.select_related("seal_list"), version.pk)
    require_keeper(user, version.seal_list)
    values = item_clean(data)
    values["code"] = values["code"] or versioning.next_code(
        version, KIND_CODE_PREFIX[UseKind(values["kind"])]
    )
    item = version.items.filter(code=values["code"]).first()
    before = None if item is None else {f: getattr(item, f) for f in ITEM_FIELDS}
    if item is None:
        item = SealUseItem(version=version, division_id=version.seal_list.division_id)
    for f, v in values.items():
        setattr(item, f, v)
    item.save()
    record_event(
        user,
        "seals.item_save",
        obj=item,
        division=version.seal_list.division_id,
        before=before,
        after=values,
    )
    return item


@transaction.atomic
def item_delete(*, item: SealUseItem, user: User) -> None:
    """Remove a use from a draft (published versions never change)."""
    version = versioning.lock_draft(SealListVersion.objects.select_related("seal_list"), item.version_id)
    require_keeper(user, version.seal_list)
    item = version.items.select_for_update().get(pk=item.pk)
    record_event(
        user,
        "seals.item_delete",
        obj=item,
        division=version.seal_list.division_id,
        before={f: getattr(item, f) for f in ITEM_FIELDS},
    )
    item.delete()


@transaction.atomic
def version_publish(
    *, version: SealListVersion, effective_from: date | None, user: User, note: str = ""
) -> SealListVersion:
    """Publish a draft: from ``effective_from`` it is the list in force, unchangeable."""
    version = versioning.lock_draft(SealListVersion.objects.select_related("seal_list"), version.pk)
    seal_list = version.seal_list
    require_keeper(user, seal_list, "publish")
    return versioning.publish(
        seal_list, version, effective_from=effective_from, user=user, note=note, event="seals.publish"
    )
