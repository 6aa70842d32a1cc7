"""The task-division table in and out of spreadsheets, on the shared checked import (``spreadsheets``).

*Check* validates every row with ``services.plan_task_clean`` (the rule the form
and API use) and reports errors by row and column in Chinese, writing nothing;
once a keeper confirms, *apply* writes the rows through the services. Rows are
matched by their number (序号); a row equal to the task already there is
unchanged, so importing an export again writes nothing.
"""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from spreadsheets import writing
from spreadsheets.imports import CHANGED, NEW, UNCHANGED, Applier, Importer, Outcome
from spreadsheets.reading import SpreadsheetError
from spreadsheets.schema import Column, Schema, cell_date, cell_text

from . import services
from .choices import PlanStatus
from .models import PlanImportJob, PlanTask

__all__ = ["SpreadsheetError", "import_job_confirm", "import_job_create", "write_xlsx"]

# The columns of seed 004's annex table (序号 工作任务 推进措施 牵头单位 责任单位 完成时限), then ours.
COLUMNS: list[tuple[str, str]] = [
    ("number", "序号"),
    ("task", "工作任务"),
    ("measure", "推进措施"),
    ("lead_units", "牵头单位"),
    ("responsible_units", "责任单位"),
    ("deadline_text", "完成时限"),
    ("deadline", "完成日期"),
    ("status", "状态"),
    ("progress", "进展情况"),
    ("source", "来源"),
]
STATUS_LABELS = {
    PlanStatus.NOT_STARTED: "未启动",
    PlanStatus.IN_PROGRESS: "推进中",
    PlanStatus.DONE: "已完成",
    PlanStatus.ONGOING: "长期坚持",
}
STATUS_INPUT = {v: str(k) for k, v in STATUS_LABELS.items()} | {"": str(PlanStatus.NOT_STARTED)}


def task_row(task: PlanTask) -> list[Any]:
    values = {key: getattr(task, key) for key, _label in COLUMNS}
    values["status"] = STATUS_LABELS.get(task.status, task.status)  # type: ignore[call-overload]
    return [values[key] for key, _label in COLUMNS]


class PlanSchema(Schema):
    columns = tuple(Column(key, label, key in ("number", "task")) for key, label in COLUMNS)
    aliases = {"序": "number", "序号.": "number", "任务": "task", "措施": "measure", "时限": "deadline_text"}
    unique_key = "number"

    def clean(self, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        data = {k: ("" if v is None else v) for k, v in raw.items()}
        status = str(data.get("status", "")).strip()
        data["status"] = STATUS_INPUT.get(status, status)
        data["deadline"] = cell_date(data.get("deadline"))
        data["number"] = cell_text(data.get("number"))
        try:
            return services.plan_task_clean(data), {}
        except ValidationError as exc:
            return {}, exc.message_dict


SCHEMA = PlanSchema()


def _compared(values: dict[str, Any]) -> tuple:
    return tuple(str(values.get(f) if values.get(f) is not None else "") for f in services.PLAN_FIELDS)


class PlanApplier(Applier):
    def __init__(self, job: PlanImportJob, write: bool) -> None:
        self.job = job
        self.existing = {
            t.number: (t.pk, _compared({f: getattr(t, f) for f in services.PLAN_FIELDS}))
            for t in PlanTask.objects.filter(division_id=job.division_id)
        }

    def row(self, values: dict[str, Any]) -> tuple[str, Any]:
        old = self.existing.get(values["number"])
        if old is None:
            return NEW, (None, values)
        pk, compared = old
        return (UNCHANGED, None) if compared == _compared(values) else (CHANGED, (pk, values))

    def write(self, payloads: list[Any]) -> None:
        for pk, values in payloads:
            if pk is None:
                services.plan_task_create(user=self.job.created_by, county=self.job.division, data=values)
            else:
                services.plan_task_update(user=self.job.created_by, task_id=pk, data=values)


class PlanImporter(Importer):
    schema = SCHEMA

    def applier(self, job: PlanImportJob, *, write: bool) -> PlanApplier:
        return PlanApplier(job, write)

    def applied(self, job: PlanImportJob, outcome: Outcome) -> None:
        record_event(
            job.created_by, "reports.plan_import", obj=job, division=job.division_id,
            summary=f"{job.original_name}: {outcome.new} new, {outcome.changed} changed, {outcome.unchanged} unchanged",
        )  # fmt: skip


IMPORTER = PlanImporter()


def write_xlsx(tasks, out: IO[bytes], title: str = "任务分工一览表") -> None:
    writing.write_xlsx(SCHEMA.header_row(), (task_row(t) for t in tasks), out, title)


@transaction.atomic
def import_job_create(*, county, upload, user, background: bool = True) -> PlanImportJob:
    """Store an uploaded table as an import job and start its check after commit."""
    services.require_keeper(user, county)
    job = PlanImportJob(division=county, created_by=user)
    IMPORTER.store_upload(job, upload)
    job.save()
    record_event(user, "reports.plan_import_upload", obj=job, division=county, summary=job.original_name)
    if background:
        _start("reports_import_check", job.pk)
    return job


@transaction.atomic
def import_job_confirm(*, job: PlanImportJob, user, background: bool = True) -> PlanImportJob:
    """A keeper confirms a checked import: it is written after commit."""
    services.require_keeper(user, job.division)
    if job.error_count:
        raise SpreadsheetError(_("Only a checked import without errors can be confirmed."))
    job = IMPORTER.lock_for_confirm(job)
    record_event(user, "reports.plan_import_confirm", obj=job, division=job.division_id)
    if background:
        _start("reports_import_apply", job.pk)
    return job


def _start(task_name: str, job_id: int) -> None:
    from villageburden.tasks import enqueue

    from . import tasks

    enqueue(getattr(tasks, task_name), job_id)
