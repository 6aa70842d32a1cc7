"""What the registry adds to a village's burden account (BURDEN.md): work groups and government apps.

A group or app counts for each village it reaches while it is in use
(registered by the day, not merged or closed by then). Hours a year are the
product's own default, as no seed gives a figure: ``BASE_MINUTES_A_WEEK`` to
follow it, plus ``DEMAND_MINUTES_A_WEEK`` for each of check-ins, screenshots
as proof and rankings it demands; every figure is an estimate.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from divisions.models import Division

from .choices import ChannelKind
from .models import ChannelVillage

BASE_MINUTES_A_WEEK = 10
DEMAND_MINUTES_A_WEEK = 10
WEEKS = 52


def _reach(villages: QuerySet[Division], on: date, kind: str) -> QuerySet[ChannelVillage]:
    end = timezone.make_aware(datetime.combine(on, time.max))
    return ChannelVillage.objects.filter(
        village__in=villages, channel__kind=kind, channel__created__lte=end
    ).filter(Q(channel__ended_on__isnull=True) | Q(channel__ended_on__gt=on))


def _demand_count(prefix: str = "channel__"):
    return sum(
        (
            Cast(f"{prefix}{flag}", IntegerField())
            for flag in ("demands_checkin", "demands_screenshots", "demands_ranking")
        ),
    )


class _ChannelSource:
    kind: str

    def per_village(
        self, villages: QuerySet[Division], on: date
    ) -> dict[str, tuple[int, float, bool]] | None:
        rows = (
            _reach(villages, on, self.kind)
            .values("village_id")
            .annotate(n=Count("id"), demands=Sum(_demand_count()))
        )
        out = {
            r["village_id"]: (
                r["n"],
                round(
                    (r["n"] * BASE_MINUTES_A_WEEK + (r["demands"] or 0) * DEMAND_MINUTES_A_WEEK) * WEEKS / 60,
                    2,
                ),
                True,
            )
            for r in rows
        }
        if out:
            return out
        exists = ChannelVillage.objects.filter(village__in=villages, channel__kind=self.kind).exists()
        return {} if exists else None

    def rows(self, villages: QuerySet[Division], on: date, limit: int = 200) -> list[dict]:
        out = []
        for r in (
            _reach(villages, on, self.kind)
            .select_related("channel__owner", "village")
            .order_by("village_id")[:limit]
        ):
            c = r.channel
            demands = sum((c.demands_checkin, c.demands_screenshots, c.demands_ranking))
            weekly = BASE_MINUTES_A_WEEK + demands * DEMAND_MINUTES_A_WEEK
            out.append(
                {
                    "village": r.village_id,
                    "village_name": r.village.name,
                    "what": f"{c.name}（{c.owner.name}）",
                    "count": 1,
                    "hours": round(weekly * WEEKS / 60, 2),
                    "estimated": True,
                    "basis": f"{weekly} min × {WEEKS} / year",
                    "url": reverse("workgroups:detail", args=[c.pk]),
                }
            )
        return out


class WorkGroups(_ChannelSource):
    key = "work_groups"
    label = _("Work groups (WeChat)")
    order = 70
    kind = ChannelKind.WECHAT_GROUP
    method = _(
        "10 min a week per group, plus 10 for each of check-ins, screenshots and rankings it demands (product default)"
    )


class WorkApps(_ChannelSource):
    key = "work_apps"
    label = _("Government apps")
    order = 75
    kind = ChannelKind.APP
    method = _(
        "10 min a week per app, plus 10 for each of check-ins, screenshots and rankings it demands (product default)"
    )


SOURCES = [WorkGroups(), WorkApps()]
