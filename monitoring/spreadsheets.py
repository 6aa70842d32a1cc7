"""Monitoring points and their monitors in and out of spreadsheets, on the shared checked import (``spreadsheets``).

One row is a village to designate as a monitoring point and, optionally, one
monitor for it (the account, the name and the mobile number as the county
records them); a point with two monitors takes two rows. *Check* validates
every row — the 12-digit code, a village of the importing department's county
whose name matches, a monitor account of the county, an 11-digit mobile number
(``services.contact_clean``, the rule the API uses), no row twice, one name
and number per monitor — reports errors by row and column and writes nothing.
Once the department confirms, *apply* writes through ``services.point_designate``,
``monitor_assign`` and ``monitor_contact_record``.

Mobile numbers are personal data: the check keeps each one only encrypted in
the rows it validated, the uploaded file is deleted once checked, errors never
quote a number, and the export writes the masked number (``138****5678``). A
masked number that is the monitor's recorded one keeps it, so an export
re-imports unchanged.
"""

from __future__ import annotations

import re
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from spreadsheets import writing
from spreadsheets.imports import CHANGED, NEW, UNCHANGED, Applier, Importer, Outcome, RowRefused
from spreadsheets.reading import SpreadsheetError
from spreadsheets.schema import Column, Schema, cell_text

from . import selectors, services
from .models import MonitorAssignment, MonitorContact, MonitoringImportJob, MonitoringPoint, is_handler

__all__ = ["SpreadsheetError", "import_job_confirm", "import_job_create", "point_rows", "write_xlsx"]

COLUMNS: list[tuple[str, str]] = [
    ("village", "村代码"),
    ("village_name", "村名"),
    ("monitor", "监测员账号"),
    ("monitor_name", "监测员姓名"),
    ("phone", "监测员手机号"),
    ("note", "备注"),
]
MASKED = re.compile(r"^1\d{2}\*{4}\d{4}$")
NOTE_LIMIT = 200


def point_rows(
    point: MonitoringPoint, assignments: list[MonitorAssignment], contacts: dict
) -> list[list[Any]]:
    """A point's rows: one per active monitor (the number masked), or one without a monitor."""
    base = [point.village_id, point.village.name]
    if not assignments:
        return [[*base, "", "", "", point.note]]
    rows = []
    for a in assignments:
        contact = contacts.get(a.monitor_id)
        rows.append(
            [
                *base,
                a.monitor.username,
                contact.name if contact else "",
                contact.phone_masked if contact else "",
                point.note,
            ]
        )
    return rows


class PointSchema(Schema):
    columns = tuple(Column(key, label, key == "village") for key, label in COLUMNS)
    aliases = {
        "村": "village",
        "村级代码": "village",
        "监测点": "village_name",
        "账号": "monitor",
        "用户名": "monitor",
        "姓名": "monitor_name",
        "手机号": "phone",
        "联系电话": "phone",
    }
    unique_key = "row_key"

    def error_column(self, key: str, labels) -> str:
        return super().error_column("village" if key == "row_key" else key, labels)

    def clean(self, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        from villageburden.personaldata import encrypt, phone_hash

        cells = {k: cell_text(v) for k, v in raw.items()}
        errors: dict[str, list[str]] = {}
        code = cells.get("village", "")
        if not (code.isdigit() and len(code) == 12):
            errors["village"] = [_("Enter the village's 12-digit code.")]
        note = " ".join(cells.get("note", "").split())
        if len(note) > NOTE_LIMIT:
            errors["note"] = [_("At most %(limit)s characters.") % {"limit": NOTE_LIMIT}]
        monitor = cells.get("monitor", "")
        name, phone = cells.get("monitor_name", ""), cells.get("phone", "")
        values: dict[str, Any] = {
            "village": code,
            "village_name": " ".join(cells.get("village_name", "").split()),
            "note": note,
            "monitor": monitor,
            "row_key": f"{code} {monitor}".strip(),
        }
        if monitor:
            shown = phone.replace(" ", "")
            masked = bool(MASKED.match(shown))
            try:
                name, phone = services.contact_clean(name=name, phone=None if masked else phone)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors[{"name": "monitor_name"}.get(field, field)] = messages
            else:
                # The check keeps the number only encrypted; a masked one stands for the number recorded.
                values["monitor_name"] = name
                values["phone_masked"] = shown if masked else ""
                values["phone_hash"] = "" if masked else phone_hash(phone)
                values["phone_encrypted"] = "" if masked else encrypt(phone)
        elif name or phone:
            errors["monitor"] = [_("Give the monitor's account (username) for this name and number.")]
        if errors:
            return {}, errors
        return values, {}


SCHEMA = PointSchema()


class PointApplier(Applier):
    def __init__(self, job: MonitoringImportJob, write: bool) -> None:
        self.job = job
        self.user = job.created_by
        self.county = job.division
        self.villages: dict[str, Division | None] = {}
        self.monitors = {m.username: m for m in selectors.monitors_of(self.county.pk)}
        self.by_pk = {m.pk: m for m in self.monitors.values()}
        # The name and number each monitor was given earlier in the file: one person, one number.
        self.seen: dict[str, tuple[str, str]] = {}

    def _village(self, code: str, name: str) -> Division:
        if code not in self.villages:
            self.villages[code] = Division.objects.filter(code=code, level=Level.VILLAGE).first()
        village = self.villages[code]
        if village is None:
            raise RowRefused("village", _("No village has this code."))
        if village.ancestor_at(Level.COUNTY) != self.county.pk:
            raise RowRefused("village", _("This village is not in your county."))
        if name and name != village.name:
            raise RowRefused(
                "village_name",
                _("The village name does not match the code: %(code)s is %(name)s.")
                % {"code": code, "name": village.name},
            )
        return village

    def row(self, values: dict[str, Any]) -> tuple[str, Any]:
        village = self._village(values["village"], values["village_name"])
        point = MonitoringPoint.objects.filter(village=village).first()
        new_point = point is None or not point.active
        changed = bool(point and values["note"] and values["note"] != point.note)
        payload: dict[str, Any] = {"village": village.pk, "note": values["note"]}
        username = values["monitor"]
        if not username:
            return (NEW if new_point else CHANGED if changed else UNCHANGED), payload
        monitor = self.monitors.get(username)
        if monitor is None:
            raise RowRefused("monitor", _("No active monitor account with this username in your county."))
        contact = MonitorContact.objects.filter(monitor=monitor).first()
        if values["phone_masked"]:
            if contact is None or contact.phone_masked != values["phone_masked"]:
                raise RowRefused(
                    "phone",
                    _(
                        "This number is masked and is not the monitor's recorded one: give the full mobile number."
                    ),
                )
            digest, encrypted = contact.phone_hash, contact.phone_encrypted
        else:
            digest, encrypted = values["phone_hash"], values["phone_encrypted"]
        earlier = self.seen.setdefault(username, (values["monitor_name"], digest))
        if earlier != (values["monitor_name"], digest):
            raise RowRefused(
                "phone",
                _("This monitor has another name or number in an earlier row: one person, one number."),
            )
        assignment = None if point is None else point.assignments.filter(monitor=monitor, active=True).first()
        same_contact = contact is not None and (contact.name, contact.phone_hash) == (
            values["monitor_name"],
            digest,
        )
        payload.update(
            {"monitor_id": monitor.pk, "name": values["monitor_name"], "phone_encrypted": encrypted}
        )
        if new_point:
            return NEW, payload
        if assignment is None or not same_contact or changed:
            return CHANGED, payload
        return UNCHANGED, payload

    def write(self, payloads: list[Any]) -> None:
        from villageburden.personaldata import decrypt

        for p in payloads:
            point = services.point_designate(user=self.user, village=p["village"], note=p["note"])
            if "monitor_id" not in p:
                continue
            monitor = self.by_pk[p["monitor_id"]]
            services.monitor_contact_record(
                user=self.user, monitor=monitor, name=p["name"], phone=decrypt(p["phone_encrypted"])
            )
            services.monitor_assign(user=self.user, point_id=point.pk, monitor=monitor)


class PointImporter(Importer):
    schema = SCHEMA

    def applier(self, job: MonitoringImportJob, *, write: bool) -> PointApplier:
        return PointApplier(job, write)

    def check(self, job: MonitoringImportJob) -> Outcome:
        """The preview; then the uploaded file (mobile numbers in clear) is deleted: the checked rows suffice."""
        try:
            return super().check(job)
        finally:
            if job.file.name:
                job.file.storage.delete(job.file.name)

    def applied(self, job: MonitoringImportJob, outcome: Outcome) -> None:
        record_event(
            job.created_by,
            "monitoring.import",
            obj=job,
            division=job.division_id,
            summary=f"{job.original_name}: {outcome.new} new, {outcome.changed} changed, {outcome.unchanged} unchanged",
        )


IMPORTER = PointImporter()


def export_rows(user):
    """The rows of every active point ``user`` may read, in the import's columns (numbers masked)."""
    points = list(selectors.point_list(user).filter(active=True))
    assignments = (
        MonitorAssignment.objects.restrict(user)
        .filter(active=True, point__in=[p.pk for p in points])
        .select_related("monitor")
        .order_by("point_id", "monitor__username")
    )
    by_point: dict[int, list[MonitorAssignment]] = {}
    for a in assignments:
        by_point.setdefault(a.point_id, []).append(a)
    contacts = selectors.contacts_by_monitor(user, [a.monitor_id for a in assignments])
    for point in points:
        yield from point_rows(point, by_point.get(point.pk, []), contacts)


def write_xlsx(rows, out: IO[bytes], title: str = "监测点和监测员") -> None:
    writing.write_xlsx(SCHEMA.header_row(), rows, out, title)


def _county_of(user: Any) -> Division:
    if not (user.is_authenticated and is_handler(user)):
        raise PermissionDenied(_("Only the county's organisation department designates monitoring points."))
    county = user.jurisdiction
    if county is None or county.level != Level.COUNTY:
        raise PermissionDenied(_("Only the county's organisation department designates monitoring points."))
    return county


@transaction.atomic
def import_job_create(*, upload, user, background: bool = True) -> MonitoringImportJob:
    """Store an uploaded file as an import job of the department's county and start its check after commit."""
    county = _county_of(user)
    job = MonitoringImportJob(division=county, created_by=user)
    IMPORTER.store_upload(job, upload)
    job.save()
    record_event(user, "monitoring.import_upload", obj=job, division=county, summary=job.original_name)
    if background:
        _start("monitoring_import_check", job.pk)
    return job


@transaction.atomic
def import_job_confirm(*, job: MonitoringImportJob, user, background: bool = True) -> MonitoringImportJob:
    """The department confirms a checked import: it is written after commit, row by row through the services."""
    county = _county_of(user)
    if job.division_id != county.pk:
        raise PermissionDenied(_("Only the county's organisation department designates monitoring points."))
    if job.error_count:
        raise SpreadsheetError(_("Only a checked import without errors can be confirmed."))
    job = IMPORTER.lock_for_confirm(job)
    record_event(user, "monitoring.import_confirm", obj=job, division=job.division_id)
    if background:
        _start("monitoring_import_apply", job.pk)
    return job


def _start(task_name: str, job_id: int) -> None:
    from villageburden.tasks import enqueue

    from . import tasks

    enqueue(getattr(tasks, task_name), job_id)
