"""Village tasks at two sizes: the reads the pages make, and the table's upkeep (when to partition).

The table grows the way it will in use: the same ~620,000 villages, and every
season more approved requests dispatched to all of a county's villages. In a
database of its own, cloned from the national one (``bench/run`` builds it:
the 665,276 divisions and the dispatch history of ``bench/national.py``, 3
requests per county, ~1.86M tasks), the benchmark times the reads below, then
adds ``--seasons`` more seasons of the same size (each another department's 3
requests per county, by the same COPY, the trigger and the foreign keys
checking every row) and times them again. Each read is the queryset the page
builds, through the registry's own selectors and scoping, for a sample of
counties across the country (p95 over ``--rounds`` reads):

- a township's workbench panel (``gate.selectors.panel_counts``): its open and
  overdue tasks and the next five;
- the township's task list, first page (``gate.views.tasks``: 50 rows by due date);
- one village's open tasks;
- the county dashboard's per-village figures (``gate.burden_sources.task_figures``);
- one request's progress by status (``gate.selectors.task_summary``).

Upkeep: the table's and its indexes' size, and a ``VACUUM``. Each figure is
the large size ÷ the small one, beside the growth of the table itself.

    uv run python bench/bench_village_tasks.py --postgres postgres://postgres@127.0.0.1:57433/bench_national [--seasons 4] [--rounds 100] [--fresh] [--bench-run]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, emit, figure, pct, show
from national import ORG_CODE, dispatch_history

SAMPLE_COUNTIES = 20


def clone(base: str, name: str, fresh: bool) -> str:
    """``{name}_village_tasks``, a copy of the national database (made once; ``fresh`` remakes it)."""
    import psycopg

    target = f"{name}_village_tasks"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone()
        if fresh or not exists:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
            # The source must have no sessions while it is copied (as CREATE DATABASE … TEMPLATE needs).
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{name}"')
    return f"{base}/{target}"


def cast():
    """A sample of counties across the country, each with a township clerk, a village and a request."""
    from divisions.models import Division, Level
    from gate.models import AccessRequest
    from organisations.choices import OrgKind, Role
    from organisations.models import Organisation, User

    counties = list(
        Division.objects.filter(level=Level.COUNTY, children__isnull=False)
        .distinct()
        .order_by("code")
        .values_list("code", flat=True)
    )
    step = max(1, len(counties) // SAMPLE_COUNTIES)
    out = []
    for code in counties[::step][:SAMPLE_COUNTIES]:
        township = Division.objects.filter(parent_id=code, level=Level.TOWNSHIP).order_by("code").first()
        village = (
            Division.objects.filter(parent=township, level=Level.VILLAGE).order_by("code").first()
            if township
            else None
        )
        request = AccessRequest.objects.filter(division_id=code, organisation__code=ORG_CODE).first()
        if township is None or village is None or request is None:
            continue
        office, _ = Organisation.objects.get_or_create(
            code=f"bench-township-{township.code}",
            defaults={"name": f"{township.name}基准", "kind": OrgKind.TOWNSHIP, "division": township},
        )
        clerk, _ = User.objects.get_or_create(
            username=f"bench-township-{township.code}",
            defaults={"role": Role.TOWNSHIP_STAFF, "organisation": office},
        )
        county = Division.objects.get(pk=code)
        out.append((clerk, county, village, request))
    if not out:
        raise SystemExit(
            "no county with townships, villages and dispatched requests: build the history first"
        )
    return out


def reads(sample, rounds: int) -> dict[str, list[float]]:
    """Per read, its times over ``rounds`` reads, cycling through the sample."""
    from django.db.models import Q
    from django.utils import timezone

    from burden.selectors import villages_of
    from gate import selectors
    from gate.burden_sources import task_figures
    from gate.choices import TaskStatus
    from gate.models import VillageTask

    today = timezone.localdate()
    open_ = [TaskStatus.PENDING, TaskStatus.IN_PROGRESS]

    def panel(clerk, county, village, request):
        selectors.panel_counts(clerk)

    def task_list(clerk, county, village, request):
        qs = VillageTask.objects.restrict(clerk).select_related(
            "village", "access_request", "catalogue_item", "organisation"
        )
        list(qs.order_by("due_on", "village_id", "id")[:50])

    def village_open(clerk, county, village, request):
        list(VillageTask.objects.filter(Q(village=village), status__in=open_).order_by("due_on", "id")[:50])

    def county_figures(clerk, county, village, request):
        task_figures(villages_of(county), today)

    def progress(clerk, county, village, request):
        selectors.task_summary(clerk, request)

    cases = {
        "township panel": panel,
        "township task list": task_list,
        "village open tasks": village_open,
        "county per-village figures": county_figures,
        "request progress": progress,
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for name, read in cases.items():
        for args in sample:  # once each: plans and caches warm
            read(*args)
        for n in range(rounds):
            args = sample[n % len(sample)]
            t = time.perf_counter()
            read(*args)
            times[name].append(time.perf_counter() - t)
    return times


def upkeep() -> dict[str, float]:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "SELECT (SELECT count(*) FROM gate_villagetask), pg_table_size('gate_villagetask'), "
            "pg_indexes_size('gate_villagetask')"
        )
        rows, table_bytes, index_bytes = c.fetchone()
        t = time.perf_counter()
        c.execute("VACUUM gate_villagetask")
        vacuum = time.perf_counter() - t
    return {
        "rows": rows,
        "table_mb": table_bytes / 2**20,
        "index_mb": index_bytes / 2**20,
        "vacuum_s": vacuum,
    }


def measure(sample, rounds: int, repeats: int) -> dict:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("ANALYZE gate_villagetask")
    runs = [reads(sample, rounds) for _ in range(repeats)]
    return {"p95": {k: [pct(r[k], 0.95) for r in runs] for k in runs[0]}, "upkeep": upkeep()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", required=True, help="the national database (bench/run's)")
    parser.add_argument("--seasons", type=int, default=4, help="seasons added before the second measurement")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="clone the national database again")
    parser.add_argument("--bench-run", action="store_true", help="figures as JSON for bench/run")
    args = parser.parse_args()
    base, name = args.postgres.rsplit("/", 1)
    os.environ["DATABASE_URL"] = clone(base, name, args.fresh)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from gate.models import VillageTask

    dispatch_history()  # the first season, if the national database had none
    connection.set_autocommit(True)
    sample = cast()
    if VillageTask.objects.filter(organisation__code__startswith=f"{ORG_CODE}-").exists():
        raise SystemExit("the clone holds added seasons already: run with --fresh to measure both sizes")
    small = measure(sample, args.rounds, args.repeats)
    print(f"at {small['upkeep']['rows']:,} tasks: {small}")
    for k in range(1, args.seasons + 1):
        t = time.perf_counter()
        dispatch_history(org_code=f"{ORG_CODE}-{k}", tag=f"B{k}")
        print(f"season {k + 1} added in {time.perf_counter() - t:.0f} s")
    large = measure(sample, args.rounds, args.repeats)
    print(f"at {large['upkeep']['rows']:,} tasks: {large}")

    def label(n: int) -> str:
        return f"{n / 1e6:.1f}M" if n >= 1e6 else f"{n:,}"

    big, little = label(large["upkeep"]["rows"]), label(small["upkeep"]["rows"])
    figures = [
        figure(
            f"village tasks at {big}",
            "rows",
            [large["upkeep"]["rows"]],
            f"at {little}",
            [small["upkeep"]["rows"]],
        )
    ]
    for key in small["p95"]:
        figures.append(
            figure(
                f"village tasks: {key} p95 at {big}",
                "s",
                large["p95"][key],
                f"the same at {little}",
                small["p95"][key],
            )
        )
    for key in ("table_mb", "index_mb", "vacuum_s"):
        unit = "MB" if key.endswith("_mb") else "s"
        figures.append(
            figure(
                f"village tasks: {key.removesuffix('_mb').removesuffix('_s')} at {big}",
                unit,
                [large["upkeep"][key]],
                f"the same at {little}",
                [small["upkeep"][key]],
            )
        )
    if args.bench_run:
        emit(figures)
    show(figures)
    print(
        "p95 (ms), small → large: "
        + "; ".join(
            f"{k} {statistics.median(small['p95'][k]) * 1000:.1f} → {statistics.median(large['p95'][k]) * 1000:.1f}"
            for k in small["p95"]
        )
    )


if __name__ == "__main__":
    main()
