"""Reading the registry: counts before and after the clean-up, per township and county."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from divisions.models import Division, Level

from .choices import ChannelKind
from .models import ChannelVillage, WorkChannel

TOWNSHIP_DIGITS = 9


def _still_in_use(on: date, prefix: str = "") -> Q:
    # In use on ``on``: not merged or closed by then (ended_on is the decision's effective date).
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": on})


def counts_by_township(county: Division, on: date) -> list[dict[str, Any]]:
    """Per township of the county: groups and apps reaching its villages, registered (before) and still in use on ``on`` (after).

    One grouped query over the villages reached; then the county's own totals (a
    channel reaching two townships counts once in the county).
    """
    rows = (
        ChannelVillage.objects.filter(channel__county=county)
        .annotate(township=Substr("village_id", 1, TOWNSHIP_DIGITS))
        .values("township", "channel__kind")
        .annotate(
            before=Count("channel", distinct=True),
            after=Count("channel", distinct=True, filter=_still_in_use(on, "channel__")),
        )
    )
    names = dict(Division.objects.filter(parent=county, level=Level.TOWNSHIP).values_list("code", "name"))
    table: dict[str, dict[str, Any]] = {}
    for r in rows:
        code = r["township"].ljust(12, "0")
        row = table.setdefault(
            code, {"code": code, "name": names.get(code, code), "groups": [0, 0], "apps": [0, 0]}
        )
        bucket = row["groups" if r["channel__kind"] == ChannelKind.WECHAT_GROUP else "apps"]
        bucket[0], bucket[1] = r["before"], r["after"]
    out = sorted(table.values(), key=lambda r: r["code"])
    totals = (
        WorkChannel.objects.filter(county=county)
        .values("kind")
        .annotate(before=Count("id"), after=Count("id", filter=_still_in_use(on)))
    )
    county_row = {"code": county.pk, "name": county.name, "groups": [0, 0], "apps": [0, 0]}
    for t in totals:
        county_row["groups" if t["kind"] == ChannelKind.WECHAT_GROUP else "apps"] = [t["before"], t["after"]]
    return [*out, county_row]


def channels_visible_to(user) -> QuerySet[WorkChannel]:
    return (
        WorkChannel.objects.restrict(user)
        .select_related("owner", "county", "merged_into")
        .annotate(villages=Count("reach"), members=Sum("reach__members"))
    )
