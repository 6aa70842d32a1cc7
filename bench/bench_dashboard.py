"""Benchmark: the county burden dashboard at national scale against a primary-key lookup, p95.

On the database ``--postgres`` names (``bench/run`` leaves all 665,276 national
divisions there; without them ``--prefix`` imports one province), it builds:

- per county ``--requests`` approved access requests (default 3) and one task
  per request and village, written with COPY: about 1.9 million village tasks
  for the ~620,000 villages (statuses and due dates spread, some overdue);
- the summary tables as the nightly task keeps them: the real refresh
  (``burden.summaries.summaries_refresh``) for ``--counties`` counties chosen
  across the country at two dates (today and a baseline), and for every other
  division rows of the same shape written in SQL, so the table holds national
  volume (every township and county × every key × two dates, every village).

Then it times, alternating, through the same Django stack (in-process test
client, session auth, middleware, scoping) as a county approver of each chosen
county: ``GET /burden/<county>/`` (the dashboard page: account, change,
townships ranked, charts with tables) against ``GET /api/v1/divisions/<county>/``
(a primary-key lookup), and reports both p95s and their ratio (goal ≤ 2×).
The page's body is cached per summary generation (``burden.views``), so the
steady state is a cache hit; the first request after a refresh (the cached
body dropped, rendered from the tables) is timed too, in the same rounds.

    uv run python bench/bench_dashboard.py --postgres postgres://postgres@127.0.0.1:55440/bench_dash \\
        [--prefix 15] [--counties 20] [--requests 3] [--samples 200] [--small]

``--small``: one province (Inner Mongolia), one request per county, 5 counties, 60 samples: a quick check.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, emit, figure, pct, setup_django
from national import dispatch_history


def build(args) -> list:

    from divisions.models import Division, Level
    from divisions.services import import_divisions
    from gate.models import VillageTask

    if not Division.objects.filter(level=Level.VILLAGE).exists():
        t = time.perf_counter()
        stats = import_divisions(DATA, prefix=args.prefix)
        print(
            f"imported {stats.created:,} divisions (prefix {args.prefix or 'none: national'}) in {time.perf_counter() - t:.0f}s"
        )
    counties = list(
        Division.objects.filter(level=Level.COUNTY).order_by("code").values_list("code", flat=True)
    )
    # The national dispatch history (bench/national.py), built once and shared with bench/run.
    print(dispatch_history(requests=args.requests))
    print(f"{VillageTask.objects.count():,} village tasks in the database")
    return counties


def fill_summaries(args, counties: list[str]) -> list[str]:
    """Real refresh for the chosen counties; SQL rows of the same shape for every other division."""
    from django.db import connection
    from django.utils import timezone

    from burden import registry
    from burden.models import Summary
    from burden.summaries import summaries_refresh, summaries_roll_up
    from divisions.models import Division

    today = timezone.localdate()
    baseline = today - timedelta(days=180)
    step = max(1, len(counties) // args.counties)
    chosen = counties[::step][: args.counties]
    t = time.perf_counter()
    if not Summary.objects.filter(level=3).exclude(division_id__in=chosen).exists():
        keys = [line.key for line in registry.lines()] + [
            "_total", "tasks:pending", "tasks:in_progress", "tasks:done", "tasks:overdue",
        ]  # fmt: skip
        with connection.cursor() as cur:
            for day in (baseline, today):
                cur.execute(
                    'INSERT INTO burden_summary (division_id, level, "on", key, count, hours, estimated, recorded, '
                    "refreshed) SELECT d.code, d.level, %s, k, (abs(hashtext(d.code || k)) %% 50), "
                    "(abs(hashtext(k || d.code)) %% 500)::float, false, true, now() "
                    "FROM divisions_division d CROSS JOIN unnest(%s::text[]) k WHERE d.level IN (3, 4) "
                    "AND NOT (d.code = ANY(%s))",
                    [day, keys, chosen],
                )
            cur.execute(
                'INSERT INTO burden_summary (division_id, level, "on", key, count, hours, estimated, recorded, '
                "refreshed) SELECT code, 5, %s, '_total', (abs(hashtext(code)) %% 40), "
                "(abs(hashtext(code || 'h')) %% 300)::float, false, true, now() FROM divisions_division "
                "WHERE level = 5",
                [today],
            )
            cur.execute("ANALYZE burden_summary")
        print(f"summary rows of national volume written in {time.perf_counter() - t:.0f}s")
    t = time.perf_counter()
    for code in chosen:
        county = Division.objects.get(code=code)
        for day in (baseline, today):
            summaries_refresh(county=county, on=day)
    refresh = (time.perf_counter() - t) / max(1, 2 * len(chosen))
    summaries_roll_up(on=today)
    print(f"real refresh of {len(chosen)} counties × 2 dates: {refresh:.2f}s per county and date")
    print(f"{Summary.objects.count():,} summary rows")
    return chosen


def _forget(code: str) -> None:
    """Drop the county's cached dashboard body: the next request renders it from the summary tables."""
    from django.core.cache import cache
    from django.utils.translation import override

    from burden import dashboards, views
    from divisions.models import Division

    division = Division.objects.get(code=code)
    state = dashboards.kept(division)
    with override("zh-hans"):
        cache.delete(views._body_key(division, state, state.baseline_for(None)))


def measure(chosen: list[str], samples: int) -> tuple[list[float], list[float], list[float]]:
    from django.test import Client

    from divisions.models import Division
    from organisations.choices import OrgKind, Role
    from organisations.models import Organisation, User

    clients = []
    for code in chosen:
        org, _ = Organisation.objects.get_or_create(
            code=f"bench-lead-{code}",
            defaults={"name": f"基准旗委{code}", "kind": OrgKind.COUNTY_LEADERSHIP, "division_id": code},
        )
        user, _ = User.objects.get_or_create(
            username=f"bench-approver-{code}", defaults={"role": Role.COUNTY_APPROVER, "organisation": org}
        )
        client = Client()
        client.force_login(user)
        for url in (f"/burden/{code}/", f"/api/v1/divisions/{code}/"):  # warm: session, caches
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        clients.append((code, client))
    assert Division.objects.filter(code__in=chosen).count() == len(chosen)
    dash: list[float] = []
    pk: list[float] = []
    cold: list[float] = []
    for i in range(samples):
        code, client = clients[i % len(clients)]
        for url, out in ((f"/burden/{code}/", dash), (f"/api/v1/divisions/{code}/", pk), (None, cold)):
            if url is None:  # the first request after a refresh: the body rendered from the tables
                _forget(code)
                url = f"/burden/{code}/"
            t = time.perf_counter()
            response = client.get(url)
            out.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
    return dash, pk, cold


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--prefix", default="", help="import only this subtree when the database has none")
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--requests", type=int, default=3)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--bench-run", action="store_true", help="figures as JSON for bench/run")
    args = parser.parse_args()
    if args.small:
        args.requests, args.counties, args.samples = 1, 5, 60
        args.prefix = args.prefix or "15"
    os.environ["DATABASE_URL"] = args.postgres
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The approver's second factor is the login's business, not the dashboard's: off for the timing.
    os.environ.setdefault("TWO_FACTOR_REQUIRED", "false")
    if not args.bench_run:
        import psycopg
        from common import create_database

        base, name = args.postgres.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            create_database(args.postgres)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    counties = build(args)
    chosen = fill_summaries(args, counties)
    p95_dash, p95_pk, p95_cold = [], [], []
    for _ in range(args.repeats):
        dash, pk, cold = measure(chosen, args.samples)
        p95_dash.append(pct(dash, 0.95))
        p95_pk.append(pct(pk, 0.95))
        p95_cold.append(pct(cold, 0.95))
        print(
            f"county dashboard p95 {p95_dash[-1]:.1f} ms (median {statistics.median(dash):.1f}); "
            f"primary-key lookup p95 {p95_pk[-1]:.1f} ms (median {statistics.median(pk):.1f}); "
            f"ratio {p95_dash[-1] / p95_pk[-1]:.2f}× (goal ≤ 2×); first request after a refresh p95 "
            f"{p95_cold[-1]:.1f} ms, {p95_cold[-1] / p95_pk[-1]:.2f}×"
        )
    if args.bench_run:
        emit(
            [
                figure(
                    f"county burden dashboard page, p95 over {args.samples} requests ({len(chosen)} counties)",
                    "ms",
                    p95_dash,
                    "primary-key lookup (GET /api/v1/divisions/<code>/), p95, same run",
                    p95_pk,
                    at_most=2.0,
                ),
                figure(
                    "county burden dashboard page, first request after a refresh (body rendered), p95",
                    "ms",
                    p95_cold,
                    "primary-key lookup (GET /api/v1/divisions/<code>/), p95, same run",
                    p95_pk,
                ),
            ]
        )


if __name__ == "__main__":
    main()
