"""The checked import into a versioned list's draft (villageburden/versioning.py), for every list that has one.

Rows are matched by code against the draft (else the latest published
version): a row equal to the item there is unchanged, so re-importing an
export writes nothing; new and changed rows are written through the list's
own ``item_save`` service once a keeper confirms. A list under dynamic
management (``listchanges``) refuses, once published, a row that adds an item
or changes an item's status: those go through a change proposal.

A list declares one :class:`ListImport` (its job model, schema and services);
the Celery tasks (``spreadsheets.tasks``) and the pages
(``spreadsheets.list_views``) take it by its job model's label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from villageburden import versioning
from villageburden.versioning import VersionStatus

from .imports import CHANGED, NEW, UNCHANGED, Applier, Importer, Outcome, RowRefused
from .reading import SpreadsheetError
from .schema import Schema

REGISTRY: dict[str, ListImport] = {}
YES = {"是", "1", "true", "yes", "y", "缺依据"}


class ListSchema(Schema):
    """A versioned list's columns: cells written as their Chinese labels (``inputs``) read back to values,
    a 缺依据 cell read as yes/no, and the row checked by the list's own ``item_clean``."""

    #: key → {Chinese label: stored value}; an unknown cell is passed on lower-cased (the check names it).
    inputs: dict[str, dict[str, str]] = {}
    flag = "basis_missing"

    def item_clean(self, data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def prepare(self, data: dict[str, Any]) -> dict[str, Any]:
        return data

    def clean(self, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        data = {k: ("" if v is None else v) for k, v in raw.items()}
        for key, table in self.inputs.items():
            text = str(data.get(key, ""))
            data[key] = table.get(text, text.lower())
        data[self.flag] = str(data.get(self.flag, "")).strip().lower() in YES
        data["code"] = str(data.get("code", "")).upper()
        try:
            return self.item_clean(self.prepare(data)), {}
        except ValidationError as exc:
            return {}, exc.message_dict


@dataclass
class ListImport:
    """How one list is imported: ``app`` names its audit events (``<app>.import``, ``_upload``, ``_confirm``)."""

    app: str
    job_model: Any
    list_field: str
    schema: Schema
    fields: tuple[str, ...]
    #: (owner, user) → the draft (opened as a copy of the latest published version).
    draft_open: Callable[..., Any]
    #: (version, data, user) → the saved item (the list's own service, its rules).
    item_save: Callable[..., Any]
    #: (user, owner) → raises PermissionDenied unless the user keeps the list.
    require_keeper: Callable[..., Any]
    #: Once published, items are added or cancelled only by a change proposal.
    dynamic_management: bool = False

    def __post_init__(self) -> None:
        self.importer = ListImporter(self)
        REGISTRY[self.job_model._meta.label_lower] = self

    # --- services ----------------------------------------------------------------

    @transaction.atomic
    def job_create(self, *, owner, upload, user, background: bool = True):
        """Store an uploaded file as an import job and start its check after commit."""
        self.require_keeper(user, owner)
        job = self.job_model(**{self.list_field: owner}, division_id=owner.division_id, created_by=user)
        self.importer.store_upload(job, upload)
        job.save()
        record_event(
            user, f"{self.app}.import_upload", obj=job, division=job.division_id, summary=job.original_name
        )
        if background:
            _start("check", job)
        return job

    @transaction.atomic
    def job_confirm(self, *, job, user, background: bool = True):
        """A keeper confirms a checked import: it is applied to the draft after commit."""
        self.require_keeper(user, getattr(job, self.list_field))
        if job.error_count:
            raise SpreadsheetError(_("Only a checked import without errors can be confirmed."))
        job = self.importer.lock_for_confirm(job)
        record_event(user, f"{self.app}.import_confirm", obj=job, division=job.division_id)
        if background:
            _start("apply", job)
        return job


def _start(step: str, job) -> None:
    from villageburden.tasks import enqueue

    from . import tasks

    task = tasks.list_import_check if step == "check" else tasks.list_import_apply
    enqueue(task, job._meta.label_lower, job.pk)


def _compared(values: dict[str, Any], fields: tuple[str, ...]) -> tuple:
    return tuple("" if values.get(f) is None else str(values.get(f)) for f in fields)


class ListApplier(Applier):
    def __init__(self, spec: ListImport, job, write: bool) -> None:
        self.spec, self.job = spec, job
        owner = getattr(job, spec.list_field)
        versions = owner.versions.all()
        self.published = versions.filter(status=VersionStatus.PUBLISHED).exists()
        if write:
            self.version = spec.draft_open(owner, job.created_by)
        else:
            self.version = versions.filter(status=VersionStatus.DRAFT).first() or versioning.latest_published(
                versions
            )
        items = self.version.items.all() if self.version else []
        self.existing = {i.code: {f: getattr(i, f) for f in spec.fields} for i in items}

    def row(self, values: dict[str, Any]) -> tuple[str, Any]:
        old = self.existing.get(values["code"]) if values["code"] else None
        managed = self.spec.dynamic_management and self.published
        if old is None:
            if managed:
                raise RowRefused(
                    "code",
                    _("This list is published: an item is added through a change proposal (动态管理)."),
                )
            return NEW, values
        if managed and values.get("status") != old.get("status"):
            raise RowRefused(
                "status",
                _("Cancelling or restoring a listed item goes through a change proposal (动态管理)."),
            )
        same = _compared(old, self.spec.fields) == _compared(values, self.spec.fields)
        return (UNCHANGED, None) if same else (CHANGED, values)

    def write(self, payloads: list[Any]) -> None:
        for values in payloads:
            self.spec.item_save(self.version, values, self.job.created_by)


class ListImporter(Importer):
    def __init__(self, spec: ListImport) -> None:
        self.spec = spec
        self.schema = spec.schema

    def applier(self, job, *, write: bool) -> ListApplier:
        return ListApplier(self.spec, job, write)

    def applied(self, job, outcome: Outcome) -> None:
        record_event(
            job.created_by,
            f"{self.spec.app}.import",
            obj=job,
            division=job.division_id,
            summary=f"{job.original_name}: {outcome.new} new, {outcome.changed} changed, {outcome.unchanged} unchanged",
        )
