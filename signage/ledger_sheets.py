"""The plaque registry's sheets of the ledger (工作台账, seed 000 §11) and its report figures.

Discovered by ``reports.ledger``; no import from ``reports``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from divisions.models import Division

from .choices import RectificationStatus
from .models import Rectification, VillagePlaque


class Inventory:
    key = "signage_inventory"
    order = 50
    title = "牌子清单"
    header = [
        "村（社区）代码", "村（社区）", "牌子文字", "位置", "种类", "对应规定", "房间", "所属部门",
        "状态", "登记日期", "摘除日期", "摘除说明",
    ]  # fmt: skip
    roles = None

    def rows(self, division: Division, date_from: date, date_to: date) -> Iterator[list[Any]]:
        """Plaques hanging at the end of the period, and those taken down within it."""
        qs = (
            VillagePlaque.objects.in_subtree(division.prefix)
            .filter(created__date__lte=date_to)
            .filter(Q(removed_on__isnull=True) | Q(removed_on__gte=date_from))
            .select_related("village")
            .order_by("village_id", "pk")
        )
        for p in qs.iterator(chunk_size=2000):
            yield [
                p.village_id,
                p.village.name,
                p.text,
                p.get_placement_display(),
                p.get_kind_display(),
                p.rule_name,
                p.room,
                p.owner_department,
                p.get_status_display(),
                timezone.localdate(p.created),
                p.removed_on,
                p.removal_note,
            ]


class Rectifications:
    key = "signage_rectifications"
    order = 55
    title = "牌子整改"
    header = [
        "村（社区）代码", "村（社区）", "问题", "违反情形", "依据", "所属部门", "整改期限",
        "状态", "整改结果", "完成日期", "上报日期",
    ]  # fmt: skip
    roles = None

    def rows(self, division: Division, date_from: date, date_to: date) -> Iterator[list[Any]]:
        """Findings open during the period: found by its end and not resolved before its start."""
        qs = (
            Rectification.objects.in_subtree(division.prefix)
            .filter(created__date__lte=date_to)
            .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gte=date_from))
            .select_related("village")
            .order_by("village_id", "due_on", "pk")
        )
        for r in qs.iterator(chunk_size=2000):
            yield [
                r.village_id,
                r.village.name,
                r.message,
                r.get_kind_display(),
                r.source,
                r.owner_department,
                r.due_on,
                r.get_status_display(),
                r.get_resolution_display() if r.resolution else "",
                r.resolved_on,
                r.escalated_on,
            ]


class Rectified:
    key, label, order = "signage_rectified", "牌子整改完成", 80

    def count(self, division: Division, date_from: date, date_to: date) -> int:
        return (
            Rectification.objects.in_subtree(division.prefix)
            .filter(status=RectificationStatus.RESOLVED, resolved_on__range=(date_from, date_to))
            .count()
        )


SHEETS = [Inventory(), Rectifications()]
FIGURES = [Rectified()]
