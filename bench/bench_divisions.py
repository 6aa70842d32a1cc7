"""Benchmark: import all of China's 2023 division codes (665,276 rows) against a binary COPY.

Each repeat, in a fresh database cloned from a migrated template and a fresh
process per step (so each peak RSS is that step's own):

1. the real ``import_divisions`` service into the empty table;
2. the idempotent re-run (must write nothing), in its own process;
3. the baseline: the same rows (read from the same files, padded, classified)
   written by one psycopg **binary COPY** into the same table with the same
   indexes and constraints, in an empty clone.

    uv run python bench/bench_divisions.py --postgres postgres://postgres@127.0.0.1:57416/bench_divisions
        [--repeats 2] [--data ../shared/data/divisions-2023] [--sqlite] [--bench-run]

``--sqlite`` times the service on a scratch SQLite file instead (no baseline).
The last database built is left in place: ``bench/run`` builds the national
data on it for the other benchmarks.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, ROOT, create_database, emit, figure, migrated_template, run_child, setup_django


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child(step: str, data: Path) -> None:
    setup_django()
    from divisions.models import Division

    if step in ("import", "rerun"):
        from divisions.services import import_divisions

        stats = import_divisions(data)
        result = {
            "seconds": stats.seconds,
            "rows": stats.rows_read,
            "written": stats.created + stats.updated,
            "folded": stats.folded,
        }
    else:
        result = {"seconds": copy_baseline(data), "rows": 0, "written": 0, "folded": 0}
    result["stored"] = Division.objects.count()
    result["peak_mb"] = peak_mb()
    print(json.dumps(result))


def copy_baseline(data: Path) -> float:
    """The physical limit: read the files, pad and classify in Python, one binary COPY."""
    from django.db import connection, transaction

    from divisions.models import Division
    from divisions.services import LEVEL_FILES, classify, pad

    owned = ["code", "name", "level", "parent", "settlement_kind", "area_type"]
    others = [f for f in Division._meta.concrete_fields if f.name not in owned]
    fields = [Division._meta.get_field(n) for n in owned] + others
    alias = {"smallint": "int2", "integer": "int4", "boolean": "bool", "bigint": "int8"}
    types = [alias.get(t, t) for t in (f.db_type(connection).split("(")[0] for f in fields)]
    fixed = [f.get_default() for f in others]
    columns = ", ".join(f.column for f in fields)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {Division._meta.db_table} ({columns}) FROM STDIN (FORMAT binary)") as cp:
            cp.set_types(types)
            for filename, level, parent_col in LEVEL_FILES:
                with gzip.open(data / filename, "rt", encoding="utf-8", newline="") as fh:
                    for row in csv.DictReader(fh):
                        code = pad(row["code"])
                        parent = pad(row[parent_col]) if parent_col else None
                        if parent == code:
                            continue
                        kind, area = classify(row["name"], level)
                        cp.write_row([code, row["name"], level, parent, kind, area, *fixed])
    return time.perf_counter() - started


def sqlite(data: Path) -> None:
    db = ROOT / "var" / "bench_divisions.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    import subprocess

    from common import env

    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"], env=env(url), check=True)
    first = run_child(Path(__file__), ["import", "--data", str(data)], url)
    second = run_child(Path(__file__), ["rerun", "--data", str(data)], url)
    print(
        f"SQLite import: {first['rows']:,} rows, {first['stored']:,} stored, {first['seconds']:.1f} s, "
        f"{first['peak_mb']} MB; re-run {second['seconds']:.1f} s, {second['written']} writes, "
        f"{second['peak_mb']} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("step", nargs="?", default="")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--postgres", default="")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--bench-run", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.step, args.data)
        return
    if args.sqlite:
        sqlite(args.data)
        if not args.postgres:
            return
    url = args.postgres
    base, name = url.rsplit("/", 1)
    template = migrated_template(url)
    copy_url = f"{base}/{name}_copy"
    imports, reruns, copies = [], [], []
    for i in range(args.repeats):
        create_database(copy_url, template)
        copies.append(run_child(Path(__file__), ["copy", "--data", str(args.data)], copy_url))
        create_database(url, template)
        imports.append(run_child(Path(__file__), ["import", "--data", str(args.data)], url))
        reruns.append(run_child(Path(__file__), ["rerun", "--data", str(args.data)], url))
        print(
            f"repeat {i + 1}: import {imports[-1]}, re-run {reruns[-1]}, copy {copies[-1]}", file=sys.stderr
        )
    create_database(copy_url)  # empty: free the space
    first, again = imports[-1], reruns[-1]
    assert again["written"] == 0, "the re-run wrote rows"
    assert first["stored"] == copies[-1]["stored"], (first["stored"], copies[-1]["stored"])
    figures = [
        figure(
            f"division import, {first['rows']:,} rows ({first['stored']:,} stored)",
            "s",
            [r["seconds"] for r in imports],
            "psycopg binary COPY of the same rows, same table",
            [r["seconds"] for r in copies],
            at_most=1.5,
        ),
        figure(
            "division no-op re-run (0 writes), time",
            "s",
            [r["seconds"] for r in reruns],
            "the import",
            [r["seconds"] for r in imports],
        ),
        figure(
            "division no-op re-run, peak RSS",
            "MB",
            [r["peak_mb"] for r in reruns],
            "the import's peak RSS",
            [r["peak_mb"] for r in imports],
            at_most=1.0,
        ),
    ]
    if args.bench_run:
        emit(figures)
    else:
        for f in figures:
            print(
                f"{f['figure']}: {f['value']} {f['unit']} vs {f['baseline']} {f['baseline_value']} "
                f"-> ratio {f['ratio']} (goal {f['goal'] or '-'})"
            )


if __name__ == "__main__":
    main()
