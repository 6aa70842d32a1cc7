"""Catalogues in and out of spreadsheets (.xlsx, .csv).

The import is the shared checked import (``spreadsheets``): *check* (a preview:
every row is validated with ``item_clean`` and the catalogue's rules, errors
tied to row and column, nothing written) and, once a person confirms, *apply*
(the checked rows written into the catalogue's draft in batches through
``services.items_bulk_write``). A row equal to the item already there changes
nothing, so re-importing an unchanged export writes nothing.

Export neutralises cells a spreadsheet would run as formulas (a leading
``= + - @``, tab or CR gets a single quote); import takes such a quote off again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import IO, Any, NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_event
from spreadsheets import writing as spreadsheet_writing
from spreadsheets.imports import CHANGED, NEW, UNCHANGED, Applier, Importer, Outcome, RowRefused
from spreadsheets.reading import SpreadsheetError, sniff_format
from spreadsheets.schema import Column, Schema, cell_date, cell_number
from villageburden.exports import neutralise

from . import services
from .choices import ItemStatus, VersionStatus
from .models import CatalogueItem, CatalogueVersion, ImportJob
from .validation import (
    COMPARED_FIELDS,
    PROVIDES_KEYS,
    fingerprint,
    format_basis,
    item_clean,
    parse_basis_text,
)

__all__ = ["SpreadsheetError", "apply", "check", "import_job_confirm", "import_job_create", "neutralise"]
__all__ += ["sniff_format", "write_csv", "write_xlsx"]

# The column layout (documented in README): field key, Chinese header.
COLUMNS: list[tuple[str, str]] = [
    ("code", "编码"),
    ("kind", "清单类别"),
    ("name", "事项名称"),
    ("category", "类别"),
    ("content", "工作内容"),
    ("legal_basis", "法律依据"),
    ("responsible_department", "责任部门"),
    ("funding", "经费保障"),
    ("staff", "人员保障"),
    ("equipment", "设备保障"),
    ("scope", "适用范围"),
    ("process", "办理流程"),
    ("materials", "所需材料"),
    ("frequency", "频次"),
    ("hours_per_year", "年均工时"),
    ("negative_matter", "负面事项"),
    ("keywords", "关键词"),
    ("status", "状态"),
    ("status_reason", "状态原因"),
    ("effective_from", "生效日期"),
    ("effective_to", "失效日期"),
    ("source", "来源"),
]
HEADER_ALIASES = {
    "事项编码": "code",
    "类别编码": "code",
    "清单": "kind",
    "清单类型": "kind",
    "名称": "name",
    "领域": "category",
    "依据": "legal_basis",
    "法律法规依据": "legal_basis",
    "责任单位": "responsible_department",
    "年均工时(小时/村)": "hours_per_year",
    "关键词/同义词": "keywords",
}
REQUIRED_COLUMNS = ("code", "kind", "name")
LABEL = dict(COLUMNS)
KIND_LABELS = {"autonomy": "自治", "assist": "协助", "negative": "负面"}
KIND_INPUT = {v: k for k, v in KIND_LABELS.items()} | {
    "自治事项": "autonomy",
    "依法履职": "autonomy",
    "依法履职事项": "autonomy",
    "协助事项": "assist",
    "负面清单": "negative",
    "负面事项": "negative",
}
STATUS_LABELS = {"active": "有效", "cancelled": "已取消", "not_applicable": "不适用"}
STATUS_INPUT = {v: k for k, v in STATUS_LABELS.items()} | {
    "取消": "cancelled",
    "不适用本地": "not_applicable",
}


# --- export -------------------------------------------------------------------


def item_row(item: CatalogueItem) -> list[Any]:
    provides = item.department_provides or {}
    values = {
        **{f: getattr(item, f) for f in COMPARED_FIELDS},
        "kind": KIND_LABELS.get(item.kind, item.kind),
        "status": STATUS_LABELS.get(item.status, item.status),
        "legal_basis": format_basis(item.legal_basis),
        "hours_per_year": float(item.hours_per_year),
        **{k: provides.get(k, "") for k in PROVIDES_KEYS},
    }
    return [values[key] for key, _label in COLUMNS]


def write_csv(items, out: IO[str]) -> None:
    spreadsheet_writing.write_csv(CATALOGUE_SCHEMA.header_row(), (item_row(i) for i in items), out)


def write_xlsx(items, out: IO[bytes], title: str = "清单") -> None:
    spreadsheet_writing.write_xlsx(CATALOGUE_SCHEMA.header_row(), (item_row(i) for i in items), out, title)


# --- import ---------------------------------------------------------------------


def row_to_data(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Spreadsheet cells (quotes off, stripped) → item data; returns the data and cell-level errors."""
    errors: dict[str, str] = {}
    data = dict(raw)
    kind = data.get("kind")
    if kind is not None and kind != "":
        kind = str(kind)
        data["kind"] = KIND_INPUT.get(kind) or kind.lower()
    status = data.get("status")
    if status is None or status == "":
        data["status"] = ""
    else:
        status = str(status)
        data["status"] = STATUS_INPUT.get(status) or status.lower()
    data["legal_basis"] = parse_basis_text(data.get("legal_basis"))
    provides: dict[str, Any] = {}
    for key in PROVIDES_KEYS:
        value = data.pop(key, None)
        if value is not None and value != "":
            provides[key] = value
    data["department_provides"] = provides
    data["hours_per_year"] = cell_number(data.get("hours_per_year"))
    data["effective_from"] = cell_date(data.get("effective_from"))
    data["effective_to"] = cell_date(data.get("effective_to"))
    if isinstance(data.get("code"), (int, float)):
        errors["code"] = _("A code looks like ZZ-01, XZ-12 or FM-03.")
    return data, errors


class CatalogueSchema(Schema):
    columns = tuple(Column(key, label, key in REQUIRED_COLUMNS) for key, label in COLUMNS)
    aliases = HEADER_ALIASES
    unique_key = "code"

    def clean(self, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        data, cell_errors = row_to_data(raw)
        values, errors = item_clean(data)
        for key, message in cell_errors.items():
            errors.setdefault(key, []).insert(0, message)
        return values, errors

    def error_column(self, key: str, labels: Mapping[str, str]) -> str:
        if key == "department_provides":
            return "、".join(labels.get(k, LABEL[k]) for k in PROVIDES_KEYS)
        return super().error_column(key, labels)


CATALOGUE_SCHEMA = CatalogueSchema()


class Existing(NamedTuple):
    """What the import needs to know of an item already there (kept small: 100k of them)."""

    pk: int
    digest: bytes
    kind: str
    status: str
    inherited: bool


def digest(values: dict[str, Any]) -> bytes:
    """A 16-byte summary of an item's fields: equal digests, equal items."""
    return hashlib.blake2b(repr(fingerprint(values)).encode(), digest_size=16).digest()


def _base_version(job: ImportJob, write: bool) -> tuple[CatalogueVersion | None, bool]:
    """The version rows are compared with: the draft (created on apply), else what it would copy."""
    catalogue = job.catalogue
    if write:
        return services.draft_get_or_create(catalogue=catalogue, user=job.created_by), False
    draft = catalogue.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        return draft, False
    published = services.latest_published(catalogue)
    if published is not None:
        return published, False
    if catalogue.guidance_id:
        from .selectors import version_in_force

        guidance = version_in_force(catalogue.guidance) or services.latest_published(catalogue.guidance)
        return guidance, True
    return None, False


def _existing(version: CatalogueVersion | None, inherited_copy: bool) -> dict[str, Existing]:
    if version is None:
        return {}
    qs = version.items.all()
    if inherited_copy:
        qs = qs.filter(status=ItemStatus.ACTIVE)
    out = {}
    for values in qs.values("pk", "inherited_from_id", *COMPARED_FIELDS).iterator(chunk_size=5000):
        out[values["code"]] = Existing(
            values["pk"],
            digest(values),
            values["kind"],
            values["status"],
            inherited_copy or values["inherited_from_id"] is not None,
        )
    return out


class CatalogueApplier(Applier):
    """Rows into a catalogue's draft: matched by code, compared by digest, written in bulk."""

    def __init__(self, job: ImportJob, write: bool) -> None:
        self.job = job
        self.version, inherited_copy = _base_version(job, write)
        self.existing = _existing(self.version, inherited_copy)
        self.published = services.has_published(job.catalogue)

    def row(self, values: dict[str, Any]) -> tuple[str, Any]:
        old = self.existing.get(values["code"])
        problem = _row_rule(values, old, self.published)
        if problem:
            raise RowRefused(*problem)
        if old is None:
            return NEW, (None, values)
        if old.digest == digest(values):
            return UNCHANGED, None
        return CHANGED, (old.pk, values)

    def write(self, payloads: list[Any]) -> None:
        creates = [values for pk, values in payloads if pk is None]
        updates = [(pk, values) for pk, values in payloads if pk is not None]
        assert self.version is not None  # apply always has the draft
        services.items_bulk_write(
            version=self.version, creates=creates, updates=updates, user=self.job.created_by
        )


def _row_rule(values: dict[str, Any], old: Existing | None, published: bool) -> tuple[str, str] | None:
    """The catalogue's rules for one row (the same as services.item_create/item_update)."""
    if old is None:
        if published:
            return "code", _(
                "New item in a published catalogue: it is added through a change proposal (动态管理)."
            )
        if values["status"] == ItemStatus.NOT_APPLICABLE:
            return "status", _("Only an item inherited from the guidance can be not applicable.")
        return None
    if values["kind"] != old.kind:
        return "kind", _("A listed item cannot move to another list.")
    if values["status"] != old.status:
        if values["status"] == ItemStatus.NOT_APPLICABLE and not old.inherited:
            return "status", _("Only an item inherited from the guidance can be not applicable.")
        if published and ItemStatus.CANCELLED in (values["status"], old.status):
            return "status", _(
                "Cancelling or restoring a listed item goes through a change proposal (动态管理)."
            )
    return None


class CatalogueImporter(Importer):
    schema = CATALOGUE_SCHEMA
    stale_message = gettext_lazy("The catalogue changed since the check. Upload the file again to check it.")

    def applier(self, job: ImportJob, *, write: bool) -> CatalogueApplier:
        return CatalogueApplier(job, write)

    def applied(self, job: ImportJob, outcome: Outcome) -> None:
        draft = job.catalogue.versions.filter(status=VersionStatus.DRAFT).first()
        ImportJob.objects.filter(pk=job.pk).update(version=draft)
        record_event(
            job.created_by,
            "catalogs.import",
            obj=job,
            division=job.division_id,
            summary=_("%(file)s: %(new)s new, %(changed)s changed, %(unchanged)s unchanged")
            % {
                "file": job.original_name,
                "new": outcome.new,
                "changed": outcome.changed,
                "unchanged": outcome.unchanged,
            },
        )


IMPORTER = CatalogueImporter()


def check(job: ImportJob) -> Outcome:
    """The preview: validate every row, write nothing."""
    return IMPORTER.check(job)


def apply(job: ImportJob) -> Outcome:
    """Write the confirmed rows into the draft, in batches; audited as one import."""
    return IMPORTER.apply(job)


@transaction.atomic
def import_job_create(*, catalogue, upload, user, background: bool = True) -> ImportJob:
    """Store an uploaded file as an import job and, with ``background``, start its check.

    The check runs as a Celery task after commit (in-process without a
    broker); callers that check synchronously (the command) pass False.
    """
    services.require_keeper(user, catalogue)
    job = ImportJob(catalogue=catalogue, division_id=catalogue.division_id, created_by=user)
    IMPORTER.store_upload(job, upload)
    job.save()
    record_event(
        user, "catalogs.import_upload", obj=job, division=catalogue.division_id, summary=job.original_name
    )
    if background:
        _start("import_check", job.pk)
    return job


@transaction.atomic
def import_job_confirm(*, job: ImportJob, user, background: bool = True) -> ImportJob:
    """Mark a checked job for applying and, with ``background``, start the apply after commit."""
    services.require_keeper(user, job.catalogue)
    job = IMPORTER.lock_for_confirm(job)
    record_event(user, "catalogs.import_confirm", obj=job, division=job.division_id)
    if background:
        _start("import_apply", job.pk)
    return job


def _start(task_name: str, job_id: int) -> None:
    """Send the job's Celery task after commit (tasks import this module, hence the late import)."""
    from villageburden.tasks import enqueue

    from . import tasks

    enqueue(getattr(tasks, task_name), job_id)
