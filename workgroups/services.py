"""Every change to the registry of work groups and apps goes through here, audited.

- A township (for its villages) or the county's keepers register a group or
  an app: owner institution (named through ``institutions``), purpose, the
  villages it reaches with members or users, and whether it demands
  check-ins, screenshots or rankings.
- The county decides, with a reason and the date it takes effect, to keep,
  merge (into another of the same kind and county) or close each; merged
  and closed ones are final. Each decision locks the row, checks the state,
  writes the decision, the new status and an audit event together.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from institutions.services import institution_for
from villageburden.decisions import clean_reason

from .choices import GONE, KIND_INPUT, ChannelKind, ChannelStatus, CleanupOutcome
from .models import DECIDERS, REGISTRARS, ChannelVillage, CleanupDecision, WorkChannel

if TYPE_CHECKING:
    from organisations.models import User

NAME_LIMIT = 120
PURPOSE_LIMIT = 300
MAX_MEMBERS = 100_000
OUTCOME_STATUS = {
    CleanupOutcome.KEEP: ChannelStatus.KEPT,
    CleanupOutcome.MERGE: ChannelStatus.MERGED,
    CleanupOutcome.CLOSE: ChannelStatus.CLOSED,
}


def registrable_villages(user: User) -> QuerySet[Division]:
    """The villages a user may say a group or app reaches: those of their jurisdiction."""
    if user is None or not user.is_authenticated or not (user.is_superuser or user.role in REGISTRARS):
        return Division.objects.none()
    return Division.objects.restrict(user).filter(level=Level.VILLAGE)


def channel_clean(data: dict[str, Any]) -> dict[str, Any]:
    """A registration checked (page, API and spreadsheet share it). ``villages``: {code: members}."""
    errors: dict[str, list[str]] = {}
    kind_text = str(data.get("kind") or "").strip()
    kind = KIND_INPUT.get(kind_text) or kind_text
    if kind not in ChannelKind.values:
        errors["kind"] = [_("Say whether it is a WeChat work group or a government app.")]
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        errors["name"] = [_("Name the group or app.")]
    elif len(name) > NAME_LIMIT:
        errors["name"] = [_("At most %(limit)s characters.") % {"limit": NAME_LIMIT}]
    owner = " ".join(str(data.get("owner_name") or "").split())
    if not owner:
        errors["owner_name"] = [_("Name the institution that runs it.")]
    purpose = " ".join(str(data.get("purpose") or "").split())
    if not purpose:
        errors["purpose"] = [_("Say what it is used for.")]
    elif len(purpose) > PURPOSE_LIMIT:
        errors["purpose"] = [_("At most %(limit)s characters.") % {"limit": PURPOSE_LIMIT}]
    villages: dict[str, int] = {}
    for code, members in dict(data.get("villages") or {}).items():
        try:
            number = int(members)
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= MAX_MEMBERS:
            errors.setdefault("villages", []).append(
                _("Give the members of %(village)s as a whole number.") % {"village": code}
            )
        villages[str(code)] = number
    if not villages and "villages" not in errors:
        errors["villages"] = [_("Say which villages it reaches.")]
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "name": name,
        "owner_name": owner,
        "purpose": purpose,
        "villages": villages,
        **{f: bool(data.get(f)) for f in ("demands_checkin", "demands_screenshots", "demands_ranking")},
    }


@transaction.atomic
def channel_register(*, user: User, data: dict[str, Any]) -> WorkChannel:
    """Register a group or app aimed at villages; the villages must be the user's and of one county."""
    if not (user.is_superuser or user.role in REGISTRARS):
        raise PermissionDenied(_("You may not register work groups or apps."))
    values = channel_clean(data)
    codes = list(values["villages"])
    allowed = dict(registrable_villages(user).filter(pk__in=codes).values_list("code", "name"))
    foreign = [c for c in codes if c not in allowed]
    if foreign:
        raise ValidationError(
            {
                "villages": [
                    _("%(village)s is not a village you may register for.") % {"village": c} for c in foreign
                ]
            }
        )
    counties = {c[:6].ljust(12, "0") for c in codes}
    if len(counties) != 1:
        raise ValidationError(
            {"villages": [_("A registry is kept per county: choose villages of one county.")]}
        )
    county = Division.objects.get(pk=counties.pop())
    if WorkChannel.objects.filter(county=county, kind=values["kind"], name=values["name"]).exists():
        raise ValidationError({"name": [_("This county's registry already has one of this name.")]})
    owner = institution_for(county=county, name=values["owner_name"], field="owner_name")
    channel = WorkChannel.objects.create(
        county=county,
        kind=values["kind"],
        name=values["name"],
        owner=owner,
        purpose=values["purpose"],
        demands_checkin=values["demands_checkin"],
        demands_screenshots=values["demands_screenshots"],
        demands_ranking=values["demands_ranking"],
        registered_by=user,
    )
    ChannelVillage.objects.bulk_create(
        ChannelVillage(channel=channel, village_id=code, members=n) for code, n in values["villages"].items()
    )
    record_event(
        user,
        "workgroups.register",
        obj=channel,
        division=county.pk,
        summary=f"{channel.get_kind_display()} {channel.name} · {owner.name} · {len(codes)}",
    )
    return channel


@transaction.atomic
def cleanup_decide(
    *,
    user: User,
    channel: WorkChannel,
    outcome: str,
    reason: str,
    effective_on: date | None,
    merge_into: WorkChannel | None = None,
) -> CleanupDecision:
    """The county decides to keep, merge or close a group or app, with its reason and date."""
    if not (user.is_superuser or user.role in DECIDERS) or not (
        WorkChannel.objects.restrict(user, "decide").filter(pk=channel.pk).exists()
    ):
        raise PermissionDenied(_("You may not decide on this group or app."))
    channel = WorkChannel.objects.select_for_update().get(pk=channel.pk)
    errors: dict[str, list[str]] = {}
    if channel.status in GONE:
        raise ValidationError(_("It is already merged or closed; the decision stands."))
    if outcome not in CleanupOutcome.values:
        errors["outcome"] = [_("Choose keep, merge or close.")]
    try:
        reason = clean_reason(reason)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if effective_on is None:
        errors["effective_on"] = [_("Give the date the decision takes effect.")]
    if outcome == CleanupOutcome.MERGE:
        if merge_into is None:
            errors["merge_into"] = [_("Choose what it is merged into.")]
        elif (
            merge_into.pk == channel.pk
            or merge_into.county_id != channel.county_id
            or merge_into.kind != channel.kind
            or merge_into.status in GONE
        ):
            errors["merge_into"] = [
                _("Choose another group or app of the same kind in this county, still in use.")
            ]
    else:
        merge_into = None
    if errors or effective_on is None:
        raise ValidationError(errors)
    decision = CleanupDecision.objects.create(
        channel=channel,
        outcome=outcome,
        reason=reason,
        decided_by=user,
        merge_into=merge_into,
        effective_on=effective_on,
    )
    channel.status = OUTCOME_STATUS[CleanupOutcome(outcome)]
    channel.merged_into = merge_into
    channel.ended_on = effective_on if channel.status in GONE else None
    channel.save(update_fields=["status", "merged_into", "ended_on", "updated"])
    record_event(
        user,
        "workgroups.decide",
        obj=channel,
        division=channel.county_id,
        summary=f"{channel.name}: {decision.get_outcome_display()} · {effective_on} · {reason[:200]}",
    )
    return decision
