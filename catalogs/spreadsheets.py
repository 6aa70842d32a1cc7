"""Catalogues in and out of spreadsheets (.xlsx, .csv).

Import is two passes over a stored file: *check* (a preview: every row is
validated with ``item_clean`` and the catalogue's rules, errors tied to row and
column, nothing written) and, once a person confirms, *apply* (the checked rows
written into the catalogue's draft in batches through
``services.items_bulk_write``). A row equal to the item already there changes
nothing, so re-importing an unchanged export writes nothing.

Export neutralises cells a spreadsheet would run as formulas (a leading
``= + - @``, tab or CR gets a single quote); import takes such a quote off again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple
from xml.parsers import expat

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from villageburden.exports import neutralise

from . import services
from .choices import ImportStatus, ItemStatus, VersionStatus
from .models import CatalogueItem, CatalogueVersion, ImportJob
from .validation import (
    COMPARED_FIELDS,
    PROVIDES_KEYS,
    fingerprint,
    format_basis,
    item_clean,
    parse_basis_text,
)

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
HEADERS = {key: key for key, _label in COLUMNS} | {label: key for key, label in COLUMNS} | HEADER_ALIASES
LABEL = dict(COLUMNS)
REQUIRED_COLUMNS = ("code", "kind", "name")
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
EXCEL_EPOCH = date(1899, 12, 30)
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_STORED_ERRORS = 500
BATCH = 2000
PROGRESS_EVERY = 2000


class SpreadsheetError(Exception):
    """The file cannot be read as a catalogue spreadsheet."""


def _unquote(value: Any) -> Any:
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


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
    return [neutralise(values[key]) for key, _label in COLUMNS]


def write_csv(items, out: IO[str]) -> None:
    writer = csv.writer(out)
    writer.writerow([label for _key, label in COLUMNS])
    for item in items:
        row = item_row(item)
        writer.writerow([v.isoformat() if isinstance(v, date) else v for v in row])


def write_xlsx(items, out: IO[bytes], title: str = "清单") -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append([label for _key, label in COLUMNS])
    for item in items:
        ws.append(item_row(item))
    wb.save(out)


# --- reading --------------------------------------------------------------------


def sniff_format(name: str, head: bytes) -> str:
    """xlsx or csv, by name and content; anything else is refused."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        if not head.startswith(b"PK"):
            raise SpreadsheetError(_("This .xlsx file is not a spreadsheet (damaged or renamed)."))
        return "xlsx"
    if suffix == ".csv":
        if b"\x00" in head:
            raise SpreadsheetError(_("This .csv file is not text."))
        return "csv"
    raise SpreadsheetError(_("Upload a .xlsx or .csv file."))


def _map_headers(raw: list[Any]) -> tuple[dict[int, str], dict[str, str]]:
    columns: dict[int, str] = {}
    labels: dict[str, str] = {}
    unknown = []
    for i, header in enumerate(raw):
        text = str(header).strip() if header is not None else ""
        if not text:
            continue
        key = HEADERS.get(text) or HEADERS.get(text.lower())
        if key is None:
            unknown.append(text)
            continue
        if key in labels:
            raise SpreadsheetError(_("The column “%(col)s” appears twice.") % {"col": text})
        columns[i], labels[key] = key, text
    missing = [LABEL[k] for k in REQUIRED_COLUMNS if k not in labels]
    problems = []
    if missing:
        problems.append(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(cols)s.") % {"cols": "、".join(unknown)})
    if problems:
        raise SpreadsheetError(" ".join(problems))
    return columns, labels


@dataclass
class Sheet:
    rows: Iterator[tuple[int, dict[str, Any]]]
    labels: dict[str, str]
    total: int


def open_sheet(path: str, fmt: str) -> Sheet:
    """Rows of the first sheet as (row number, {field: value}); the header is row 1."""
    if fmt == "xlsx":
        return _open_xlsx(path)
    return _open_csv(path)


def _open_xlsx(path: str) -> Sheet:
    # A streaming expat reader that refuses DTDs (no entity expansion, no
    # external entities) and zip members too large once uncompressed.
    from .xlsx_reader import XlsxError, XlsxSheet

    try:
        book = XlsxSheet(path)
        it = book.rows()
        first = next(it, None)
    except (XlsxError, expat.ExpatError, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(_("The spreadsheet cannot be read: %(err)s") % {"err": exc}) from exc
    if first is None:
        book.close()
        raise SpreadsheetError(_("The spreadsheet is empty."))
    columns, labels = _map_headers(first[1])
    total = max(book.dimension_rows - first[0], 0)

    def rows():
        try:
            for n, row in it:
                if all(v is None or v == "" for v in row):
                    continue
                yield n, {key: row[i] if i < len(row) else None for i, key in columns.items()}
        except (XlsxError, expat.ExpatError, ValueError, IndexError) as exc:
            raise SpreadsheetError(_("The spreadsheet cannot be read: %(err)s") % {"err": exc}) from exc
        finally:
            book.close()

    return Sheet(rows(), labels, total)


def _open_csv(path: str) -> Sheet:
    raw = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError(_("The .csv file is neither UTF-8 nor GB18030 text."))
    del raw
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise SpreadsheetError(_("The spreadsheet is empty."))
    columns, labels = _map_headers(header)
    total = max(text.count("\n") - 1, 0)

    def rows():
        for row in reader:
            n = reader.line_num
            if not any(v.strip() for v in row):
                continue
            yield n, {key: (row[i] if i < len(row) else None) for i, key in columns.items()}

    return Sheet(rows(), labels, total)


def row_to_data(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Spreadsheet cells → item data; returns the data and cell-level errors."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    for key, value in raw.items():
        value = _unquote(value)
        if isinstance(value, str):
            value = value.strip()
        data[key] = value
    kind = data.get("kind")
    if kind not in (None, ""):
        data["kind"] = KIND_INPUT.get(str(kind), str(kind).lower())
    status = data.get("status")
    data["status"] = STATUS_INPUT.get(str(status), str(status).lower()) if status not in (None, "") else ""
    data["legal_basis"] = parse_basis_text(data.get("legal_basis"))
    data["department_provides"] = {k: data.pop(k) for k in PROVIDES_KEYS if data.get(k) not in (None, "")}
    for k in PROVIDES_KEYS:
        data.pop(k, None)
    if isinstance(data.get("hours_per_year"), float):
        data["hours_per_year"] = Decimal(repr(data["hours_per_year"]))
    for f in ("effective_from", "effective_to"):
        value = data.get(f)
        if isinstance(value, datetime):
            data[f] = value.date()
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            # A date cell holds the Excel serial number (days since 1899-12-30).
            data[f] = EXCEL_EPOCH + timedelta(days=int(value)) if 0 < value < 2958466 else str(value)
    if isinstance(data.get("code"), (int, float)):
        errors["code"] = _("A code looks like ZZ-01, XZ-12 or FM-03.")
    return data, errors


# --- checking and applying ------------------------------------------------------


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


@dataclass
class Outcome:
    total: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0


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


def _checked_path(job: ImportJob) -> Path:
    """Where the check pass keeps the rows it validated, so the apply pass need not parse again.

    Named after the job's id (never after anything a user chose), JSON lines (never pickle).
    """
    return Path(job.file.path).with_name(f"import-{job.pk}.checked.jsonl")


def _dump(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    out["hours_per_year"] = str(values["hours_per_year"])
    for f in ("effective_from", "effective_to"):
        out[f] = values[f].isoformat() if values[f] else None
    return out


def _load(line: str) -> tuple[int, dict[str, Any]]:
    n, values = json.loads(line)
    values["hours_per_year"] = Decimal(values["hours_per_year"])
    for f in ("effective_from", "effective_to"):
        values[f] = date.fromisoformat(values[f]) if values[f] else None
    return n, values


def _checked_rows(job: ImportJob, sheet: Sheet | None, sink) -> Iterator[tuple[int, dict | None, dict]]:
    """(row, values, errors) for every row: from the file, or from the checked rows."""
    if sheet is None:
        with _checked_path(job).open(encoding="utf-8") as fh:
            for line in fh:
                n, values = _load(line)
                yield n, values, {}
        return
    for n, raw in sheet.rows:
        data, cell_errors = row_to_data(raw)
        values, errors = item_clean(data)
        for key, message in cell_errors.items():
            errors.setdefault(key, []).insert(0, message)
        if not errors and sink is not None:
            sink.write(json.dumps([n, _dump(values)], ensure_ascii=False) + "\n")
        yield n, (None if errors else values), errors


def run(job: ImportJob, *, write: bool) -> Outcome:
    """One pass over the job's rows: check every row, and write the batches if ``write``."""
    checked = _checked_path(job)
    sheet = None
    total = job.total_rows
    if not (write and checked.exists()):
        fmt = sniff_format(job.original_name, job.file.open("rb").read(8))
        job.file.close()
        sheet = open_sheet(job.file.path, fmt)
        total = sheet.total
    labels = sheet.labels if sheet else {}
    version, inherited_copy = _base_version(job, write)
    existing = _existing(version, inherited_copy)
    published = services.has_published(job.catalogue)
    outcome = Outcome()
    ImportJob.objects.filter(pk=job.pk).update(total_rows=total, processed_rows=0)
    seen: set[str] = set()
    creates: list[dict[str, Any]] = []
    updates: list[tuple[int, dict[str, Any]]] = []

    def error(row: int, key: str | None, message: str) -> None:
        outcome.error_count += 1
        if len(outcome.errors) < MAX_STORED_ERRORS:
            column = labels.get(key, LABEL.get(key, "")) if key else ""
            if key == "department_provides":
                column = "、".join(labels.get(k, LABEL[k]) for k in PROVIDES_KEYS)
            outcome.errors.append({"row": row, "column": column, "message": str(message)})

    def flush() -> None:
        if write and (creates or updates):
            services.items_bulk_write(version=version, creates=creates, updates=updates, user=job.created_by)
        creates.clear()
        updates.clear()

    sink = None if write else checked.open("w", encoding="utf-8")
    try:
        for n, values, errors in _checked_rows(job, sheet, sink):
            outcome.total += 1
            for key, messages in errors.items():
                for message in messages:
                    error(n, key, message)
            if values is None:
                pass
            elif values["code"] in seen:
                error(n, "code", _("The code %(code)s appears twice in the file.") % values)
            else:
                seen.add(values["code"])
                old = existing.get(values["code"])
                problem = _row_rule(values, old, published)
                if problem:
                    error(n, problem[0], problem[1])
                elif old is None:
                    outcome.new += 1
                    creates.append(values)
                elif old.digest == digest(values):
                    outcome.unchanged += 1
                else:
                    outcome.changed += 1
                    updates.append((old.pk, values))
            if len(creates) + len(updates) >= BATCH and not outcome.error_count:
                flush()
            if not write:
                creates.clear()
                updates.clear()
            if outcome.total % PROGRESS_EVERY == 0:
                ImportJob.objects.filter(pk=job.pk).update(processed_rows=outcome.total)
        if not outcome.error_count:
            flush()
    finally:
        if sink is not None:
            sink.close()
            if outcome.error_count:
                checked.unlink(missing_ok=True)
    if write:
        checked.unlink(missing_ok=True)
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=outcome.total, total_rows=outcome.total)
    return outcome


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


def _finish(job: ImportJob, outcome: Outcome, status: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        total_rows=outcome.total,
        processed_rows=outcome.total,
        new_count=outcome.new,
        changed_count=outcome.changed,
        unchanged_count=outcome.unchanged,
        error_count=outcome.error_count,
        errors=outcome.errors,
    )


def check(job: ImportJob) -> Outcome:
    """The preview: validate every row, write nothing."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING)
    try:
        outcome = run(job, write=False)
    except SpreadsheetError as exc:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.INVALID, message=str(exc))
        return Outcome()
    except Exception as exc:
        # Never leave a job "checking" for ever: the page would poll it endlessly.
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, message=str(exc)[:2000])
        raise
    status = ImportStatus.INVALID if outcome.error_count else ImportStatus.CHECKED
    if not outcome.total and not outcome.error_count:
        status = ImportStatus.INVALID
        ImportJob.objects.filter(pk=job.pk).update(message=_("The spreadsheet has no rows."))
    _finish(job, outcome, status)
    return outcome


def apply(job: ImportJob) -> Outcome:
    """Write the confirmed rows into the draft, in batches; audited as one import."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.APPLYING)
    try:
        outcome = run(job, write=True)
    except Exception as exc:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, message=str(exc)[:2000])
        raise
    if outcome.error_count:
        # The draft changed since the preview (e.g. it was published, or edited
        # so that a row now breaks a rule). Batches before the first bad row
        # were written; a new import of the same file skips them as unchanged.
        _finish(job, outcome, ImportStatus.FAILED)
        ImportJob.objects.filter(pk=job.pk).update(
            message=_("The catalogue changed since the check. Upload the file again to check it.")
        )
        return outcome
    draft = job.catalogue.versions.filter(status=VersionStatus.DRAFT).first()
    with transaction.atomic():
        _finish(job, outcome, ImportStatus.DONE)
        ImportJob.objects.filter(pk=job.pk).update(version=draft)
        record_event(
            job.created_by,
            "catalogs.import",
            obj=job,
            division=job.division_id,
            summary=f"{job.original_name}: {outcome.new} new, {outcome.changed} changed, "
            f"{outcome.unchanged} unchanged",
        )
    return outcome


@transaction.atomic
def import_job_create(*, catalogue, upload, user, background: bool = True) -> ImportJob:
    """Store an uploaded file as an import job and, with ``background``, start its check.

    The check runs as a Celery task after commit (in-process without a
    broker); callers that check synchronously (the command) pass False.
    """
    services.require_keeper(user, catalogue)
    size = getattr(upload, "size", 0) or 0
    if size > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(_("The file is larger than 50 MB."))
    head = upload.read(8)
    upload.seek(0)
    sniff_format(upload.name, head)
    job = ImportJob(catalogue=catalogue, division_id=catalogue.division_id, created_by=user)
    job.original_name = Path(upload.name).name[:200]
    job.file.save(job.original_name, upload, save=False)
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
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    services.require_keeper(user, job.catalogue)
    if job.status != ImportStatus.CHECKED:
        raise SpreadsheetError(_("Only a checked import without errors can be confirmed."))
    job.status = ImportStatus.PENDING
    job.message = ""
    job.save(update_fields=["status", "message", "updated"])
    record_event(user, "catalogs.import_confirm", obj=job, division=job.division_id)
    if background:
        _start("import_apply", job.pk)
    return job


def _start(task_name: str, job_id: int) -> None:
    """Send the job's Celery task after commit (tasks import this module, hence the late import)."""
    from villageburden.tasks import enqueue

    from . import tasks

    enqueue(getattr(tasks, task_name), job_id)
