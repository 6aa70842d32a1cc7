"""The checked import: check to a temporary file (a preview), confirm, apply in batches.

``Importer.check(job)`` reads the stored file once, validates every row with the
app's ``Schema.clean`` and ``Applier.row`` (errors tied to row and column), writes
nothing, and keeps the rows it validated as JSON lines beside the file. Once a
person confirms, ``Importer.apply(job)`` reads those lines (not the file again)
and hands them to ``Applier.write`` in batches, all in one transaction with the
app's ``applied`` (its audit record): an apply writes every row or none.
Progress is written to the job row as the check goes, so a page can poll it
while a Celery worker runs the job; the apply's goes to the cache (its
transaction hides the row's until it commits).
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import limits
from .choices import ImportStatus
from .reading import FORMULA_START, Sheet, SpreadsheetError, open_sheet, sniff_format, unquote
from .schema import BadCell, Schema

logger = logging.getLogger(__name__)

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


class RowRefused(Exception):
    """Raised by ``Applier.row``: the row breaks a rule of the data it goes into."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key, self.message = key, message


class Applier:
    """What the rows of one pass go into (built by ``Importer.applier`` per pass).

    ``row`` sees each valid row in file order and returns ``(NEW | CHANGED |
    UNCHANGED, payload)`` or raises ``RowRefused``; ``write`` receives the
    payloads of a batch (never called by a check, nor once any row had an
    error). Keep per-row state small: a file may hold 100,000 rows.
    """

    def row(self, values: dict[str, Any]) -> tuple[str, Any]:
        raise NotImplementedError

    def write(self, payloads: list[Any]) -> None:
        raise NotImplementedError


@dataclass
class Outcome:
    total: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0


# --- the checked rows, as JSON lines (never pickle) ---------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot keep {type(value).__name__} in a checked row")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$decimal" in obj:
            return Decimal(obj["$decimal"])
        if "$date" in obj:
            return date.fromisoformat(obj["$date"])
        if "$datetime" in obj:
            return datetime.fromisoformat(obj["$datetime"])
    return obj


def _revive(obj: Any) -> Any:
    """The tagged objects of nested decimals and dates turned back into them (``_decode`` bottom-up)."""
    if isinstance(obj, list):
        return [_revive(v) for v in obj]
    if isinstance(obj, dict):
        return _decode({k: _revive(v) for k, v in obj.items()})
    return obj


# Top-level decimals and dates are kept as text and named in a third element
# (``[n, values, {key: "d" | "a" | "t"}]``), so most lines load without walking
# the row; nested ones keep the tagged-object form. Keys beginning with "$" are
# the encoding's own: rows carry schema keys and fixed nested keys (a legal
# basis' "instrument", "article"), never such a key.
#
# orjson writes and reads the lines (UTF-8, several times the standard
# library's speed). It would write a NaN or an infinite float as null, and
# refuses integers past 64 bits: a row holding one is written by the standard
# library (NaN as the token NaN) and read back by it, so no value changes;
# rows kept before orjson are read by the standard library too.
_KEPT_AS_TEXT = (Decimal, date)  # a datetime is a date
_DUMP = json.JSONEncoder(default=_encode).encode
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_APPEND_NEWLINE
_REVIVE: dict[str, Callable[[str], Any]] = {
    "d": Decimal,
    "a": date.fromisoformat,
    "t": datetime.fromisoformat,
}
_SCALARS = (str, bool, type(None))


def _orjson_keeps(value: Any) -> bool:
    """Whether orjson writes ``value`` so that it reads back equal (no NaN, no infinity)."""
    cls = value.__class__
    if cls is float:
        return math.isfinite(value)
    items: Iterable[Any]
    if isinstance(value, (list, tuple)):
        items = value
    elif isinstance(value, dict):
        items = value.values()
    else:
        return True
    for item in items:
        if item.__class__ not in _SCALARS and not _orjson_keeps(item):
            return False
    return True


def dump_row(n: int, values: dict[str, Any]) -> bytes:
    tags: dict[str, str] | None = None
    fast = True
    for key, value in values.items():
        if value.__class__ in _SCALARS:
            continue
        if isinstance(value, _KEPT_AS_TEXT):
            if tags is None:
                tags, values = {}, dict(values)
            if isinstance(value, Decimal):
                tags[key], values[key] = "d", str(value)
            elif isinstance(value, datetime):
                tags[key], values[key] = "t", value.isoformat()
            else:
                tags[key], values[key] = "a", value.isoformat()
        elif fast:
            fast = _orjson_keeps(value)
    row = [n, values, tags] if tags else [n, values]
    if fast:
        try:
            return orjson.dumps(row, default=_encode, option=_ORJSON_OPTIONS)
        except orjson.JSONEncodeError:
            pass  # an integer past 64 bits, a key that is not text
    return (_DUMP(row) + "\n").encode()


def load_row(line: bytes | str) -> tuple[int, dict[str, Any]]:
    if isinstance(line, str):
        line = line.encode()
    # The standard library writes ", " after the row number, orjson "," alone: each line is read
    # by what wrote it (orjson would read an integer past 64 bits as a float).
    comma = line.find(b",")
    row = json.loads(line) if line[comma + 1 : comma + 2] == b" " else orjson.loads(line)
    # A tagged object can only be there if its text is (inside a string the quote is escaped).
    if b'{"$' in line:
        row = _revive(row)
    values = row[1]
    if len(row) > 2:
        for key, kind in row[2].items():
            values[key] = _REVIVE[kind](values[key])
    return row[0], values


class Importer:
    """One app's checked import. Subclass it, set ``schema``, implement ``applier``.

    Optional: ``applied`` (after a successful apply, inside the transaction
    that marks the job done: the audit record, links), ``stale_message``.
    """

    schema: Schema
    batch = 2000
    progress_every = 2000
    max_stored_errors = 500
    stale_message = gettext_lazy("The data changed since the check. Upload the file again to check it.")

    def applier(self, job, *, write: bool) -> Applier:
        raise NotImplementedError

    def applied(self, job, outcome: Outcome) -> None:
        """Called after a successful apply, in the transaction that marks the job done."""

    # --- storing and confirming ------------------------------------------------

    def store_upload(self, job, upload) -> None:
        """Check an upload's size and format and store it on the (unsaved) job; refused with SpreadsheetError."""
        size = getattr(upload, "size", 0) or 0
        limit = limits.current()
        if size > limit.upload_bytes:
            raise SpreadsheetError(_("The file is larger than %(mb)s MB.") % {"mb": limit.upload_mb})
        head = upload.read(8)
        upload.seek(0)
        sniff_format(upload.name, head)
        job.original_name = Path(upload.name).name[:200]
        job.file.save(job.original_name, upload, save=False)

    def lock_for_confirm(self, job):
        """The job locked and marked for applying (call inside the app's transaction, after its permission check)."""
        job = type(job)._default_manager.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.CHECKED:
            raise SpreadsheetError(_("Only a checked import without errors can be confirmed."))
        job.status = ImportStatus.PENDING
        job.message = ""
        job.save(update_fields=["status", "message", "updated"])
        return job

    # --- the passes ------------------------------------------------------------

    def _jobs(self, job):
        return type(job)._default_manager.filter(pk=job.pk)

    def checked_path(self, job) -> Path:
        """Where the check keeps the rows it validated: named after the job (never after anything a user chose)."""
        return Path(job.file.path).with_name(f"{job._meta.label_lower}-{job.pk}.checked.jsonl")

    def validate_rows(
        self, sheet: Sheet
    ) -> Iterator[tuple[int, dict[str, Any] | None, dict[str, list[str]]]]:
        clean = self.schema.clean
        for n, raw in sheet.rows:
            cells: dict[str, Any] = {}
            bad: dict[str, list[str]] = {}
            for key, value in raw.items():
                if value.__class__ is str:  # the common cases, first
                    if value and value[0] == "'" and len(value) > 1 and value[1] in FORMULA_START:
                        value = value[1:]
                    cells[key] = value.strip()
                    continue
                if value is None:
                    cells[key] = None
                    continue
                if isinstance(value, BadCell):
                    bad[key] = [value.message]
                    value = None
                value = unquote(value)
                cells[key] = value.strip() if isinstance(value, str) else value
            values, errors = clean(cells)
            if bad:
                errors = {**errors, **bad}  # the cell's own problem, not what its emptiness implies
            yield n, (None if errors else values), errors

    def run(self, job, *, write: bool) -> Outcome:
        """One pass over the job's rows: check every row, and write the batches if ``write``."""
        checked = self.checked_path(job)
        sheet = None
        total = job.total_rows
        if write and checked.exists():
            fh = checked.open("rb")
            rows: Iterator = ((*load_row(line), {}) for line in fh)
            labels: dict[str, str] = {}
        else:
            with job.file.open("rb") as f:
                fmt = sniff_format(job.original_name, f.read(8))
            sheet = open_sheet(job.file.path, fmt, self.schema)
            total, labels, fh = sheet.total, sheet.labels, None
            rows = self.validate_rows(sheet)
        applier = self.applier(job, write=write)
        outcome = Outcome()
        self._jobs(job).update(total_rows=total, processed_rows=0)
        unique = self.schema.unique_key
        seen: set[Any] = set()
        pending: list[Any] = []

        def error(row: int, key: str | None, message: str) -> None:
            outcome.error_count += 1
            if len(outcome.errors) < self.max_stored_errors:
                column = self.schema.error_column(key, labels) if key else ""
                outcome.errors.append({"row": row, "column": column, "message": str(message)})

        def flush() -> None:
            if write and pending:
                applier.write(pending)
            pending.clear()

        sink = None if write else checked.open("wb")
        try:
            for n, values, errors in rows:
                outcome.total += 1
                for key, messages in errors.items():
                    for message in messages:
                        error(n, key, message)
                if values is None:
                    pass
                elif unique and values[unique] in seen:
                    error(
                        n,
                        unique,
                        _("%(value)s appears twice in the file.") % {"value": values[unique]},
                    )
                else:
                    if unique:
                        seen.add(values[unique])
                    try:
                        kind, payload = applier.row(values)
                    except RowRefused as refused:
                        error(n, refused.key, refused.message)
                    else:
                        setattr(outcome, kind, getattr(outcome, kind) + 1)
                        if kind != UNCHANGED and write:
                            pending.append(payload)
                        if sink is not None:
                            sink.write(dump_row(n, values))
                if len(pending) >= self.batch and not outcome.error_count:
                    flush()
                if outcome.total % self.progress_every == 0:
                    self._progress(job, outcome.total, write)
            if not outcome.error_count:
                flush()
        finally:
            if fh is not None:
                fh.close()
            if sink is not None:
                sink.close()
                if outcome.error_count:
                    checked.unlink(missing_ok=True)
        if write:
            checked.unlink(missing_ok=True)
        self._jobs(job).update(processed_rows=outcome.total, total_rows=outcome.total)
        return outcome

    def _progress(self, job, processed: int, write: bool) -> None:
        if write:
            # Inside the apply's transaction the row's count is seen by no one else until it commits.
            cache.set(job.progress_key, processed, timeout=6 * 3600)
        else:
            self._jobs(job).update(processed_rows=processed)

    def _finish(self, job, outcome: Outcome, status: str) -> None:
        self._jobs(job).update(
            status=status,
            total_rows=outcome.total,
            processed_rows=outcome.total,
            new_count=outcome.new,
            changed_count=outcome.changed,
            unchanged_count=outcome.unchanged,
            error_count=outcome.error_count,
            errors=outcome.errors,
        )

    def _failed(self, job, exc: Exception) -> None:
        # Never leave a job "checking" for ever (the page would poll it
        # endlessly), and never show a user a Python exception.
        logger.exception("import job %s failed", job.pk)
        self._jobs(job).update(
            status=ImportStatus.FAILED,
            message=_("The import stopped because of an error on the server. Nothing was written by it."),
        )

    def check(self, job) -> Outcome:
        """The preview: validate every row, write nothing."""
        self._jobs(job).update(status=ImportStatus.CHECKING)
        try:
            outcome = self.run(job, write=False)
        except SpreadsheetError as exc:
            # The whole file is refused (nothing checked further, nothing kept).
            self.checked_path(job).unlink(missing_ok=True)
            outcome = Outcome(error_count=1)
            if exc.row:
                outcome.errors.append({"row": exc.row, "column": exc.column, "message": exc.message})
            self._finish(job, outcome, ImportStatus.INVALID)
            self._jobs(job).update(message=str(exc))
            return outcome
        except Exception as exc:
            self._failed(job, exc)
            raise
        status = ImportStatus.INVALID if outcome.error_count else ImportStatus.CHECKED
        if not outcome.total and not outcome.error_count:
            status = ImportStatus.INVALID
            self._jobs(job).update(message=_("The spreadsheet has no rows."))
        self._finish(job, outcome, status)
        return outcome

    def apply(self, job) -> Outcome:
        """Write the confirmed rows, in batches, in one transaction with ``applied`` (the audit record).

        A row that now breaks a rule (the data changed since the check) rolls
        back every batch before it: an apply writes all its rows or none.
        """
        cache.set(job.progress_key, 0, timeout=6 * 3600)
        self._jobs(job).update(status=ImportStatus.APPLYING)
        try:
            with transaction.atomic():
                outcome = self.run(job, write=True)
                if outcome.error_count:
                    raise _Refused(outcome)
                self._finish(job, outcome, ImportStatus.DONE)
                self.applied(job, outcome)
        except _Refused as refused:
            outcome = refused.outcome
            self._finish(job, outcome, ImportStatus.FAILED)
            self._jobs(job).update(message=str(self.stale_message))
            return outcome
        except Exception as exc:
            self._failed(job, exc)
            raise
        finally:
            cache.delete(job.progress_key)
        return outcome


class _Refused(Exception):
    """A row refused during the apply: raised to roll the apply's transaction back."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__("rows refused")
        self.outcome = outcome
