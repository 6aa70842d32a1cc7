"""What every benchmark shares: scratch databases, child processes, figures for ``bench/run``.

A benchmark that ``bench/run`` drives accepts ``--bench-run --postgres URL
--repeats N`` and prints one line ``BENCH-JSON {...}``: a list of figures, each
with its samples and the samples of its baseline measured in the same run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The national files: $BENCH_DATA, or shared/data/divisions-2023 beside or above the checkout.
DATA = Path(
    os.environ.get("BENCH_DATA")
    or next(
        (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()),
        ROOT.parent / "shared",
    )
    / "data"
    / "divisions-2023"
)
MARK = "BENCH-JSON "


def create_database(url: str, template: str = "template0") -> None:
    """Drop and recreate the database of ``url`` (UTF-8, C.UTF-8 ctype), optionally from a template."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if template == "template0":
            conn.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
        else:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def migrated_template(url: str) -> str:
    """A migrated, empty database next to ``url`` to clone scratch databases from (kept; re-migrated)."""
    base, name = url.rsplit("/", 1)
    template = f"{name}_template"
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
    if not exists:
        create_database(f"{base}/{template}")
    child_env = env(f"{base}/{template}")
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"], env=child_env, check=True)
    return template


def env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "villageburden.settings",
        # One hash seed for every child: the same code allocates the same way, so
        # steps compared by peak RSS differ only by what they hold.
        "PYTHONHASHSEED": "0",
        **extra,
    }


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    import django

    django.setup()


def settle(table: str | None = None) -> None:
    """Untimed, before a measurement: the server's upkeep of the rows written so far, done now.

    A measurement that writes or deletes tens of thousands of rows leaves
    enough behind to start autovacuum, which would otherwise run on the second
    core during whichever measurement comes next; a checkpoint likewise.
    ``table``: only that table is vacuumed and analysed (the whole database
    otherwise).
    """
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}" if table else "VACUUM (ANALYZE)")
        cur.execute("CHECKPOINT")


def run_child(script: Path, args: list[str], database_url: str) -> dict:
    """Run ``script --child ARGS`` in a fresh process; its last stdout line is JSON."""
    out = subprocess.run(
        [sys.executable, str(script), "--child", *args],
        env=env(database_url),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"{script.name} {' '.join(args)} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def pct(samples: list[float], p: float) -> float:
    """The ``p`` quantile (0.95: the p95) of ``samples``, by rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def summary(samples: list[float]) -> dict[str, float]:
    return {"min": min(samples), "median": statistics.median(samples), "max": max(samples)}


def figure(
    name: str,
    unit: str,
    samples: list[float],
    baseline: str,
    baseline_samples: list[float],
    *,
    at_most: float | None = None,
    at_least: float | None = None,
) -> dict:
    """One row of the table: the figure, its baseline, and the ratio per repeat.

    The goal is on the median ratio: ``at_most`` (times, memory) or ``at_least`` (throughput).
    """
    ratios = [s / b for s, b in zip(samples, baseline_samples, strict=True) if b]
    median = statistics.median(ratios)
    met = (at_most is None or median <= at_most) and (at_least is None or median >= at_least)
    goal = f"≤ {at_most}×" if at_most is not None else f"≥ {at_least}×" if at_least is not None else ""
    return {
        "figure": name,
        "unit": unit,
        "value": summary(samples),
        "baseline": baseline,
        "baseline_value": summary(baseline_samples),
        "ratio": summary(ratios),
        "goal": goal,
        "met": met if goal else None,
        "samples": samples,
        "baseline_samples": baseline_samples,
    }


def emit(figures: list[dict]) -> None:
    print(MARK + json.dumps(figures, ensure_ascii=False), flush=True)


def show(figures: list[dict]) -> None:
    """The figures as lines for a reader: ratio min / median / max and the goal."""
    for f in figures:
        r = f["ratio"]
        print(
            f"{f['figure']} ÷ {f['baseline']}: {r['min']:.2f}× / {r['median']:.2f}× / {r['max']:.2f}× {f['goal']}"
        )
