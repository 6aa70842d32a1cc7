"""The division import on PostgreSQL: COPY each file into a staging table, validate in SQL.

Python reads only each file's header; the rows stream from the gzip file
straight into ``COPY`` (no per-row Python), and every check of the row-by-row
import runs as one query over the staging table, reporting the first bad row
by file and line with the same message. Only then is the level written, in
one transaction: an ``INSERT … SELECT`` of the new codes and an ``UPDATE`` of
the names and parents that changed (their old and new values are returned
for the import's audit event). A no-op re-run therefore holds nothing in
Python memory and writes nothing.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import connection, transaction

from .models import Division, Level
from .scoping import LEVEL_DIGITS

if TYPE_CHECKING:
    from .services import ImportStats

CHUNK = 1 << 16
# Columns the statistical data owns; every other column gets its model default.
OWNED = ("code", "name", "level", "parent", "settlement_kind", "area_type")
WS = r"E' \t\r\n'"


def _clean(column: str) -> str:
    return f"coalesce(btrim({column}, {WS}), '')"


def _classify_sql() -> tuple[str, str]:
    """``services.classify`` as SQL over ``name`` (village level only)."""
    from .models import AreaType, SettlementKind
    from .services import COMMUNITY_SUFFIXES

    community = " OR ".join(f"name LIKE '%%{s}'" for s in COMMUNITY_SUFFIXES)
    kind = (
        f"CASE WHEN level <> {Level.VILLAGE} THEN '' WHEN {community} "
        f"THEN '{SettlementKind.COMMUNITY}' ELSE '{SettlementKind.VILLAGE}' END"
    )
    area = (
        f"CASE WHEN level <> {Level.VILLAGE} THEN '' WHEN {community} THEN '{AreaType.URBAN}' "
        f"WHEN name LIKE '%%嘎查%%' THEN '{AreaType.PASTORAL}' ELSE '{AreaType.FARMING}' END"
    )
    return kind, area


def _open(path: Path) -> io.BufferedIOBase:
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")  # type: ignore[return-value]


def import_divisions_postgresql(
    directory: Path, prefix: str, progress: Callable[[str], None], stats: ImportStats
) -> None:
    from .services import LEVEL_FILES, DivisionImportError, _locate

    table = Division._meta.db_table
    others = [
        f
        for f in Division._meta.concrete_fields
        if f.name not in OWNED  # e.g. households, is_central_village: local data
    ]
    other_cols = "".join(f", {connection.ops.quote_name(f.column)}" for f in others)
    other_vals = [f.get_db_prep_save(f.get_default(), connection) for f in others]
    other_params = "".join(", %s" for _ in others)
    kind_sql, area_sql = _classify_sql()
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS division_import_rows, division_import_level, division_import_known")
        cur.execute("CREATE TEMP TABLE division_import_known (code varchar(12) PRIMARY KEY)")
        try:
            for filename, level, parent_col in LEVEL_FILES:
                path = _locate(directory, filename)
                digits = LEVEL_DIGITS[level]
                wanted = prefix[:digits] if prefix and len(prefix) > digits else prefix
                with _open(path) as fh:
                    header = next(csv.reader([fh.readline().decode("utf-8-sig")]))
                    columns = [f"c{i}" for i in range(len(header))]
                    index = {name.strip(): i for i, name in enumerate(header)}
                    if "code" not in index or "name" not in index:
                        raise DivisionImportError(f"{filename}:1: the header needs code and name columns")
                    code_c = _clean(f"c{index['code']}")
                    name_c = _clean(f"c{index['name']}")
                    parent_c = _clean(f"c{index[parent_col]}") if parent_col in index else "''"
                    with transaction.atomic():
                        cur.execute("DROP TABLE IF EXISTS division_import_rows, division_import_level")
                        cur.execute(
                            "CREATE TEMP TABLE division_import_rows "
                            "(lineno bigint GENERATED ALWAYS AS IDENTITY (START 2), "
                            + ", ".join(f"{c} text" for c in columns)
                            + ")"
                        )
                        try:
                            with cur.cursor.copy(  # type: ignore[attr-defined]
                                f"COPY division_import_rows ({', '.join(columns)}) FROM STDIN (FORMAT csv)"
                            ) as copy:
                                while chunk := fh.read(CHUNK):
                                    copy.write(chunk)
                        except Exception as exc:  # malformed CSV: wrong column count, bad quoting
                            detail = str(exc).splitlines()[0]
                            raise DivisionImportError(f"{filename}: {detail}") from exc
                # The cleaned rows of this import (prefix applied), not yet checked.
                cur.execute(
                    "CREATE TEMP TABLE division_import_level AS "
                    f"SELECT lineno, {code_c} AS raw, {name_c} AS name, {parent_c} AS parent_raw "
                    "FROM division_import_rows WHERE " + (f"{code_c} LIKE %s" if wanted else "true"),
                    [wanted + "%"] if wanted else [],
                )
                cur.execute("DROP TABLE division_import_rows")
                cur.execute("ANALYZE division_import_level")
                _check(cur, filename, level, digits, parent_col is not None)
                with transaction.atomic():
                    _write_level(
                        cur, table, level, kind_sql, area_sql, other_cols, other_params, other_vals, stats
                    )
                    count = _count(cur, "SELECT count(*) FROM division_import_level")
                    stats.per_level[level] = count
                    # The codes children of the next level may name: every row read,
                    # a folded placeholder standing for its parent's (equal) code.
                    cur.execute("TRUNCATE division_import_known")
                    cur.execute(
                        "INSERT INTO division_import_known "
                        "SELECT DISTINCT rpad(raw, 12, '0') FROM division_import_level"
                    )
                    cur.execute("ANALYZE division_import_known")
                progress(f"{Level(level).label}: {count:,} rows")
        finally:
            cur.execute(
                "DROP TABLE IF EXISTS division_import_rows, division_import_level, division_import_known"
            )


def _count(cur, sql: str, params: list | None = None) -> int:
    cur.execute(sql, params or [])
    return int(cur.fetchone()[0])


def _check(cur, filename: str, level: int, digits: int, has_parent_col: bool) -> None:
    """The first bad row in file order, with the row-by-row import's message."""
    from .services import DivisionImportError

    parent_digits = LEVEL_DIGITS[level - 1] if level > Level.PROVINCE else 0
    problems = [
        f"WHEN length(raw) <> {digits} OR raw !~ '^[0-9]+$' THEN 'digits'",
        "WHEN name = '' THEN 'name'",
    ]
    if level > Level.PROVINCE:
        problems += [
            f"WHEN length(parent_raw) <> {parent_digits} OR left(raw, length(parent_raw)) <> parent_raw "
            "THEN 'extends'",
            "WHEN NOT EXISTS (SELECT 1 FROM division_import_known k WHERE k.code = rpad(parent_raw, 12, '0')) "
            "THEN 'parent'",
        ]
    cur.execute(
        "SELECT lineno, raw, parent_raw, problem FROM ("
        f"SELECT lineno, raw, parent_raw, CASE {' '.join(problems)} END AS problem "
        "FROM division_import_level) t WHERE problem IS NOT NULL ORDER BY lineno LIMIT 1"
    )
    bad = cur.fetchone()
    if bad is None:
        return
    lineno, raw, parent_raw, problem = bad
    where = f"{filename}:{lineno}"
    if problem == "digits":
        raise DivisionImportError(f"{where}: code {raw!r} should have {digits} digits for level {level}")
    if problem == "name":
        raise DivisionImportError(f"{where}: code {raw} has no name")
    if problem == "extends":
        raise DivisionImportError(f"{where}: code {raw} does not extend its parent code {parent_raw!r}")
    raise DivisionImportError(f"{where}: parent {parent_raw} of {raw} is not a known division")


def _write_level(
    cur,
    table: str,
    level: int,
    kind_sql: str,
    area_sql: str,
    other_cols: str,
    other_params: str,
    other_vals: list,
    stats: ImportStats,
) -> None:
    """Insert the new codes, update changed names/parents; placeholders fold into their parent."""
    parent = "rpad(parent_raw, 12, '0')" if level > Level.PROVINCE else "NULL"
    rows = (
        f"SELECT rpad(raw, 12, '0') AS code, name, {level} AS level, {parent} AS parent_id "
        "FROM division_import_level"
    )
    if level > Level.PROVINCE:
        stats.folded += _count(
            cur,
            "SELECT count(*) FROM division_import_level WHERE rpad(parent_raw, 12, '0') = rpad(raw, 12, '0')",
        )
        rows += " WHERE rpad(parent_raw, 12, '0') <> rpad(raw, 12, '0')"
    # Changed rows first (few): their old values go into the audit event.
    cur.execute(
        f"SELECT d.code, d.name, d.parent_id, s.name, s.parent_id FROM ({rows}) s "
        f"JOIN {table} d ON d.code = s.code "
        "WHERE (d.name, d.parent_id) IS DISTINCT FROM (s.name, s.parent_id) ORDER BY d.code FOR UPDATE OF d"
    )
    changed = cur.fetchall()
    if changed:
        cur.execute(
            f"UPDATE {table} d SET name = s.name, parent_id = s.parent_id FROM ({rows}) s "
            "WHERE d.code = s.code AND (d.name, d.parent_id) IS DISTINCT FROM (s.name, s.parent_id)"
        )
        for code, old_name, old_parent, new_name, new_parent in changed:
            stats.before[code] = [old_name, old_parent]
            stats.after[code] = [new_name, new_parent]
    cur.execute(
        f"INSERT INTO {table} (code, name, level, parent_id, settlement_kind, area_type{other_cols}) "
        f"SELECT code, name, level, parent_id, {kind_sql}, {area_sql}{other_params} FROM ({rows}) s "
        f"WHERE NOT EXISTS (SELECT 1 FROM {table} d WHERE d.code = s.code) ORDER BY code",
        other_vals,
    )
    created = cur.rowcount
    total = _count(cur, f"SELECT count(*) FROM ({rows}) s")
    stats.created += created
    stats.updated += len(changed)
    stats.unchanged += total - created - len(changed)
