"""Benchmark: import all of China's 2023 division codes (665,276 rows).

Runs the real ``import_divisions`` service twice on each database — first into
an empty table, then again (the idempotent re-run, which must write nothing) —
in a child process per database, and prints rows/s and peak memory (max RSS).

    uv run python bench/bench_divisions.py [--data ../shared/data/divisions-2023]
        [--sqlite] [--postgres postgres://postgres@127.0.0.1:5433/bench_divisions]

PostgreSQL: the database is dropped and recreated (UTF-8, C.UTF-8 ctype).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "divisions-2023"


def child(data: Path) -> None:
    """Inside a fresh process: migrate, import twice, print JSON figures."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from divisions.models import Division
    from divisions.services import import_divisions

    call_command("migrate", verbosity=0)
    first = import_divisions(data)
    second = import_divisions(data)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "rows": first.rows_read,
                "divisions": Division.objects.count(),
                "folded": first.folded,
                "first_seconds": round(first.seconds, 1),
                "first_rows_per_s": round(first.rows_read / first.seconds),
                "created": first.created,
                "rerun_seconds": round(second.seconds, 1),
                "rerun_changed": second.created + second.updated,
                "peak_rss_mb": round(peak_mb),
            }
        )
    )


def run(label: str, database_url: str, data: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_ENV": "development", "DEBUG": "false"}
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--data", str(data)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    result["label"] = label
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--postgres", default="")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.data)
        return
    targets = []
    if args.sqlite or not args.postgres:
        db = ROOT / "var" / "bench_divisions.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        targets.append(("SQLite", f"sqlite:///{db}"))
    if args.postgres:
        name = args.postgres.rsplit("/", 1)[1]
        admin = args.postgres.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(
                f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                "LC_CTYPE 'C.UTF-8' TEMPLATE template0"
            )
        targets.append(("PostgreSQL", args.postgres))
    print(
        f"{'database':<11} {'rows read':>9} {'stored':>8} {'import s':>9} {'rows/s':>8} "
        f"{'re-run s':>9} {'re-run writes':>13} {'peak RSS MB':>12}"
    )
    for label, url in targets:
        r = run(label, url, args.data)
        print(
            f"{label:<11} {r['rows']:>9,} {r['divisions']:>8,} {r['first_seconds']:>9} "
            f"{r['first_rows_per_s']:>8,} "
            f"{r['rerun_seconds']:>9} {r['rerun_changed']:>13} {r['peak_rss_mb']:>12}"
        )


if __name__ == "__main__":
    main()
