"""Forms in and out of spreadsheets, on the shared checked import (``spreadsheets``).

*Check* validates every row with ``services.form_clean`` (the rule the page
and the API use) and reports errors by row and column, writing nothing; once
the importer confirms, *apply* registers the rows through
``services.form_register``, as the importer's department. A row equal to a
form the department already has in the plan is unchanged, so re-importing an
export writes nothing; a row naming another department is refused.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from audit.services import record_event
from spreadsheets import writing
from spreadsheets.imports import NEW, UNCHANGED, Applier, Importer, Outcome, RowRefused
from spreadsheets.reading import SpreadsheetError
from spreadsheets.schema import Column, Schema, cell_text
from villageburden.exports import csv_response

from . import services
from .choices import FIELD_KIND_LABEL, FieldKind, FormStatus
from .models import INTEGRATORS, REGISTRANTS, FormsImportJob, FormsPlan, PlanForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
__all__ = ["SpreadsheetError", "export_response", "import_job_confirm", "import_job_create"]

COLUMNS: list[tuple[str, str]] = [
    ("name", "表格名称"),
    ("fields", "字段"),
    ("frequency", "每年填报次数"),
    ("minutes", "每次填报用时（分钟）"),
    ("basis", "设定依据"),
    ("owner", "填报部门"),
]


def fields_text(form: PlanForm) -> str:
    """Fields as one cell: 姓名、公民身份号码:身份证号 (text fields without a type)."""
    return "、".join(
        f.name if f.kind == FieldKind.TEXT else f"{f.name}:{FIELD_KIND_LABEL.get(FieldKind(f.kind), f.kind)}"
        for f in form.fields.all()
    )


def form_row(form: PlanForm) -> list[Any]:
    return [form.name, fields_text(form), form.frequency, form.minutes or "", form.basis, form.owner.name]


class FormsSchema(Schema):
    columns = tuple(Column(key, label, key in ("name", "fields", "frequency")) for key, label in COLUMNS)
    aliases = {
        "名称": "name",
        "表格": "name",
        "频次": "frequency",
        "用时": "minutes",
        "依据": "basis",
        "部门": "owner",
    }
    unique_key = "name"

    def clean(self, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        data = {k: ("" if v is None else v) for k, v in raw.items()}
        for key in ("frequency", "minutes"):
            data[key] = cell_text(data.get(key))
        try:
            values = services.form_clean(data)
        except ValidationError as exc:
            return {}, exc.message_dict
        values["owner"] = str(data.get("owner") or "").strip()
        return values, {}


SCHEMA = FormsSchema()


def _compared(values: dict[str, Any]) -> tuple:
    return (
        tuple((f["name"], f["kind"]) for f in values["fields"]),
        values["frequency"],
        values["minutes"],
        values["basis"],
    )


class FormsApplier(Applier):
    def __init__(self, job: FormsImportJob, write: bool) -> None:
        self.job = job
        self.owner = job.created_by.organisation
        self.existing = {
            f.name: _compared(
                {
                    "fields": [{"name": x.name, "kind": x.kind} for x in f.fields.all()],
                    "frequency": f.frequency,
                    "minutes": f.minutes,
                    "basis": f.basis,
                }
            )
            for f in PlanForm.objects.filter(
                plan=job.plan, owner=self.owner, status=FormStatus.ACTIVE
            ).prefetch_related("fields")
        }

    def row(self, values: dict[str, Any]) -> tuple[str, Any]:
        if values["owner"] and self.owner is not None and values["owner"] != self.owner.name:
            raise RowRefused(
                "owner",
                _("You can register only your own department's forms (%(name)s).")
                % {"name": self.owner.name},
            )
        old = self.existing.get(values["name"])
        if old is None:
            return NEW, values
        if old == _compared(values):
            return UNCHANGED, None
        raise RowRefused(
            "name", _("Your department already has a form of this name in the plan; change it on its page.")
        )

    def write(self, payloads: list[Any]) -> None:
        for values in payloads:
            services.form_register(
                user=self.job.created_by,
                plan=self.job.plan,
                name=values["name"],
                fields=values["fields"],
                frequency=values["frequency"],
                basis=values["basis"],
                minutes=values["minutes"],
            )


class FormsImporter(Importer):
    schema = SCHEMA

    def applier(self, job: FormsImportJob, *, write: bool) -> FormsApplier:
        return FormsApplier(job, write)

    def applied(self, job: FormsImportJob, outcome: Outcome) -> None:
        record_event(
            job.created_by,
            "formsplan.import",
            obj=job,
            division=job.division_id,
            summary=f"{job.original_name}: {outcome.new} new, {outcome.unchanged} unchanged",
        )


IMPORTER = FormsImporter()


def _require_importer(user, plan: FormsPlan) -> None:
    from django.core.exceptions import PermissionDenied

    allowed = user.is_superuser or user.role in REGISTRANTS | INTEGRATORS
    if not allowed or not FormsPlan.objects.restrict(user, "change").filter(pk=plan.pk).exists():
        raise PermissionDenied(_("You may not import forms into this plan."))
    if user.organisation_id is None:
        raise PermissionDenied(_("Only a department can register a form."))
    if not plan.is_draft:
        raise ValidationError(
            _("The %(year)s plan is approved and fixed for the year; a change needs a new decision.")
            % {"year": plan.year}
        )


@transaction.atomic
def import_job_create(*, plan: FormsPlan, upload, user, background: bool = True) -> FormsImportJob:
    """Store an uploaded file as an import job and start its check after commit."""
    _require_importer(user, plan)
    job = FormsImportJob(plan=plan, division_id=plan.county_id, created_by=user)
    IMPORTER.store_upload(job, upload)
    job.save()
    record_event(
        user, "formsplan.import_upload", obj=job, division=job.division_id, summary=job.original_name
    )
    if background:
        _start("formsplan_import_check", job.pk)
    return job


@transaction.atomic
def import_job_confirm(*, job: FormsImportJob, user, background: bool = True) -> FormsImportJob:
    """The importer confirms a checked import: it is applied after commit."""
    _require_importer(user, job.plan)
    if job.error_count:
        raise SpreadsheetError(_("Only a checked import without errors can be confirmed."))
    job = IMPORTER.lock_for_confirm(job)
    record_event(user, "formsplan.import_confirm", obj=job, division=job.division_id)
    if background:
        _start("formsplan_import_apply", job.pk)
    return job


def _start(task_name: str, job_id: int) -> None:
    from villageburden.tasks import enqueue

    from . import tasks

    enqueue(getattr(tasks, task_name), job_id)


def export_response(plan: FormsPlan, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The plan's forms as CSV (BOM, for Excel) or .xlsx; every cell neutralised by the shared writers."""
    forms = plan.forms.filter(status=FormStatus.ACTIVE).select_related("owner").prefetch_related("fields")
    rows = (form_row(f) for f in forms.order_by("owner__name", "name"))
    name = f"forms-plan-{plan.county_id[:6]}-{plan.year}.{fmt}"
    if fmt != "xlsx":
        return csv_response(name, SCHEMA.header_row(), rows)
    data = io.BytesIO()
    writing.write_xlsx(SCHEMA.header_row(), rows, data, f"{plan.year}表格填报计划")
    response = HttpResponse(data.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
