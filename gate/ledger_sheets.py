"""The gate's sheets of the ledger (工作台账, seed 000 §11) and its figures for the periodic reports.

Discovered by ``reports.ledger`` (``autodiscover_modules("ledger_sheets")``); no import from ``reports``.
A request is filed to its county; below the county (a township's ledger) the requests shown are those
whose tasks reached villages of the township.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from divisions.models import Division, Level

from .choices import Outcome, RequestStatus
from .models import AccessRequest, Decision, VillageTask


def _requests_of(division: Division) -> QuerySet[AccessRequest]:
    """Submitted requests (never a department's draft) that concern ``division``."""
    qs = AccessRequest.objects.exclude(status=RequestStatus.DRAFT)
    if division.level <= Level.COUNTY:
        return qs.in_subtree(division.prefix)
    return qs.filter(pk__in=_tasks_of(division).values("access_request_id"))


def _tasks_of(division: Division) -> QuerySet[VillageTask]:
    return VillageTask.objects.in_subtree(division.prefix)


class Approvals:
    key = "gate_approvals"
    order = 20
    title = "准入审批"
    header = [
        "申请编号", "事项名称", "申请单位", "村级组织角色", "依据", "开始日期", "结束日期", "频次",
        "每村工时（小时）", "提交日期", "状态", "联审意见", "决定", "决定理由", "决定日期", "决定人", "有效期至",
    ]  # fmt: skip
    roles = None

    def rows(self, division: Division, date_from: date, date_to: date) -> Iterator[list[Any]]:
        """Requests submitted or decided within the period, with every review opinion and the decision."""
        period = (date_from, date_to)
        qs = (
            _requests_of(division)
            .filter(Q(submitted_at__date__range=period) | Q(decided_at__date__range=period))
            .select_related("organisation")
            .prefetch_related("opinions__organisation", "decisions__decided_by")
            .order_by("submitted_at", "number")
        )
        for req in qs.iterator(chunk_size=500):
            opinions = "；".join(
                f"{o.organisation.name if o.organisation_id else o.reviewer_kind}：{o.get_opinion_display()}（{o.reason}）"
                for o in req.opinions.all()
            )
            decision = max(req.decisions.all(), key=lambda d: d.round, default=None)
            yield [
                req.number,
                req.title,
                req.organisation.name,
                req.get_village_role_display(),
                req.legal_basis,
                req.starts_on,
                req.ends_on,
                req.get_frequency_display(),
                req.hours_per_village,
                timezone.localdate(req.submitted_at) if req.submitted_at else None,
                req.get_status_display(),
                opinions,
                decision.get_outcome_display() if decision else "",
                decision.reason if decision else "",
                timezone.localdate(decision.created) if decision else None,
                (decision.decided_by.display_name or decision.decided_by.username) if decision else "",
                req.approved_until,
            ]


class Dispatches:
    key = "gate_dispatches"
    order = 30
    title = "派发任务"
    header = [
        "村（社区）代码", "村（社区）", "乡镇", "任务", "来源", "交办单位", "村级组织角色",
        "派发日期", "开始日期", "截止日期", "状态", "进度（%）", "备注",
    ]  # fmt: skip
    roles = None

    def rows(self, division: Division, date_from: date, date_to: date) -> Iterator[list[Any]]:
        """Tasks running in the period (started by its end, due after its start)."""
        qs = (
            _tasks_of(division)
            .filter(starts_on__lte=date_to, due_on__gte=date_from)
            .select_related("village__parent", "organisation", "access_request", "catalogue_item")
            .order_by("village_id", "starts_on", "pk")
        )
        for task in qs.iterator(chunk_size=2000):
            source = (
                f"准入申请 {task.access_request.number}"
                if task.access_request_id
                else f"清单事项 {task.catalogue_item.code}"
            )
            yield [
                task.village_id,
                task.village.name,
                task.village.parent.name if task.village.parent_id else "",
                task.title,
                source,
                task.organisation.name,
                task.get_village_role_display(),
                timezone.localdate(task.created),
                task.starts_on,
                task.due_on,
                task.get_status_display(),
                task.progress,
                task.note,
            ]


# --- figures of the periodic reports (周报告、月小结, seed 004 annex 1) ------------------------


class _Figure:
    key = ""
    label = ""
    order = 0

    def count(self, division: Division, date_from: date, date_to: date) -> int:
        raise NotImplementedError


class NewRequests(_Figure):
    key, label, order = "gate_new", "新提交准入申请", 10

    def count(self, division, date_from, date_to):
        return _requests_of(division).filter(submitted_at__date__range=(date_from, date_to)).count()


class _Decided(_Figure):
    outcome = ""

    def count(self, division, date_from, date_to):
        return (
            Decision.objects.filter(request__in=_requests_of(division), outcome=self.outcome)
            .filter(created__date__range=(date_from, date_to))
            .count()
        )


class Approved(_Decided):
    key, label, order, outcome = "gate_approved", "批准准入", 20, Outcome.APPROVE


class Refused(_Decided):
    key, label, order, outcome = "gate_refused", "不予准入", 30, Outcome.REJECT


class NewDispatches(_Figure):
    key, label, order = "gate_dispatched", "派发到村任务", 40

    def count(self, division, date_from, date_to):
        return _tasks_of(division).filter(created__date__range=(date_from, date_to)).count()


class OverdueReviews(_Figure):
    key, label, order = "gate_overdue_reviews", "逾期未审（期末）", 50

    def count(self, division, date_from, date_to):
        return (
            _requests_of(division)
            .filter(
                Q(status=RequestStatus.IN_REVIEW, review_due__lt=date_to)
                | Q(status=RequestStatus.AWAITING_DECISION, decision_due__lt=date_to)
            )
            .count()
        )


SHEETS = [Approvals(), Dispatches()]
FIGURES = [NewRequests(), Approved(), Refused(), NewDispatches(), OverdueReviews()]
