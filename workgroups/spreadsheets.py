"""The registry in and out of spreadsheets, on the shared checked import (``spreadsheets``).

*Check* validates every row with ``services.channel_clean`` (the rule the page
and the API use) and resolves its villages among those the importer may
register for, reporting errors by row and column and writing nothing; once
confirmed, *apply* registers each row through ``services.channel_register``.
A group or app the county already has (same kind and name) is unchanged, so
re-importing an export writes nothing.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division
from spreadsheets import writing
from spreadsheets.imports import NEW, UNCHANGED, Applier, Importer, Outcome, RowRefused
from spreadsheets.reading import SpreadsheetError
from spreadsheets.schema import Column, Schema, cell_text
from villageburden.exports import csv_response

from . import services
from .choices import KIND_LABEL, ChannelKind
from .models import REGISTRARS, ChannelImportJob, WorkChannel

__all__ = ["SpreadsheetError", "export_response", "import_job_confirm", "import_job_create"]

COLUMNS: list[tuple[str, str]] = [
    ("kind", "类型"),
    ("name", "名称"),
    ("owner_name", "主管单位"),
    ("purpose", "用途"),
    ("villages", "覆盖村及人数"),
    ("demands_checkin", "要求打卡"),
    ("demands_screenshots", "要求截图留痕"),
    ("demands_ranking", "排名通报"),
]
YES = {"是", "1", "true", "yes", "y", "√"}


def channel_row(channel: WorkChannel) -> list[Any]:
    reach = "、".join(f"{r.village.name}:{r.members}" for r in channel.reach.all())
    yes = [
        "是" if flag else ""
        for flag in (channel.demands_checkin, channel.demands_screenshots, channel.demands_ranking)
    ]
    return [
        KIND_LABEL.get(ChannelKind(channel.kind), channel.kind),
        channel.name,
        channel.owner.name,
        channel.purpose,
        reach,
        *yes,
    ]


def parse_reach(text: str) -> dict[str, str]:
    """ "哈达图嘎查:35、大苏吉嘎查:20" → {village name or code: members} (members 0 when not given)."""
    out = {}
    for part in re.split(r"[、;；\n]+", text or ""):
        part = part.strip()
        if part:
            match = re.match(r"^(.*?)[:：](.*)$", part)
            village, members = (match.group(1).strip(), match.group(2).strip()) if match else (part, "0")
            out[village] = members
    return out


class ChannelSchema(Schema):
    columns = tuple(
        Column(key, label, key in ("kind", "name", "owner_name", "villages")) for key, label in COLUMNS
    )
    aliases = {"单位": "owner_name", "覆盖村": "villages", "村": "villages"}
    unique_key = "name"

    def clean(self, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        data = {k: ("" if v is None else v) for k, v in raw.items()}
        for key in ("demands_checkin", "demands_screenshots", "demands_ranking"):
            data[key] = str(data.get(key, "")).strip().lower() in YES
        data["villages"] = parse_reach(cell_text(data.get("villages")))
        try:
            return services.channel_clean(data), {}
        except ValidationError as exc:
            return {}, exc.message_dict


SCHEMA = ChannelSchema()


class ChannelApplier(Applier):
    def __init__(self, job: ChannelImportJob, write: bool) -> None:
        self.job = job
        villages = services.registrable_villages(job.created_by).filter(code__startswith=job.division_id[:6])
        self.codes = {code: code for code in villages.values_list("code", flat=True)}
        self.by_name = {name: code for code, name in villages.values_list("code", "name")}
        self.existing = set(WorkChannel.objects.filter(county_id=job.division_id).values_list("kind", "name"))

    def row(self, values: dict[str, Any]) -> tuple[str, Any]:
        if (values["kind"], values["name"]) in self.existing:
            return UNCHANGED, None
        resolved = {}
        for village, members in values["villages"].items():
            code = self.codes.get(village) or self.by_name.get(village)
            if code is None:
                raise RowRefused(
                    "villages", _("%(village)s is not a village you may register for.") % {"village": village}
                )
            resolved[code] = members
        return NEW, {**values, "villages": resolved}

    def write(self, payloads: list[Any]) -> None:
        for values in payloads:
            services.channel_register(user=self.job.created_by, data=values)


class ChannelImporter(Importer):
    schema = SCHEMA

    def applier(self, job: ChannelImportJob, *, write: bool) -> ChannelApplier:
        return ChannelApplier(job, write)

    def applied(self, job: ChannelImportJob, outcome: Outcome) -> None:
        record_event(
            job.created_by,
            "workgroups.import",
            obj=job,
            division=job.division_id,
            summary=f"{job.original_name}: {outcome.new} new, {outcome.unchanged} unchanged",
        )


IMPORTER = ChannelImporter()


def _require_registrar(user, county: Division) -> None:
    if (
        not (user.is_superuser or user.role in REGISTRARS)
        or not Division.objects.restrict(user).filter(code__startswith=county.pk[:6]).exists()
    ):
        raise PermissionDenied(_("You may not register work groups or apps."))


@transaction.atomic
def import_job_create(*, county: Division, upload, user, background: bool = True) -> ChannelImportJob:
    """Store an uploaded file as an import job and start its check after commit."""
    _require_registrar(user, county)
    job = ChannelImportJob(division=county, created_by=user)
    IMPORTER.store_upload(job, upload)
    job.save()
    record_event(user, "workgroups.import_upload", obj=job, division=county.pk, summary=job.original_name)
    if background:
        _start("workgroups_import_check", job.pk)
    return job


@transaction.atomic
def import_job_confirm(*, job: ChannelImportJob, user, background: bool = True) -> ChannelImportJob:
    _require_registrar(user, job.division)
    if job.error_count:
        raise SpreadsheetError(_("Only a checked import without errors can be confirmed."))
    job = IMPORTER.lock_for_confirm(job)
    record_event(user, "workgroups.import_confirm", obj=job, division=job.division_id)
    if background:
        _start("workgroups_import_apply", job.pk)
    return job


def _start(task_name: str, job_id: int) -> None:
    from villageburden.tasks import enqueue

    from . import tasks

    enqueue(getattr(tasks, task_name), job_id)


def export_response(channels, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The registry as CSV (BOM) or .xlsx, every cell neutralised by the shared writers."""
    rows = (channel_row(c) for c in channels)
    if fmt != "xlsx":
        return csv_response("work-groups.csv", SCHEMA.header_row(), rows)
    data = io.BytesIO()
    writing.write_xlsx(SCHEMA.header_row(), rows, data, "微信工作群和政务APP")
    return HttpResponse(
        data.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="work-groups.xlsx"'},
    )
