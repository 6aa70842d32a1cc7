"""Writing the work plan, the subscriptions and the periodic reports.

Every change follows the gate's contract (gate/services): one transaction; the
role and the jurisdiction checked inside it; the row locked (select_for_update)
before its state is read; a version check against lost updates; the change and
its audit record (``audit.services.record_event``) written together;
notifications through the outbox, e-mailed after commit. Pages, the API, the
admin and the spreadsheet import all come through here.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from notifications.services import notify
from villageburden.deadlines import deadline_notify

from . import selectors
from .choices import OPEN_PLAN_STATUSES, NotificationKind, PlanStatus, ReportKind
from .models import PLAN_KEEPERS, LedgerJob, PlanTask, Report, Subscription

PLAN_FIELDS = [
    "number", "task", "measure", "lead_units", "responsible_units", "deadline_text", "deadline",
    "status", "progress", "source",
]  # fmt: skip
LIMITS = {
    "task": 100, "lead_units": 300, "responsible_units": 500, "deadline_text": 40, "progress": 4000,
    "source": 200, "measure": 4000,
}  # fmt: skip
REQUIRED = ("task", "measure", "lead_units")


# --- the task-division table ------------------------------------------------------


def plan_task_clean(data: dict[str, Any]) -> dict[str, Any]:
    """One row of the table checked: the rule the form, the API and the import share (Chinese per field)."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for key in ("task", "measure", "lead_units", "responsible_units", "deadline_text", "progress", "source"):
        value = data.get(key)
        text = "" if value is None else str(value).strip()
        if key in REQUIRED and not text:
            errors[key] = [_("This field is required.")]
        elif len(text) > LIMITS[key]:
            errors[key] = [
                _("At most %(limit)s characters (this has %(length)s).")
                % {"limit": LIMITS[key], "length": len(text)}
            ]
        out[key] = text
    number = data.get("number")
    try:
        out["number"] = (
            # "12" or "12." as a plan numbers its tasks; "12.5" is not a task number.
            int(str(number).strip().rstrip(".")) if str(number or "").strip() else None
        )
    except ValueError:
        out["number"] = None
    if out["number"] is None or not 1 <= out["number"] <= 999:
        errors["number"] = [_("The number is a whole number from 1 to 999.")]
    deadline = data.get("deadline")
    if isinstance(deadline, date):
        out["deadline"] = deadline
    elif deadline in (None, ""):
        out["deadline"] = None
    else:
        parsed = parse_date(str(deadline).strip().replace("/", "-"))
        if parsed is None:
            errors["deadline"] = [_("Enter the deadline as a date (YYYY-MM-DD), or leave it empty.")]
        out["deadline"] = parsed
    status = str(data.get("status") or PlanStatus.NOT_STARTED)
    if status not in PlanStatus.values:
        errors["status"] = [
            _("Unknown status %(value)s; one of: %(choices)s.")
            % {"value": status, "choices": "、".join(str(label) for label in PlanStatus.labels)}
        ]
    out["status"] = status
    if errors:
        raise ValidationError(errors)
    return out


def require_keeper(user, county: Division) -> None:
    """Only the county's working team keeps its table (PLAN_KEEPERS, in its jurisdiction)."""
    if user.is_superuser:
        return
    if user.role not in PLAN_KEEPERS or not county.code.startswith(user.jurisdiction_prefix or "-"):
        raise PermissionDenied(_("Only the county's working team may change its task-division table."))


def _county(division: Division) -> Division:
    if division.level != Level.COUNTY:
        raise ValidationError({"division": [_("The task-division table belongs to a county.")]})
    return division


@transaction.atomic
def plan_task_create(*, user, county: Division, data: dict[str, Any]) -> PlanTask:
    county = _county(county)
    require_keeper(user, county)
    values = plan_task_clean(data)
    # Lock the county's rows so two keepers adding number 18 at once do not both pass the check.
    list(PlanTask.objects.select_for_update().filter(division=county).values_list("pk", flat=True))
    if PlanTask.objects.filter(division=county, number=values["number"]).exists():
        raise ValidationError({"number": [_("The table already has a task with this number.")]})
    task = PlanTask.objects.create(division=county, **values)
    record_event(
        user, "reports.plan_task_create", obj=task, division=county, summary=f"{task.number}. {task.task}",
        after={f: str(values[f]) for f in PLAN_FIELDS},
    )  # fmt: skip
    return task


@transaction.atomic
def plan_task_update(*, user, task_id: int, data: dict[str, Any], version: int | None = None) -> PlanTask:
    """Change a task (its progress, status, deadline…); ``version`` refuses a stale edit."""
    task = PlanTask.objects.select_for_update().get(pk=task_id)
    require_keeper(user, task.division)
    if version is not None and version != task.version:
        raise ValidationError(
            {"version": [_("Someone else changed this task meanwhile; reload it and try again.")]}
        )
    merged = {f: getattr(task, f) for f in PLAN_FIELDS} | {k: v for k, v in data.items() if k in PLAN_FIELDS}
    values = plan_task_clean(merged)
    if (
        values["number"] != task.number
        and PlanTask.objects.filter(division_id=task.division_id, number=values["number"]).exists()
    ):
        raise ValidationError({"number": [_("The table already has a task with this number.")]})
    before = {f: str(getattr(task, f)) for f in PLAN_FIELDS}
    for key, value in values.items():
        setattr(task, key, value)
    task.version += 1
    task.save()
    after = {f: str(getattr(task, f)) for f in PLAN_FIELDS}
    record_event(
        user, "reports.plan_task_update", obj=task, division=task.division_id,
        summary=f"{task.number}. {task.task}: {task.get_status_display()}",
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )  # fmt: skip
    return task


def _team(county: Division, roles) -> list:
    from organisations.models import User

    lo, hi = county.code, county.prefix.ljust(12, "9")
    return list(
        User.objects.filter(
            is_active=True,
            role__in=roles,
            organisation__division_id__gte=lo,
            organisation__division_id__lte=hi,
            organisation__division__level=Level.COUNTY,
        )
    )


def plan_reminders(today: date | None = None) -> int:
    """Remind the working team before a task's deadline; tell the county's leadership once it has passed.

    Through ``villageburden.deadlines`` (once per key and user), so the daily sweep may run again safely.
    """
    from organisations.choices import Role

    today = today or timezone.localdate()
    sent = 0
    tasks = PlanTask.objects.filter(status__in=OPEN_PLAN_STATUSES, deadline__isnull=False)
    for task in tasks.select_related("division").order_by("division_id", "number"):
        assert task.deadline is not None  # filtered above
        with transaction.atomic():
            sent += deadline_notify(
                target=task,
                due=task.deadline,
                today=today,
                reminder_key=f"plan-remind:{task.pk}:{task.deadline}",
                escalation_key=f"plan-late:{task.pk}:{task.deadline}",
                remind=_team(task.division, PLAN_KEEPERS),
                escalate=_team(task.division, {Role.COUNTY_APPROVER}),
                reminder_kind=NotificationKind.PLAN_REMINDER,
                escalation_kind=NotificationKind.PLAN_OVERDUE,
                reminder_subject=_("Work-plan task %(n)s is due on %(due)s: %(task)s")
                % {"n": task.number, "due": task.deadline, "task": task.task},
                escalation_subject=_("Work-plan task %(n)s is overdue since %(due)s: %(task)s")
                % {"n": task.number, "due": task.deadline, "task": task.task},
                url=f"/reports/plan/?county={task.division_id[:6]}",
            )
    return sent


# --- subscriptions ----------------------------------------------------------------


@transaction.atomic
def subscription_set(*, user, county: Division, kind: str, subscribed: bool) -> Subscription | None:
    """Subscribe a reader to (or unsubscribe from) a county's weekly report or monthly summary."""
    from .models import READERS

    if kind not in ReportKind.values:
        raise ValidationError({"kind": [_("Unknown report.")]})
    if not user.is_superuser and (
        user.role not in READERS or not county.code.startswith(user.jurisdiction_prefix or "-")
    ):
        raise PermissionDenied(_("You cannot read this county's reports."))
    existing = Subscription.objects.select_for_update().filter(user=user, division=county, kind=kind).first()
    if subscribed and existing is None:
        existing = Subscription.objects.create(user=user, division=county, kind=kind)
        record_event(user, "reports.subscribe", obj=existing, division=county, summary=kind)
    elif not subscribed and existing is not None:
        record_event(user, "reports.unsubscribe", obj=existing, division=county, summary=kind)
        existing.delete()
        existing = None
    return existing


# --- the reports ------------------------------------------------------------------


TITLES: dict[str, str] = {
    ReportKind.WEEKLY: "村（社区）减负工作周报告",
    ReportKind.MONTHLY: "村（社区）减负工作月小结",
}
# The county's full name heads the number: names are unique within a province and no short name is kept.
NUMBER_FORMATS: dict[str, str] = {
    ReportKind.WEEKLY: "{county}减负周报〔{{year}}〕{{n}}号",
    ReportKind.MONTHLY: "{county}减负月结〔{{year}}〕{{n}}号",
}


def report_xlsx(report: Report, plan: list[PlanTask]) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    from villageburden.exports import neutralise

    from .spreadsheets import SCHEMA, task_row

    out = io.BytesIO()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=TITLES[report.kind][-3:])
    ws.append(["县（旗）", report.division.name])
    ws.append(["期间", f"{report.period_start} 至 {report.period_end}"])
    ws.append([])
    ws.append(["项目", "数量"])
    for row in report.figures:
        ws.append([neutralise(row["label"]), row["value"]])
    tasks = wb.create_sheet(title="任务分工")
    tasks.append(SCHEMA.header_row())
    for task in plan:
        tasks.append([neutralise(v) for v in task_row(task)])
    wb.save(out)
    return out.getvalue()


@transaction.atomic
def report_generate(*, county: Division, kind: str, period_start: date, period_end: date) -> Report:
    """Make (once) the county's report of a period: figures, a numbered PDF, an .xlsx, mail to subscribers.

    Idempotent: a report already made for this county, kind and period is returned
    as it is (beat may fire twice, a worker may die mid-task and run it again).
    """
    from documents.services import document_issue

    report, _created = Report.objects.get_or_create(
        division=county, kind=kind, period_start=period_start, defaults={"period_end": period_end}
    )
    # The row lock makes a second worker running the same report wait, then see it done.
    report = Report.objects.select_for_update().select_related("division").get(pk=report.pk)
    if report.document_id:
        return report
    report.period_end = period_end
    report.figures = selectors.period_figures(county, period_start, period_end)
    plan = list(selectors.plan_of(county))
    progress_notes = list(selectors.plan_updated_between(county, period_start, period_end))
    report.document = document_issue(
        kind=f"report_{kind}",
        title=TITLES[kind],
        template="documents/report.html",
        context={
            "county": county,
            "kind": kind,
            "period_start": period_start,
            "period_end": period_end,
            "figures": report.figures,
            "plan": plan,
            "progress_notes": progress_notes,
            "burden_section": selectors.burden_section(county, period_end, baseline=period_start),
            "sender": f"{county.name}村（社区）减负工作专班",
        },
        target=report,
        division=county,
        user=None,  # issued by the schedule, not a person: the document says 系统自动生成
        number_format=NUMBER_FORMATS[kind].format(county=county.name),
    )
    name = f"{county.code[:6]}-{kind}-{period_start.isoformat()}.xlsx"
    report.xlsx.save(name, ContentFile(report_xlsx(report, plan)), save=False)
    readers = selectors.subscribers(county, kind)
    if readers:
        body = "\n".join(f"{row['label']}：{row['value']}" for row in report.figures)
        notify(
            readers,
            kind=NotificationKind.REPORT_READY,
            target=report,
            subject=f"{county.name}{TITLES[kind]}（{period_start}至{period_end}）",
            body=body,
            key=f"report:{report.pk}",
            url=report.get_absolute_url(),
        )
        report.emailed_at = timezone.now()
    report.save()
    record_event(
        None, "reports.generate", obj=report, division=county,
        summary=f"{report.document.number} {period_start}–{period_end}",
    )  # fmt: skip
    return report


def reports_run(
    *, kind: str, today: date | None = None, counties: list[Division] | None = None
) -> list[Report]:
    """The scheduled run: the last complete period's report for every county that keeps a plan or has subscribers."""
    today = today or timezone.localdate()
    start, end = selectors.period_for(kind, today)
    targets = counties if counties is not None else list(selectors.counties_reported())
    return [report_generate(county=c, kind=kind, period_start=start, period_end=end) for c in targets]


# --- ledgers too large for a request --------------------------------------------------


@transaction.atomic
def ledger_job_start(*, user, division: Division, date_from: date, date_to: date) -> LedgerJob:
    """Hand a large ledger to a worker after commit; the page then shows its progress.

    The sheets are those the user may read now. With the broker down the
    ledger is written here instead, once the transaction has committed (slow,
    but never lost).
    """
    from . import ledger

    if not ledger.may_download(user):
        raise PermissionDenied(_("You cannot download ledgers."))
    job = LedgerJob.objects.create(
        division=division,
        date_from=date_from,
        date_to=date_to,
        sheets=[s.key for s in ledger.sheets_for(user)],
        created_by=user,
    )
    record_event(
        user,
        "reports.ledger_job",
        obj=job,
        division=division,
        summary=f"{division.name} {date_from}–{date_to}",
    )
    transaction.on_commit(lambda: _ledger_send(job.pk))
    return job


def _ledger_send(job_id: int) -> None:
    import logging

    from .tasks import ledger_build_task

    try:
        ledger_build_task.apply_async(args=[job_id], retry=False)
    except Exception:  # the broker is down: write it in this process rather than leave it waiting
        logging.getLogger(__name__).warning("broker unavailable; ledger %s written in-process", job_id)
        ledger_build(job_id=job_id)


def ledger_build(*, job_id: int) -> LedgerJob:
    """Write a ledger job's workbook to its file, keeping its progress on the row (a worker's task)."""
    import tempfile

    from django.core.files import File

    from . import ledger

    jobs = LedgerJob.objects.filter(pk=job_id)
    # A job left running by a worker that died is written again when its task is delivered again.
    claimed = jobs.filter(status__in=[LedgerJob.Status.PENDING, LedgerJob.Status.RUNNING]).update(
        status=LedgerJob.Status.RUNNING
    )
    job = jobs.select_related("division", "created_by").get()
    if not claimed:  # done already (the task delivered twice)
        return job
    wanted = set(job.sheets)
    sheets = [s for s in ledger.all_sheets() if s.key in wanted]
    try:
        with tempfile.TemporaryFile() as out:
            counts = ledger.write_ledger(
                division=job.division, date_from=job.date_from, date_to=job.date_to, sheets=sheets, out=out,
                progress=lambda done, rows: jobs.update(sheets_done=done, rows_written=rows),
            )  # fmt: skip
            out.seek(0)
            job.file.save(job.filename, File(out), save=False)
    except Exception:
        import logging

        logging.getLogger(__name__).exception("ledger %s failed", job_id)
        jobs.update(
            status=LedgerJob.Status.FAILED,
            message=_("The ledger could not be written because of an error on the server; try again."),
        )
        raise
    rows = sum(counts.values())
    jobs.update(status=LedgerJob.Status.DONE, file=job.file.name, sheets_done=len(sheets), rows_written=rows)
    record_event(
        job.created_by, "reports.ledger_export", obj=job, division=job.division_id,
        summary=f"{job.division.name} {job.date_from}–{job.date_to}: {rows} rows",
    )  # fmt: skip
    job.refresh_from_db()
    return job
