"""Village tasks: the one service that creates them (the gate's guarantee), dispatch and progress."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from divisions.scoping import code_range
from organisations.choices import Role
from organisations.models import Organisation, User

from .. import notify as n
from ..choices import (
    NotificationKind,
    RequestStatus,
    TaskStatus,
    VillageRole,
)
from ..exceptions import GateRefused, InvalidTransition, NotPermitted
from ..models import SUBMITTERS, AccessRequest, VillageTask
from ._common import (
    DISPATCH_BATCH,
    DispatchResult,
    _bump,
    _check_version,
    _counties_of,
    _lock_request,
    _require_state,
    _snapshot,
    scope_villages,
)


def village_tasks_create(
    *,
    user: User,
    county: Division,
    villages: QuerySet[Division],
    title: str,
    village_role: str,
    starts_on: date,
    due_on: date,
    organisation_id: int,
    access_request: AccessRequest | None = None,
    catalogue_item: Any = None,
    find_staff: bool = False,
) -> DispatchResult:
    """Create one task per village; the only code that writes VillageTask rows.

    Callers have locked and checked their source. Villages that already have a
    task from this source are skipped, so a dispatch can be repeated safely.
    On PostgreSQL the rows go in by one ``INSERT … SELECT`` (the insert trigger
    still checks each). ``find_staff``: also name the county's active township
    staff whose townships the villages lie in (``DispatchResult.staff``), found
    by the same statement on PostgreSQL.
    """
    if (access_request is None) == (catalogue_item is None):
        raise GateRefused(_("A village task comes from exactly one approved request or list item."))
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("village_tasks_create must run inside the caller's transaction")
    source = {"access_request": access_request} if access_request else {"catalogue_item": catalogue_item}
    lo, hi = code_range(county.prefix)
    target = villages.filter(level=Level.VILLAGE, code__range=(lo, hi))
    now = timezone.now()
    values = dict(
        county_id=county.pk,
        access_request_id=access_request.pk if access_request else None,
        catalogue_item_id=catalogue_item.pk if catalogue_item else None,
        organisation_id=organisation_id,
        dispatched_by_id=user.pk,
        title=title[:200],
        village_role=village_role,
        starts_on=starts_on,
        due_on=due_on,
        status=TaskStatus.PENDING,
        progress=0,
        note="",
        version=1,
        created=now,
        updated=now,
    )
    staff = _township_staff(county) if find_staff else None
    if connection.vendor == "postgresql":
        total, created, staff_ids = _insert_tasks(target, values, staff)
        return DispatchResult(created=created, already=total - created, villages=total, staff=staff_ids)
    codes = list(target.values_list("code", flat=True))
    existing = set(VillageTask.objects.filter(**source).values_list("village_id", flat=True))
    new_codes = [c for c in codes if c not in existing]
    VillageTask.objects.bulk_create(
        (VillageTask(village_id=c, **values) for c in new_codes), batch_size=DISPATCH_BATCH
    )
    found: tuple[int, ...] = ()
    if staff is not None:
        prefixes = {c[:9] for c in codes}
        found = tuple(pk for pk, township in staff if township[:9] in prefixes)
    return DispatchResult(
        created=len(new_codes), already=len(codes) - len(new_codes), villages=len(codes), staff=found
    )


def _township_staff(county: Division) -> QuerySet:
    """(id, township code) of the county's active township staff, in user order."""
    return (
        User.objects.filter(
            role=Role.TOWNSHIP_STAFF,
            is_active=True,
            organisation__division__level=Level.TOWNSHIP,
            organisation__division__code__range=code_range(county.prefix),
        )
        .order_by("pk")
        .values_list("pk", "organisation__division_id")
    )


_TASK_COLUMNS = (
    "village_id",
    "county_id",
    "access_request_id",
    "catalogue_item_id",
    "organisation_id",
    "dispatched_by_id",
    "title",
    "village_role",
    "starts_on",
    "due_on",
    "status",
    "progress",
    "note",
    "version",
    "created",
    "updated",
)


def _insert_tasks(
    target: QuerySet[Division], values: dict[str, Any], staff: QuerySet | None
) -> tuple[int, int, tuple[int, ...]]:
    """PostgreSQL: one ``INSERT … SELECT`` of the task rows from the scope query, in the caller's transaction.

    The village codes never leave the database; villages that already have a
    task from this source are skipped by the unique index's own lookup. The
    insert trigger still checks every row, and its refusal is an
    IntegrityError as on the ORM path. The same statement names the township
    staff (``staff``: id, township) whose townships hold a village in scope, so
    a dispatch reads neither the codes nor the staff in a round trip of its
    own. Returns (villages in scope, created, staff ids).
    """
    scope_sql, scope_params = target.values("code").query.sql_with_params()
    source_col = "access_request_id" if values["access_request_id"] is not None else "catalogue_item_id"
    tail = _TASK_COLUMNS[1:]
    staff_sql, staff_params = "SELECT NULL::bigint, NULL::varchar WHERE false", ()
    if staff is not None:
        staff_sql, staff_params = staff.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(
            f"WITH target AS ({scope_sql}), "
            f"ins AS (INSERT INTO {VillageTask._meta.db_table} ({', '.join(_TASK_COLUMNS)}) "
            f"SELECT t.code, {', '.join(['%s'] * len(tail))} FROM target t "
            f"WHERE NOT EXISTS (SELECT 1 FROM {VillageTask._meta.db_table} v "
            f"WHERE v.{source_col} = %s AND v.village_id = t.code) ORDER BY t.code RETURNING 1) "
            "SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM ins), "
            f"ARRAY(SELECT s.id FROM ({staff_sql}) s(id, township) WHERE left(s.township, 9) IN "
            "(SELECT left(t.code, 9) FROM target t) ORDER BY s.id)",
            [*scope_params, *(values[c] for c in tail), values[source_col], *staff_params],
        )
        total, created, staff_ids = cur.fetchone()
    return int(total), int(created), tuple(staff_ids)


@transaction.atomic
def access_request_dispatch(
    *,
    user: User,
    request_id: int,
    due_on: date | None = None,
    villages: list[Division] | None = None,
    expected_version: int | None = None,
) -> DispatchResult:
    """Send an approved request to the villages in its scope (or a chosen part of it)."""
    # The county comes with the locked row: the scope and the tasks need it.
    req = _lock_request(user, request_id, "dispatch", related=("division",), defer=("screening",))
    _check_version(req, expected_version)
    # A county approver who is not a superuser has an organisation
    # (constraint user_has_role_and_org_unless_superuser).
    if (
        user.role == Role.COUNTY_APPROVER
        and cast(Organisation, user.organisation).division_id != req.division_id
    ):
        raise NotPermitted(_("Only the county's approver decides its requests."))
    if req.status == RequestStatus.EXPIRED:
        raise GateRefused(_("The approval has expired; renew the request first."))
    _require_state(req, {RequestStatus.APPROVED}, _("dispatch"))
    today = timezone.localdate()
    until = req.approved_until or req.ends_on
    if today > until:
        raise GateRefused(
            _("The approval expired on %(date)s; renew the request first.") % {"date": until},
            details={"approved_until": until.isoformat()},
        )
    due = due_on or until
    if due > until or due < max(req.starts_on, today):
        raise GateRefused(
            _("The due date must fall within the approval (%(start)s – %(end)s).")
            % {"start": max(req.starts_on, today), "end": until},
            details={"field": "due_on"},
        )
    in_scope = scope_villages(req)
    target = in_scope
    if villages:
        chosen = {v.code for v in villages}
        inside = set(in_scope.filter(code__in=chosen).values_list("code", flat=True))
        outside = sorted(chosen - inside)
        if outside:
            raise GateRefused(
                _("These villages are outside the approved scope: %(codes)s") % {"codes": ", ".join(outside)},
                details={"outside": outside},
            )
        target = in_scope.filter(code__in=inside)
    result = village_tasks_create(
        user=user,
        county=req.division,
        villages=target,
        title=req.title,
        village_role=req.village_role,
        starts_on=max(req.starts_on, today),
        due_on=due,
        organisation_id=req.organisation_id,
        access_request=req,
        find_staff=True,
    )
    if result.created == 0 and result.villages == 0:
        raise GateRefused(_("No village lies in the approved scope."))
    _bump(req, user)
    record_event(
        user,
        "gate.request.dispatch",
        obj=req,
        division=req.division,
        summary=_("%(created)s tasks created, %(already)s villages already had it")
        % {"created": result.created, "already": result.already},
        after=_snapshot(req),
    )
    _notify_townships(req, result)
    return result


def _notify_townships(req: AccessRequest, result: DispatchResult) -> None:
    # The township staff the insert found (few, often none): read only when someone is told.
    if not result.created or not result.staff:
        return
    staff = list(User.objects.filter(pk__in=result.staff).order_by("pk"))
    n.notify(
        staff,
        kind=NotificationKind.DISPATCHED,
        request=req,
        url=f"{reverse('gate:tasks')}?request={req.pk}",
        subject=_("New village tasks: %(title)s") % {"title": req.title},
        body=_("%(count)s villages received this task; see them under Village tasks.")
        % {"count": result.created},
    )


@transaction.atomic
def catalogue_item_dispatch(
    *,
    user: User,
    item_id: int,
    county: Division,
    title: str = "",
    due_on: date,
    townships: list[Division] | None = None,
    villages: list[Division] | None = None,
) -> DispatchResult:
    """Send work under an active autonomy or assist item of the county's lists: no new approval needed."""
    from catalogs.models import CatalogueItem
    from catalogs.selectors import items_in_force

    if (
        not (user.is_superuser or user.role in SUBMITTERS | {Role.COUNTY_APPROVER, Role.CATALOGUE_KEEPER})
        or user.organisation_id is None
    ):
        raise NotPermitted(_("Your role may not dispatch tasks."))
    if not user.is_superuser and not _counties_of(user).filter(pk=county.pk).exists():
        raise GateRefused(_("You cannot dispatch to this county."))
    # Lock the item so that two dispatches of it cannot interleave.
    item = CatalogueItem.objects.select_for_update().filter(pk=item_id).first()
    # The item's list governs villages, communities or both here (a community
    # without a list of its own is governed by the villages', catalogs.selectors).
    kinds = [
        k
        for k in ("village", "community")
        if items_in_force(county, settlement=k).filter(pk=item_id).exists()
    ]
    if item is None or not kinds:
        raise GateRefused(_("This is not an active item of the county's lists."))
    if item.kind == "negative":
        raise GateRefused(_("A negative-list item can never be dispatched to villages."))
    today = timezone.localdate()
    if due_on < today:
        raise GateRefused(_("The due date has passed."), details={"field": "due_on"})
    target = Division.objects.filter(level=Level.VILLAGE, code__range=code_range(county.prefix))
    if kinds == ["village"]:
        target = target.exclude(settlement_kind="community")
    elif kinds == ["community"]:
        target = target.filter(settlement_kind="community")
    if townships:
        q = Q()
        for t in townships:
            if t.level != Level.TOWNSHIP or not county.contains(t):
                raise GateRefused(_("%(name)s is not a township of this county.") % {"name": t.name})
            q |= Q(code__range=code_range(t.prefix))
        target = target.filter(q)
    if villages:
        for v in villages:
            if v.level != Level.VILLAGE or not county.contains(v):
                raise GateRefused(_("%(name)s is not a village of this county.") % {"name": v.name})
        target = target.filter(code__in=[v.code for v in villages])
    role = VillageRole.ASSIST if item.kind == "assist" else VillageRole.RESPONSIBLE
    result = village_tasks_create(
        user=user,
        county=county,
        villages=target,
        title=(title or item.name).strip(),
        village_role=role,
        starts_on=today,
        due_on=due_on,
        organisation_id=user.organisation_id,
        catalogue_item=item,
    )
    record_event(
        user,
        "gate.item.dispatch",
        obj=item,
        division=county,
        summary=_("%(code)s: %(created)s tasks created, %(already)s villages already had it")
        % {"code": item.code, "created": result.created, "already": result.already},
    )
    return result


@transaction.atomic
def village_task_progress(
    *,
    user: User,
    task_id: int,
    status: str,
    progress: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> VillageTask:
    """Township staff record how a village's task is going."""
    try:
        task = VillageTask.objects.restrict(user, "progress").select_for_update().get(pk=task_id)
    except VillageTask.DoesNotExist:
        if VillageTask.objects.restrict(user, "view").filter(pk=task_id).exists():
            raise NotPermitted(_("Only township staff update their villages' tasks.")) from None
        raise
    _check_version(task, expected_version)
    if task.status == TaskStatus.CANCELLED:
        raise InvalidTransition(_("This task was cancelled."))
    if status not in TaskStatus.values or status == TaskStatus.CANCELLED:
        raise GateRefused(_("Choose not started, in progress or done."), details={"field": "status"})
    if progress is not None and not 0 <= int(progress) <= 100:
        raise GateRefused(_("Progress is between 0 and 100."), details={"field": "progress"})
    # A status and a percentage that contradict each other are refused, never
    # silently rewritten: "done" at 0 % would report work that was not done.
    if status == TaskStatus.DONE and progress is not None and int(progress) != 100:
        raise GateRefused(
            _("A task marked done is complete: set the progress to 100 or choose in progress."),
            details={"field": "progress"},
        )
    if status == TaskStatus.PENDING and progress:
        raise GateRefused(
            _("A task not started has no progress yet: choose in progress or set the progress to 0."),
            details={"field": "progress"},
        )
    if progress is None:
        implied: dict[str, int] = {TaskStatus.DONE: 100, TaskStatus.PENDING: 0}
        progress = implied.get(status, task.progress)
    before = {"status": task.status, "progress": task.progress}
    task.status, task.progress, task.version = status, int(progress), task.version + 1
    if note:
        task.note = note.strip()
    task.save(update_fields=["status", "progress", "note", "version", "updated"])
    record_event(
        user,
        "gate.task.progress",
        obj=task,
        division=task.village_id,
        before=before,
        after={"status": task.status, "progress": task.progress},
    )
    return task


# --- dynamic management --------------------------------------------------------------------
