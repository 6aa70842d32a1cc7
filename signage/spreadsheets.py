"""Village plaque inventories in and out of spreadsheets, on the shared checked import (``spreadsheets``).

*Check* validates every row with ``services.plaque_clean`` (the rule the phone
form and the API use) and then, knowing who imports, that the village is one
of the township's own and that the listed name is on the rules in force;
errors are reported by row and column and nothing is written. Once the clerk
confirms, *apply* writes the rows through ``services.village_plaque_record`` /
``village_plaque_update``, so every row is checked against the rules and opens
its rectification items as a plaque recorded by hand does. A plaque is matched
by village, placement and text among those still hanging: a row equal to it is
unchanged, so re-importing an export writes nothing. Photos are taken on the
phone, not carried in spreadsheets.
"""

from __future__ import annotations

from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from audit.services import record_event
from divisions.models import Division, Level
from spreadsheets import writing
from spreadsheets.imports import CHANGED, NEW, UNCHANGED, Applier, Importer, Outcome, RowRefused
from spreadsheets.reading import SpreadsheetError
from spreadsheets.schema import Column, Schema, cell_number, cell_text

from . import services
from .choices import Colour, Language, Placement, PlaqueStatus, Shape, SignKind, Typeface
from .models import TOWNSHIP_WRITERS, PlaqueImportJob, VillagePlaque

__all__ = ["SpreadsheetError", "import_job_confirm", "import_job_create", "plaque_row", "write_xlsx"]

COLUMNS: list[tuple[str, str]] = [
    ("village", "村代码"),
    ("village_name", "村名"),
    ("text", "牌子文字"),
    ("placement", "位置"),
    ("kind", "类别"),
    ("rule_name", "对应规定牌子"),
    ("room", "房间"),
    ("owner_department", "所属部门"),
    ("shape", "形状"),
    ("width_cm", "宽（厘米）"),
    ("height_cm", "高（厘米）"),
    ("ground_colour", "底色"),
    ("text_colour", "字色"),
    ("typeface", "字体"),
    ("material", "材质"),
    ("languages", "语言"),
    # Written by the export; a removed plaque's row is skipped on import (it no longer hangs).
    ("status", "状态"),
    ("removed_on", "拆除日期"),
]
CHOICES = {
    "placement": Placement,
    "kind": SignKind,
    "shape": Shape,
    "ground_colour": Colour,
    "text_colour": Colour,
    "typeface": Typeface,
}


def _labels(choices: Any) -> dict[str, str]:
    """Value → its Chinese label (what a clerk reads and types), whatever language the page is in."""
    with translation.override("zh-hans"):
        return {str(value): str(label) for value, label in choices.choices}


def _from_label(choices: Any, value: Any) -> str:
    text = "" if value is None else str(value).strip()
    by_label = {label: key for key, label in _labels(choices).items()}
    return by_label.get(text, text)


def plaque_row(plaque: VillagePlaque) -> list[Any]:
    values: dict[str, Any] = {f: getattr(plaque, f, "") for f, _label in COLUMNS}
    values["village"] = plaque.village_id
    values["village_name"] = plaque.village.name
    for field, choices in CHOICES.items():
        values[field] = _labels(choices).get(values[field] or "", values[field] or "")
    languages = _labels(Language)
    values["languages"] = "、".join(languages.get(x, x) for x in plaque.languages)
    for dim in ("width_cm", "height_cm"):
        values[dim] = "" if values[dim] is None else str(values[dim])
    values["status"] = _labels(PlaqueStatus).get(plaque.status, plaque.status)
    values["removed_on"] = plaque.removed_on.isoformat() if plaque.removed_on else ""
    return [values[key] for key, _label in COLUMNS]


class PlaqueSchema(Schema):
    columns = tuple(Column(key, label, key in ("village", "text", "placement")) for key, label in COLUMNS)
    aliases = {
        "村": "village",
        "村级代码": "village",
        "文字": "text",
        "牌子名称": "text",
        "部门": "owner_department",
    }

    def clean(self, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        data: dict[str, Any] = {k: ("" if v is None else v) for k, v in raw.items()}
        errors: dict[str, list[str]] = {}
        status = _from_label(PlaqueStatus, data.pop("status", ""))
        data.pop("removed_on", None)
        if status not in ("", *PlaqueStatus.values):
            errors["status"] = [_("Choose one of the listed values.")]
        code = cell_text(data.get("village"))
        if not (code.isdigit() and len(code) == 12):
            errors["village"] = [_("Enter the village's 12-digit code.")]
        for field, choices in CHOICES.items():
            data[field] = _from_label(choices, data.get(field))
        languages = _labels(Language)
        by_label = {label: key for key, label in languages.items()}
        words = str(data.get("languages", "")).replace("，", "、").replace(",", "、").split("、")
        data["languages"] = [by_label.get(w.strip(), w.strip()) for w in words if w.strip()]
        for dim in ("width_cm", "height_cm"):
            value = cell_number(data.get(dim))
            data[dim] = str(value) if isinstance(value, Decimal | int) else value
        try:
            values = services.plaque_clean(data, village=None)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            return {}, errors
        if errors:
            return {}, errors
        return {"village": code, "removed": status == PlaqueStatus.REMOVED, **values}, {}


SCHEMA = PlaqueSchema()
COMPARED = ("rule_name", *services.PLAQUE_FIELDS)


def _compared(values: dict[str, Any]) -> tuple:
    return tuple(
        str(sorted(v) if isinstance(v := values.get(f), list) else ("" if v is None else v)) for f in COMPARED
    )


class PlaqueApplier(Applier):
    def __init__(self, job: PlaqueImportJob, write: bool) -> None:
        self.job = job
        self.user = job.created_by
        self.villages: dict[str, Division | None] = {}

    def _village(self, code: str) -> Division:
        if code not in self.villages:
            self.villages[code] = (
                Division.objects.restrict(self.user).filter(code=code, level=Level.VILLAGE).first()
            )
        village = self.villages[code]
        if village is None:
            raise RowRefused("village", _("No such village in your jurisdiction."))
        return village

    def row(self, values: dict[str, Any]) -> tuple[str, Any]:
        village = self._village(values["village"])
        if values.get("removed"):
            return UNCHANGED, None  # a removal is recorded on the phone, with its photo
        data = {k: v for k, v in values.items() if k not in ("village", "removed")}
        try:
            clean = services.plaque_clean(data, village=village)
        except ValidationError as exc:
            key, messages = next(iter(exc.message_dict.items()))
            raise RowRefused(key, messages[0]) from exc
        same = (
            VillagePlaque.objects.filter(
                village=village, placement=clean["placement"], text=clean["text"], status=PlaqueStatus.HANGING
            )
            .order_by("pk")
            .first()
        )
        if same is None:
            return NEW, {"village": village.code, "data": clean}
        if _compared({f: getattr(same, f) for f in COMPARED}) == _compared(clean):
            return UNCHANGED, None
        return CHANGED, {"village": village.code, "plaque_id": same.pk, "data": clean}

    def write(self, payloads: list[Any]) -> None:
        for p in payloads:
            if "plaque_id" in p:
                services.village_plaque_update(user=self.user, plaque_id=p["plaque_id"], data=p["data"])
            else:
                services.village_plaque_record(user=self.user, village=p["village"], data=p["data"])


class PlaqueImporter(Importer):
    schema = SCHEMA

    def applier(self, job: PlaqueImportJob, *, write: bool) -> PlaqueApplier:
        return PlaqueApplier(job, write)

    def applied(self, job: PlaqueImportJob, outcome: Outcome) -> None:
        record_event(
            job.created_by,
            "signage.import",
            obj=job,
            division=job.division_id,
            summary=f"{job.original_name}: {outcome.new} new, {outcome.changed} changed, {outcome.unchanged} unchanged",
        )


IMPORTER = PlaqueImporter()


def write_xlsx(plaques, out: IO[bytes], title: str = "村级挂牌") -> None:
    writing.write_xlsx(SCHEMA.header_row(), (plaque_row(p) for p in plaques), out, title)


def _township_of(user: Any) -> Division:
    if not (user.is_authenticated and user.role in TOWNSHIP_WRITERS):
        raise PermissionDenied(_("Township staff record their villages' plaques."))
    township = user.jurisdiction
    if township is None or township.level != Level.TOWNSHIP:
        raise PermissionDenied(_("Township staff record their villages' plaques."))
    return township


@transaction.atomic
def import_job_create(*, upload, user, background: bool = True) -> PlaqueImportJob:
    """Store an uploaded file as an import job of the clerk's township and start its check after commit."""
    township = _township_of(user)
    job = PlaqueImportJob(division=township, created_by=user)
    IMPORTER.store_upload(job, upload)
    job.save()
    record_event(user, "signage.import_upload", obj=job, division=township, summary=job.original_name)
    if background:
        _start("signage_import_check", job.pk)
    return job


@transaction.atomic
def import_job_confirm(*, job: PlaqueImportJob, user, background: bool = True) -> PlaqueImportJob:
    """The clerk confirms a checked import: it is written after commit, row by row through the services."""
    if not PlaqueImportJob.objects.restrict(user, "change").filter(pk=job.pk).exists():
        raise PermissionDenied(_("Township staff record their villages' plaques."))
    if job.error_count:
        raise SpreadsheetError(_("Only a checked import without errors can be confirmed."))
    job = IMPORTER.lock_for_confirm(job)
    record_event(user, "signage.import_confirm", obj=job, division=job.division_id)
    if background:
        _start("signage_import_apply", job.pk)
    return job


def _start(task_name: str, job_id: int) -> None:
    from villageburden.tasks import enqueue

    from . import tasks

    enqueue(getattr(tasks, task_name), job_id)
