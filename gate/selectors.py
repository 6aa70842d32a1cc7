"""Reading the gate: queues, what a user may do, progress, the public page."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from divisions.models import Division, Level
from organisations.choices import Role

from .choices import (
    EDITABLE_STATUSES,
    LEVEL_RULES,
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    Frequency,
    RequestStatus,
    TaskStatus,
)
from .models import SUBMITTERS, AccessRequest, ReviewOpinion, VillageTask


def queue_for(user) -> QuerySet[AccessRequest] | None:
    """The requests waiting for this user: reviewers' and approvers' queues; a submitter's open ones."""
    qs = AccessRequest.objects.restrict(user).select_related("division", "organisation")
    if user.role == Role.COUNTY_REVIEWER and user.reviewer_kind:
        waiting = qs.filter(status=RequestStatus.IN_REVIEW, division_id=user.organisation.division_id)
        mine = ReviewOpinion.objects.filter(
            request=OuterRef("pk"), round=OuterRef("round"), reviewer_kind=user.reviewer_kind
        )
        return waiting.filter(~Exists(mine)).order_by("review_due", "id")
    deciding = [lv for lv, r in LEVEL_RULES.items() if r.approver_role == user.role]
    if deciding:
        return qs.filter(status=RequestStatus.AWAITING_DECISION, level__in=deciding).order_by(
            "decision_due", "id"
        )
    if user.role in SUBMITTERS:
        return qs.filter(status__in=[*EDITABLE_STATUSES, *OPEN_STATUSES]).order_by("-updated")
    return None


def allowed_actions(user, req: AccessRequest, current_opinions) -> dict[str, bool]:
    """Which buttons to show; the services decide again on every click."""
    own = user.is_superuser or (user.role in SUBMITTERS and user.organisation_id == req.organisation_id)
    in_county = user.is_superuser or (
        user.organisation_id and user.organisation.division_id == req.division_id
    )
    kinds = {o.reviewer_kind for o in current_opinions}
    rules = LEVEL_RULES[req.level]
    standing = rules.dispatches and req.frequency != Frequency.ONCE and req.village_role != "responsible"
    return {
        "edit": own and req.status in EDITABLE_STATUSES,
        # A blocked request would only be blocked again: it is edited first (then submitted from the form).
        "submit": own and req.status in (RequestStatus.DRAFT, RequestStatus.RETURNED),
        "withdraw": own and req.status in (EDITABLE_STATUSES | OPEN_STATUSES),
        "review": bool(
            user.role == rules.reviewer_role
            and user.reviewer_kind in rules.review_kinds
            and in_county
            and req.status == RequestStatus.IN_REVIEW
            and user.reviewer_kind not in kinds
        ),
        "decide": bool(
            user.role == rules.approver_role and in_county and req.status == RequestStatus.AWAITING_DECISION
        ),
        "dispatch": bool(
            rules.dispatches
            and req.status == RequestStatus.APPROVED
            and (own or (user.role == Role.COUNTY_APPROVER and in_county))
            and (req.approved_until or req.ends_on) >= timezone.localdate()
        ),
        "renew": own and rules.dispatches and req.status in (RequestStatus.APPROVED, RequestStatus.EXPIRED),
        "propose": bool(
            req.status == RequestStatus.APPROVED
            and standing
            and not req.listing_proposed_at
            and (own or (in_county and user.role in (Role.COUNTY_APPROVER, Role.CATALOGUE_KEEPER)))
        ),
    }


def task_summary(user, req: AccessRequest) -> dict[str, int]:
    counts = dict(
        VillageTask.objects.restrict(user)
        .filter(access_request=req)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    counts["total"] = sum(counts.values())
    return counts


def task_for(user, pk: int) -> VillageTask | None:
    """One village task in the user's jurisdiction, with its source (request or list item)."""
    return (
        VillageTask.objects.restrict(user)
        .select_related(
            "village",
            "county",
            "organisation",
            "access_request",
            "access_request__organisation",
            "catalogue_item",
            "catalogue_item__version__catalogue",
        )
        .filter(pk=pk)
        .first()
    )


def progress_by_township(tasks: QuerySet[VillageTask]) -> list[dict]:
    """Task counts by status, per township (the first nine digits of the village code)."""
    rows: dict[str, dict] = {}
    for village_id, status, n in tasks.values_list("village_id", "status").annotate(n=Count("id")):
        code = village_id[:9] + "000"
        row = rows.setdefault(code, {"code": code, **{s: 0 for s in TaskStatus.values}, "total": 0})
        row[status] += n
        row["total"] += n
    names = dict(Division.objects.filter(pk__in=rows).values_list("code", "name"))
    out = []
    for code in sorted(rows):
        row = rows[code]
        row["name"] = names.get(code, code)
        row["percent"] = round(100 * row[TaskStatus.DONE] / row["total"]) if row["total"] else 0
        out.append(row)
    return out


def dispatchable_items(county: Division):
    from catalogs.selectors import items_in_force

    return items_in_force(county).exclude(kind="negative").order_by("kind", "code")


def public_decisions(county: Division) -> QuerySet[AccessRequest]:
    """Approved, rejected and expired requests of a county: public with their reasons (seed 002 §4(3))."""
    return (
        AccessRequest.objects.filter(division=county, status__in=PUBLIC_STATUSES)
        .select_related("organisation")
        .prefetch_related("decisions")
        .order_by("-decided_at", "-id")
    )


def panel_counts(user) -> dict:
    """Figures for the role panels on the workbench."""
    data: dict = {}
    if not getattr(user, "is_authenticated", False):
        return data
    if user.role == Role.TOWNSHIP_STAFF:
        tasks = VillageTask.objects.restrict(user)
        today = timezone.localdate()
        data["open_tasks"] = tasks.exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED]).count()
        data["overdue_tasks"] = (
            tasks.exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED]).filter(due_on__lt=today).count()
        )
        data["recent_tasks"] = list(
            tasks.exclude(status=TaskStatus.DONE).select_related("village").order_by("due_on", "id")[:5]
        )
    else:
        queue = queue_for(user)
        data["queue_count"] = queue.count() if queue is not None else 0
        data["queue"] = list(queue[:5]) if queue is not None else []
        if user.role in SUBMITTERS:
            qs = AccessRequest.objects.restrict(user)
            data["approved"] = qs.filter(status=RequestStatus.APPROVED).count()
            data["blocked"] = qs.filter(status=RequestStatus.BLOCKED).count()
    data["unread"] = user.notifications.filter(read_at__isnull=True).count()
    return data


def request_brief(request_id: int | None) -> dict | None:
    """Number, level, status and deciding reason of one request, for an app that started it."""
    if request_id is None:
        return None
    req = AccessRequest.objects.filter(pk=request_id).prefetch_related("decisions").first()
    if req is None:
        return None
    last = req.last_decision
    return {
        "id": req.pk,
        "number": req.number,
        "level": req.level,
        "status": req.status,
        "status_label": req.get_status_display(),
        "verdict": req.verdict,
        "reason": last.reason if last else "",
        "decision_due": req.decision_due,
    }


def village_count_in(county: Division) -> int:
    return Division.objects.filter(
        level=Level.VILLAGE, code__range=(county.prefix.ljust(12, "0"), county.prefix.ljust(12, "9"))
    ).count()


# Screening scores are for the people who weigh them (issue: hide internals from submitters and portals).
SCORE_ROLES = frozenset({"county_reviewer", "county_approver"})


def sees_screening_scores(user) -> bool:
    """Whether ``user`` is shown the screening's internal match scores (page and API alike)."""
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", "") in SCORE_ROLES)
