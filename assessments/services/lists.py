"""The assessment items list (考核评比项目清单, seed 004 task 13: 全面梳理面向村(社区)考核和"一票否决"事项).

Versioned like the other lists (villageburden/versioning.py): a county's first
draft inherits its province's list in force for the same settlement kind;
a published version never changes; the list in force on a day is the
published version with the latest effective date on or before it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from villageburden import versioning
from villageburden.versioning import KEEPER_LEVEL

from ..choices import KIND_CODE_PREFIX, AppliesTo, AssessmentKind, Frequency, ItemStatus
from ..models import AssessmentItem, AssessmentList, AssessmentListVersion

if TYPE_CHECKING:
    from organisations.models import User

ITEM_FIELDS = (
    "code",
    "kind",
    "name",
    "common_names",
    "owner",
    "basis",
    "basis_missing",
    "frequency",
    "measures",
    "hours_per_occurrence",
    "status",
    "source",
)
TEXT_FIELDS = ("common_names", "basis", "source")


def require_keeper(user: User, assessment_list: AssessmentList, action: str = "change") -> None:
    if (
        user is None
        or not AssessmentList.objects.restrict(user, action).filter(pk=assessment_list.pk).exists()
    ):
        raise PermissionDenied(_("You may not change this assessment items list."))


@transaction.atomic
def assessment_list_create(*, division: Division, applies_to: str, name: str, user: User) -> AssessmentList:
    """Open a province's guidance list or a county's list, for villages, communities or both."""
    if division.level not in (Level.PROVINCE, Level.COUNTY):
        raise ValidationError({"division": _("Assessment items lists are kept by provinces and counties.")})
    if applies_to not in AppliesTo.values:
        raise ValidationError({"applies_to": _("Choose villages, communities or both.")})
    if not user.is_superuser and (
        KEEPER_LEVEL.get(user.role) != division.level or not versioning.covers(user, division)
    ):
        raise PermissionDenied(_("You may not open an assessment items list here."))
    if AssessmentList.objects.filter(division=division, applies_to=applies_to).exists():
        raise ValidationError({"applies_to": _("This division already has such a list.")})
    guidance = None
    if division.level == Level.COUNTY:
        guidance = AssessmentList.objects.filter(
            division_id=division.ancestor_at(Level.PROVINCE), applies_to=applies_to
        ).first()
    created = AssessmentList.objects.create(
        division=division, applies_to=applies_to, name=(name or "").strip()[:200], guidance=guidance
    )
    record_event(user, "assessments.list_create", obj=created, summary=created.name)
    return created


@transaction.atomic
def draft_get_or_create(*, assessment_list: AssessmentList, user: User) -> AssessmentListVersion:
    """The list's draft; a new one copies the latest published version (or the province's list in force)."""
    require_keeper(user, assessment_list)
    return versioning.draft_open(
        assessment_list, user=user, event="assessments.draft_create", fields=ITEM_FIELDS
    )


def has_published(assessment_list: AssessmentList) -> bool:
    return assessment_list.versions.filter(status=versioning.VersionStatus.PUBLISHED).exists()


def item_clean(data: dict[str, Any]) -> dict[str, Any]:
    """The item's values, or a ValidationError with a message per field (form, API and import share it)."""
    values: dict[str, Any] = {f: data.get(f) for f in ITEM_FIELDS}
    for f, v in values.items():
        if isinstance(v, str):
            values[f] = v.strip()
    errors: dict[str, list[str]] = {}
    values["code"] = values["code"] or ""
    for f in ("name", "owner", "measures"):
        values[f] = values[f] or ""
    if not values["name"]:
        errors["name"] = [_("Give the assessment's name.")]
    if not values["owner"]:
        errors["owner"] = [_("Name the department that owns this assessment.")]
    if not values["measures"]:
        errors["measures"] = [_("Say what the assessment measures.")]
    if values["kind"] not in AssessmentKind.values:
        errors["kind"] = [_("Choose an assessment, evaluation, ranking or one-vote veto.")]
    if values["frequency"] not in Frequency.values:
        errors["frequency"] = [_("Choose how often it takes place.")]
    values["status"] = values["status"] or ItemStatus.ACTIVE
    if values["status"] not in ItemStatus.values:
        errors["status"] = [_("Unknown status.")]
    for f in TEXT_FIELDS:
        values[f] = values[f] or ""
    values["basis_missing"] = bool(values["basis_missing"])
    if not values["basis"] and not values["basis_missing"]:
        errors["basis"] = [_("Cite the basis, or flag it as to be supplied.")]
    hours = values["hours_per_occurrence"]
    if hours in ("", None):
        values["hours_per_occurrence"] = None
    else:
        try:
            values["hours_per_occurrence"] = Decimal(str(hours)).quantize(Decimal("0.1"))
            if not Decimal(0) <= values["hours_per_occurrence"] <= Decimal(1000):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["hours_per_occurrence"] = [_("Give the hours as a number from 0 to 1000.")]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def item_save(
    *, version: AssessmentListVersion, data: dict[str, Any], user: User, item: AssessmentItem | None = None
) -> AssessmentItem:
    """Add an item to a draft, or change one of its items (found by ``item`` or by code).

    Once the list has been published, an item is added or cancelled only
    through dynamic management (``services.proposals``, seed 001: 事前协商、评估审核、
    审定批准).
    """
    version = versioning.lock_draft(
        AssessmentListVersion.objects.select_related("assessment_list"), version.pk
    )
    require_keeper(user, version.assessment_list)
    return item_write(version=version, data=data, user=user, item=item, published_rule=True)


def item_write(
    *,
    version: AssessmentListVersion,
    data: dict[str, Any],
    user: User,
    item: AssessmentItem | None = None,
    published_rule: bool,
) -> AssessmentItem:
    """Write an item into a locked draft whose writer was checked by the caller.

    ``published_rule``: refuse to add or cancel once the list is published
    (every caller but the approved proposal, which is that procedure).
    """
    values = item_clean(data)
    values["code"] = values["code"] or (
        item.code if item else versioning.next_code(version, KIND_CODE_PREFIX[AssessmentKind(values["kind"])])
    )
    item = versioning.item_for_code(version, values["code"], item)
    if published_rule and has_published(version.assessment_list):
        if item is None:
            raise ValidationError(
                _("This list is published: an item is added through a change proposal (动态管理).")
            )
        if values["status"] != item.status:
            raise ValidationError(
                {
                    "status": _(
                        "Cancelling or restoring a listed item goes through a change proposal (动态管理)."
                    )
                }
            )
    before = {f: str(getattr(item, f)) for f in ("code", "kind", "name", "status")} if item else None
    if item is None:
        item = AssessmentItem(version=version, division_id=version.assessment_list.division_id)
    for f in ITEM_FIELDS:
        setattr(item, f, values[f])
    item.save()
    record_event(
        user,
        "assessments.item_save",
        obj=item,
        before=before,
        after={f: str(getattr(item, f)) for f in ("code", "kind", "name", "status")},
    )
    return item


@transaction.atomic
def version_publish(
    *, version: AssessmentListVersion, effective_from: date | None, user: User, note: str = ""
) -> AssessmentListVersion:
    """Publish a draft: from ``effective_from`` it is the list in force, unchangeable."""
    version = versioning.lock_draft(
        AssessmentListVersion.objects.select_related("assessment_list"), version.pk
    )
    assessment_list = version.assessment_list
    require_keeper(user, assessment_list, "publish")
    return versioning.publish(
        assessment_list,
        version,
        effective_from=effective_from,
        user=user,
        note=note,
        event="assessments.publish",
    )
