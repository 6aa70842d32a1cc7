"""Importing China's statistical division codes (2023 edition, five levels), and the village attributes township staff keep."""

from __future__ import annotations

import csv
import gzip
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, reset_queries, transaction
from django.utils.translation import gettext as _

from .models import AreaType, Division, Level, SettlementKind
from .scoping import LEVEL_DIGITS

# file, level, the column naming the parent
LEVEL_FILES: list[tuple[str, int, str | None]] = [
    ("provinces.csv.gz", Level.PROVINCE, None),
    ("cities.csv.gz", Level.PREFECTURE, "provinceCode"),
    ("areas.csv.gz", Level.COUNTY, "cityCode"),
    ("streets.csv.gz", Level.TOWNSHIP, "areaCode"),
    ("villages.csv.gz", Level.VILLAGE, "streetCode"),
]
BATCH = 5000
COMMUNITY_SUFFIXES = ("社区居委会", "居委会", "社区居民委员会", "居民委员会", "社区")


class DivisionImportError(Exception):
    """The file is not a valid division file; nothing from the bad batch was written."""


@dataclass
class ImportStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Placeholder rows whose 12-digit code is their parent's (东莞市 as its own
    # "county", 金门县 as its own "township"): the same place, folded into it.
    folded: int = 0
    # code -> [name, parent] before and after, for rows an import changed
    # (bulk writes bypass row history; the import's audit event carries these).
    before: dict[str, list] = field(default_factory=dict)
    after: dict[str, list] = field(default_factory=dict)
    per_level: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def rows_read(self) -> int:
        return self.total + self.folded

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def classify(name: str, level: int) -> tuple[str, str]:
    """Settlement kind and area type guessed from a village-level name.

    The statistical data carries no such attributes. A residents' committee
    (居委会/社区) is an urban community; a gacha (嘎查) is a pastoral village in
    Inner Mongolia; every other village starts as farming. Township staff
    correct them in the division's page; re-imports keep their corrections.
    """
    if level != Level.VILLAGE:
        return "", ""
    if name.endswith(COMMUNITY_SUFFIXES):
        return SettlementKind.COMMUNITY, AreaType.URBAN
    if "嘎查" in name:
        return SettlementKind.VILLAGE, AreaType.PASTORAL
    return SettlementKind.VILLAGE, AreaType.FARMING


def pad(code: str) -> str:
    return code.ljust(12, "0")


def _rows(path: Path) -> Iterator[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _locate(directory: Path, name: str) -> Path:
    for candidate in (directory / name, directory / name.removesuffix(".gz")):
        if candidate.exists():
            return candidate
    raise DivisionImportError(f"{name} not found in {directory}")


def import_divisions(
    directory: Path,
    prefix: str = "",
    progress: Callable[[str], None] = lambda _msg: None,
) -> ImportStats:
    """Create or update divisions from the five CSV files in ``directory``.

    Idempotent: rows are compared with what is stored and only differences are
    written, so a second run reports zero changes. ``prefix`` (e.g. ``"15"``)
    limits the import to one province or smaller subtree. Codes are validated
    as they stream: each has the length of its level and extends its parent's
    code, and its parent is among the rows read at the level above. A row
    whose 12-digit code equals its parent's (the data's stand-in for a missing
    county or township level, e.g. 东莞市) is the same place: it is folded
    into the parent and counted, not stored twice.
    Each batch of 5,000 rows is one transaction; a bad row stops the import
    with its file and line, leaving the earlier, valid batches in place (a
    re-run after the fix picks up from there).

    On PostgreSQL the same checks run in SQL over each file COPY-loaded into a
    staging table (``importing_postgres``): a level is checked whole before any
    of it is written, and each level is one transaction.
    """
    if prefix and not prefix.isdigit():
        raise DivisionImportError(f"prefix must be digits, got {prefix!r}")
    started = time.perf_counter()
    stats = ImportStats()
    if connection.vendor == "postgresql":
        from .importing_postgres import import_divisions_postgresql

        import_divisions_postgresql(directory, prefix, progress, stats)
        stats.seconds = time.perf_counter() - started
        return stats
    known_parents: set[str] = set()
    for filename, level, parent_col in LEVEL_FILES:
        path = _locate(directory, filename)
        digits = LEVEL_DIGITS[level]
        if prefix and len(prefix) > digits:
            # Upper levels above the prefix: only the ancestors of the prefix.
            wanted = prefix[:digits]
        else:
            wanted = prefix
        seen_this_level: set[str] = set()
        batch: list[Division] = []
        count = 0
        for lineno, row in enumerate(_rows(path), start=2):
            raw = (row.get("code") or "").strip()
            if wanted and not raw.startswith(wanted):
                continue
            name = (row.get("name") or "").strip()
            if len(raw) != digits or not raw.isdigit():
                raise DivisionImportError(
                    f"{filename}:{lineno}: code {raw!r} should have {digits} digits for level {level}"
                )
            if not name:
                raise DivisionImportError(f"{filename}:{lineno}: code {raw} has no name")
            parent = None
            if parent_col:
                parent_raw = (row.get(parent_col) or "").strip()
                if not raw.startswith(parent_raw) or len(parent_raw) != LEVEL_DIGITS[level - 1]:
                    raise DivisionImportError(
                        f"{filename}:{lineno}: code {raw} does not extend its parent code {parent_raw!r}"
                    )
                parent = pad(parent_raw)
                if parent not in known_parents:
                    raise DivisionImportError(
                        f"{filename}:{lineno}: parent {parent_raw} of {raw} is not a known division"
                    )
            if parent == pad(raw):
                # A pseudo-level row (the data's stand-in for a missing county or
                # township level) denotes its parent; children attach to that.
                stats.folded += 1
                seen_this_level.add(parent)
                count += 1
                continue
            kind, area = classify(name, level)
            batch.append(
                Division(
                    code=pad(raw),
                    name=name,
                    level=level,
                    parent_id=parent,
                    settlement_kind=kind,
                    area_type=area,
                )
            )
            if level < Level.VILLAGE:
                seen_this_level.add(pad(raw))
            if len(batch) >= BATCH:
                _write(batch, stats)
                count += len(batch)
                batch = []
                if count // 50000 > (count - BATCH) // 50000:
                    progress(f"  {Level(level).label}: {count:,} rows")
        if batch:
            _write(batch, stats)
            count += len(batch)
        stats.per_level[level] = count
        progress(f"{Level(level).label}: {count:,} rows")
        known_parents = seen_this_level
    stats.seconds = time.perf_counter() - started
    return stats


def _write(batch: list[Division], stats: ImportStats) -> None:
    """Insert new rows and update changed ones; the batch is one transaction."""
    codes = [d.code for d in batch]
    lo, hi = min(codes), max(codes)
    with transaction.atomic():
        # The files are sorted by code, so a batch is one index range scan.
        existing = {
            code: (name, parent_id)
            for code, name, parent_id in Division.objects.filter(code__range=(lo, hi))
            .values_list("code", "name", "parent_id")
            .iterator(chunk_size=BATCH)
        }
        new = [d for d in batch if d.code not in existing]
        changed = [d for d in batch if d.code in existing and existing[d.code] != (d.name, d.parent_id)]
        if new:
            Division.objects.bulk_create(new, batch_size=1000)
        if changed:
            # Only the fields the statistical data owns: local corrections stay.
            Division.objects.bulk_update(changed, ["name", "parent"], batch_size=1000)
            for d in changed:
                stats.before[d.code] = list(existing[d.code])
                stats.after[d.code] = [d.name, d.parent_id]
    # With DEBUG on, Django keeps every statement; 665k rows of them add up.
    reset_queries()
    stats.created += len(new)
    stats.updated += len(changed)
    stats.unchanged += len(batch) - len(new) - len(changed)


# --- village attributes (township staff, their own villages) --------------------------

VILLAGE_ATTRIBUTES = (
    "settlement_kind",
    "area_type",
    "is_central_village",
    "households",
    "service_floor_area",
)


@transaction.atomic
def village_attributes_update(*, user: Any, code: str, data: dict[str, Any]) -> Division:
    """Record what the floor-area standards need to know of a village (seed 000 §7, seed 002 §3(7)).

    Township staff only, for villages of their own township; the row's history
    (django-simple-history) keeps every earlier value with who changed it.
    Fields absent from ``data`` are left as they are.
    """
    from audit.services import record_event
    from organisations.choices import Role

    if not (user.is_superuser or getattr(user, "role", "") == Role.TOWNSHIP_STAFF):
        raise PermissionDenied(_("Township staff record their villages' attributes."))
    village = (
        Division.objects.restrict(user).select_for_update().filter(code=code, level=Level.VILLAGE).first()
    )
    if village is None:
        raise Division.DoesNotExist
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    if "settlement_kind" in data:
        clean["settlement_kind"] = str(data["settlement_kind"] or "")
        if clean["settlement_kind"] not in SettlementKind.values:
            errors["settlement_kind"] = _("Choose one of the listed values.")
    if "area_type" in data:
        clean["area_type"] = str(data["area_type"] or "")
        if clean["area_type"] and clean["area_type"] not in AreaType.values:
            errors["area_type"] = _("Choose one of the listed values.")
    if "is_central_village" in data:
        clean["is_central_village"] = bool(data["is_central_village"])
    if "households" in data:
        raw = data["households"]
        if raw in (None, ""):
            clean["households"] = None
        else:
            try:
                clean["households"] = int(str(raw).strip())
                if not 0 <= clean["households"] <= 1_000_000:
                    raise ValueError
            except ValueError:
                errors["households"] = _("A whole number of households, 0 or more.")
    if "service_floor_area" in data:
        raw = data["service_floor_area"]
        if raw in (None, ""):
            clean["service_floor_area"] = None
        else:
            try:
                area = Decimal(str(raw).strip())
                if not area.is_finite() or not Decimal(0) <= area <= Decimal(100000):
                    raise InvalidOperation
                clean["service_floor_area"] = area.quantize(Decimal("0.1"))
            except InvalidOperation:
                errors["service_floor_area"] = _("A floor area in square metres, e.g. 180 or 152.5.")
    if errors:
        raise ValidationError(errors)
    before = {f: str(getattr(village, f)) for f in VILLAGE_ATTRIBUTES}
    for k, v in clean.items():
        setattr(village, k, v)
    village._history_user = user
    village.save(update_fields=list(clean) or None)
    after = {f: str(getattr(village, f)) for f in VILLAGE_ATTRIBUTES}
    record_event(
        user, "divisions.village_attributes", obj=village, division=village, before=before, after=after
    )
    return village
