"""Certificate lists in and out of spreadsheets, on the shared checked import (``spreadsheets``).

*Check* validates every row with ``services.item_clean`` (the rule the form
and API use) and reports errors by row and column, writing nothing; once a
keeper confirms, *apply* writes the rows into the lists' draft through
``services.item_save``. Rows are matched by code; a row equal to the item
already there is unchanged, so re-importing an export writes nothing.
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
from spreadsheets.schema import Column, Schema, cell_text
from villageburden import versioning
from villageburden.versioning import VersionStatus

from . import services
from .choices import AlternativeRoute, ItemStatus, ListKind
from .models import CertificateImportJob, CertificateItem, CertificateList

__all__ = ["SpreadsheetError", "import_job_confirm", "import_job_create", "write_csv", "write_xlsx"]

COLUMNS: list[tuple[str, str]] = [
    ("code", "编号"),
    ("kind", "清单"),
    ("name", "证明名称"),
    ("common_names", "常用说法"),
    ("reason", "不应出具理由"),
    ("alternative_route", "替代途径类型"),
    ("alternative", "替代途径"),
    ("legal_basis", "设定依据"),
    ("basis_missing", "缺依据"),
    ("purpose", "用途"),
    ("conditions", "办理条件"),
    ("materials", "所需材料"),
    ("procedure", "办理程序"),
    ("time_limit_days", "办理时限（工作日）"),
    ("template", "统一式样"),
    ("status", "状态"),
    ("source", "来源"),
]
KIND_LABELS = {ListKind.NEGATIVE: "负面", ListKind.RETAINED: "保留"}
KIND_INPUT = {"负面": "negative", "负面清单": "negative", "保留": "retained", "保留清单": "retained"}
ROUTE_LABELS = {
    AlternativeRoute.INSTITUTION_VERIFIES: "自行核查",
    AlternativeRoute.ONLINE: "网上核验",
    AlternativeRoute.DATA_SHARING: "数据共享",
    AlternativeRoute.COMMITMENT: "告知承诺",
    AlternativeRoute.OTHER_AUTHORITY: "主管部门出具",
}
ROUTE_INPUT = {v: str(k) for k, v in ROUTE_LABELS.items()}
STATUS_LABELS = {ItemStatus.ACTIVE: "有效", ItemStatus.NOT_APPLICABLE: "不适用"}
STATUS_INPUT = {v: str(k) for k, v in STATUS_LABELS.items()}
YES = {"是", "1", "true", "yes", "y", "缺依据"}


def item_row(item: CertificateItem) -> list[Any]:
    values = {f: getattr(item, f) for f, _label in COLUMNS}
    values["kind"] = KIND_LABELS.get(item.kind, item.kind)
    values["alternative_route"] = ROUTE_LABELS.get(item.alternative_route, item.alternative_route)
    values["status"] = STATUS_LABELS.get(item.status, item.status)
    values["basis_missing"] = "是" if item.basis_missing else ""
    return [values[key] for key, _label in COLUMNS]


class CertificateSchema(Schema):
    columns = tuple(Column(key, label, key in ("kind", "name")) for key, label in COLUMNS)
    aliases = {"名称": "name", "证明事项": "name", "依据": "legal_basis", "时限": "time_limit_days"}
    unique_key = "code"

    def clean(self, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        data = {k: ("" if v is None else v) for k, v in raw.items()}
        data["kind"] = KIND_INPUT.get(str(data.get("kind", "")), str(data.get("kind", "")).lower())
        route = str(data.get("alternative_route", ""))
        data["alternative_route"] = ROUTE_INPUT.get(route, route)
        status = str(data.get("status", ""))
        data["status"] = STATUS_INPUT.get(status, status)
        data["basis_missing"] = str(data.get("basis_missing", "")).strip().lower() in YES
        data["time_limit_days"] = cell_text(data.get("time_limit_days")) or 0
        try:
            return services.item_clean(data), {}
        except ValidationError as exc:
            return {}, exc.message_dict


SCHEMA = CertificateSchema()


def _compared(values: dict[str, Any]) -> tuple:
    return tuple(str(values.get(f, "")) for f in services.ITEM_FIELDS)


class CertificateApplier(Applier):
    def __init__(self, job: CertificateImportJob, write: bool) -> None:
        self.job = job
        lists = job.certificate_list
        if write:
            self.version = services.draft_get_or_create(certificate_list=lists, user=job.created_by)
        else:
            self.version = lists.versions.filter(
                status=VersionStatus.DRAFT
            ).first() or versioning.latest_published(lists.versions.all())
        items = self.version.items.all() if self.version else CertificateItem.objects.none()
        self.existing = {i.code: _compared({f: getattr(i, f) for f in services.ITEM_FIELDS}) for i in items}

    def row(self, values: dict[str, Any]) -> tuple[str, Any]:
        old = self.existing.get(values["code"]) if values["code"] else None
        if old is None:
            return NEW, values
        return (UNCHANGED, None) if old == _compared(values) else (CHANGED, values)

    def write(self, payloads: list[Any]) -> None:
        for values in payloads:
            services.item_save(version=self.version, data=values, user=self.job.created_by)


class CertificateImporter(Importer):
    schema = SCHEMA

    def applier(self, job: CertificateImportJob, *, write: bool) -> CertificateApplier:
        return CertificateApplier(job, write)

    def applied(self, job: CertificateImportJob, outcome: Outcome) -> None:
        record_event(
            job.created_by,
            "certificates.import",
            obj=job,
            division=job.division_id,
            summary=f"{job.original_name}: {outcome.new} new, {outcome.changed} changed, {outcome.unchanged} unchanged",
        )


IMPORTER = CertificateImporter()


def write_csv(items, out: IO[str]) -> None:
    writing.write_csv(SCHEMA.header_row(), (item_row(i) for i in items), out)


def write_xlsx(items, out: IO[bytes], title: str = "证明事项清单") -> None:
    writing.write_xlsx(SCHEMA.header_row(), (item_row(i) for i in items), out, title)


@transaction.atomic
def import_job_create(*, certificate_list: CertificateList, upload, user, background: bool = True):
    """Store an uploaded file as an import job and start its check after commit."""
    services.require_keeper(user, certificate_list)
    job = CertificateImportJob(
        certificate_list=certificate_list, division_id=certificate_list.division_id, created_by=user
    )
    IMPORTER.store_upload(job, upload)
    job.save()
    record_event(
        user, "certificates.import_upload", obj=job, division=job.division_id, summary=job.original_name
    )
    if background:
        _start("certificates_import_check", job.pk)
    return job


@transaction.atomic
def import_job_confirm(*, job: CertificateImportJob, user, background: bool = True):
    """A keeper confirms a checked import: it is applied to the draft after commit."""
    services.require_keeper(user, job.certificate_list)
    if job.error_count:
        raise SpreadsheetError(_("Only a checked import without errors can be confirmed."))
    job = IMPORTER.lock_for_confirm(job)
    record_event(user, "certificates.import_confirm", obj=job, division=job.division_id)
    if background:
        _start("certificates_import_apply", job.pk)
    return job


def _start(task_name: str, job_id: int) -> None:
    from villageburden.tasks import enqueue

    from . import tasks

    enqueue(getattr(tasks, task_name), job_id)
