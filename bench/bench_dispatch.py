"""Benchmark: dispatching approved access requests to 20,000 real villages on PostgreSQL.

Imports one province's real division codes (default Hebei, 13) into its own
database, files one approved request per county (in code order) until the
counties hold at least 20,000 villages, then times the real service
``access_request_dispatch`` for each (lock, checks, scope query, the
``INSERT … SELECT`` with the insert trigger checking every row, version bump
with its history row, audit event), each in its own transaction. Then it
deletes its tasks and writes exactly the same rows raw, the trigger still on:
one psycopg binary COPY in one transaction; one binary COPY per request, each
in its own committed transaction (what 73 separately committed dispatches cost
at the least); the same per-request COPYs inside the guarantees a dispatch keeps, in
raw SQL (the request row locked, the version bumped with its history row, one
audit row: the floor of any dispatch that keeps them, so the service against it
is what the framework and the checks cost, and it against the one COPY is what
the guarantees cost); and one ``executemany`` INSERT. It prints all and the ratios.
On ``bench/run``'s database the table already holds the national dispatch
history (``bench/national.py``); only this benchmark's own tasks are deleted,
and before each measurement the task table is vacuumed and analysed and the
server checkpointed, untimed (the deleted tasks cleaned away now, not by
autovacuum during a later measurement).

    uv run python bench/bench_dispatch.py [--postgres postgres://postgres@127.0.0.1:5433/vb_gate_bench]
        [--prefix 13] [--villages 20000] [--data ../shared/data/divisions-2023] [--fresh]

The database is created if missing (UTF-8, C.UTF-8 ctype); ``--fresh`` drops it first.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA as DEFAULT_DATA
from common import ROOT, settle
from national import TASK_COLUMNS, TASK_TYPES


def ensure_database(url: str, fresh: bool) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5433/vb_gate_bench")
    parser.add_argument("--prefix", default="13")
    parser.add_argument("--villages", type=int, default=20000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--bench-run", action="store_true", help="figures as JSON for bench/run")
    args = parser.parse_args()
    samples: dict[str, list[float]] = {"service": [], "copy": [], "copy_each": [], "insert": [], "floor": []}
    for _ in range(args.repeats):
        service_seconds, raw_seconds, copy_each_seconds, insert_seconds, floor_seconds, total = measure(args)
        samples["floor"].append(floor_seconds)
        samples["service"].append(service_seconds)
        samples["copy"].append(raw_seconds)
        samples["copy_each"].append(copy_each_seconds)
        samples["insert"].append(insert_seconds)
    if args.bench_run:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from common import emit, figure

        emit(
            [
                figure(
                    f"dispatch to {total:,} villages (service, one request per county)",
                    "s",
                    samples["service"],
                    "raw INSERT (executemany) of the same rows",
                    samples["insert"],
                    at_most=1.0,
                ),
                figure(
                    f"dispatch to {total:,} villages (service)",
                    "s",
                    samples["service"],
                    "psycopg binary COPY of the same rows, one transaction",
                    samples["copy"],
                    at_most=1.5,
                ),
                figure(
                    f"dispatch to {total:,} villages (service)",
                    "s",
                    samples["service"],
                    "psycopg binary COPY, one per request, each committed",
                    samples["copy_each"],
                    at_most=1.5,
                ),
                figure(
                    f"dispatch to {total:,} villages (service)",
                    "s",
                    samples["service"],
                    "the guarantees' floor in raw SQL: per request one committed transaction "
                    "(request locked, one COPY, version bump with history row, audit row)",
                    samples["floor"],
                ),
                figure(
                    "the guarantees' floor (raw SQL, per request)",
                    "s",
                    samples["floor"],
                    "psycopg binary COPY of the same rows, one transaction",
                    samples["copy"],
                ),
            ]
        )


def measure(args: argparse.Namespace) -> tuple[float, float, float, float, float, int]:

    if not args.bench_run:
        ensure_database(args.postgres, args.fresh)
    os.environ["DATABASE_URL"] = args.postgres
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # As in production, what a dispatch hands to Celery after commit (the county's burden
    # refresh, the webhook fan-out, e-mails) is sent to a broker for a worker, not run inside the
    # request: an in-memory broker here (no REDIS_URL). In-process Celery, the embedded default,
    # would time a county's summary refresh as part of each dispatch.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    sys.path.insert(0, str(ROOT))
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from divisions.models import Division, Level
    from divisions.scoping import code_range
    from divisions.services import import_divisions
    from gate import services
    from gate.models import AccessRequest, VillageTask
    from organisations.choices import OrgKind, Role
    from organisations.models import Organisation, User

    if not args.bench_run:
        call_command("migrate", verbosity=0)
    lo, hi = code_range(args.prefix)
    if not Division.objects.filter(code__range=(lo, hi), level=Level.VILLAGE).exists():
        t = time.perf_counter()
        stats = import_divisions(args.data, prefix=args.prefix)
        print(
            f"imported {stats.created:,} divisions of prefix {args.prefix} in {time.perf_counter() - t:.1f}s"
        )

    province = Division.objects.get(code=args.prefix.ljust(12, "0"))
    org, _ = Organisation.objects.get_or_create(
        code="bench-dept",
        defaults={"name": "基准测试部门", "kind": OrgKind.PROVINCIAL_DEPARTMENT, "division": province},
    )
    user = User.objects.filter(username="bench-submitter").first()
    if user is None:
        user = User.objects.create_user("bench-submitter", role=Role.DEPT_SUBMITTER, organisation=org)

    # Only this benchmark's tasks are touched: on bench/run's database the table
    # already holds the national dispatch history (bench/national.py).
    ours = VillageTask.objects.filter(organisation=org)

    # Counties in code order until they hold the target number of villages.
    counties, total = [], 0
    for county in Division.objects.filter(level=Level.COUNTY, code__range=(lo, hi)).order_by("code"):
        n = Division.objects.filter(level=Level.VILLAGE, code__range=code_range(county.prefix)).count()
        if n:
            counties.append((county, n))
            total += n
        if total >= args.villages:
            break
    print(f"{len(counties)} counties, {total:,} villages (target {args.villages:,})")

    ours.delete()
    AccessRequest.objects.filter(organisation=org).delete()
    today = timezone.localdate()
    requests = []
    for county, _n in counties:
        req = AccessRequest.objects.create(
            number=f"BENCH-{county.code[:6]}",
            division=county,
            organisation=org,
            created_by=user,
            title="基准测试：协助开展统计调查",
            description="协助统计部门入户登记",
            village_role="assist",
            starts_on=today,
            ends_on=today + timedelta(days=90),
            frequency="once",
            status="approved",
            approved_until=today + timedelta(days=90),
        )
        requests.append(req)

    # Warm-up, not timed: the first call of a process loads translations, URL
    # resolvers and compiles the ORM's queries; the baseline pays none of that.
    services.access_request_dispatch(user=user, request_id=requests[0].pk)
    ours.delete()

    # 1. The service, one dispatch per county (each its own transaction).
    settle("gate_villagetask")
    t = time.perf_counter()
    created = 0
    per_request = []
    for req in requests:
        t1 = time.perf_counter()
        created += services.access_request_dispatch(user=user, request_id=req.pk).created
        per_request.append(time.perf_counter() - t1)
    service_seconds = time.perf_counter() - t
    assert created == total == ours.count(), (created, total)
    rows = list(
        ours.order_by("id").values_list(
            "village_id",
            "county_id",
            "access_request_id",
            "organisation_id",
            "dispatched_by_id",
            "title",
            "village_role",
            "starts_on",
            "due_on",
            "status",
            "progress",
            "note",
            "version",
            "created",
            "updated",
        )
    )

    # 2. A raw psycopg binary COPY of the same rows, one transaction, no service around it.
    ours.delete()
    cols, types = TASK_COLUMNS, TASK_TYPES  # the history's columns (bench/national.py), in this order

    def copy_rows(batch: list[tuple]) -> None:
        with transaction.atomic(), connection.connection.cursor() as cur:
            with cur.copy(f"COPY gate_villagetask ({cols}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(types)
                for row in batch:
                    copy.write_row(row)

    settle("gate_villagetask")
    t = time.perf_counter()
    copy_rows(rows)
    raw_seconds = time.perf_counter() - t
    assert ours.count() == total

    # 2b. The same COPY split as the service splits it: one per request, each in its own
    # committed transaction (begin, COPY, deferred foreign-key checks, commit and its WAL
    # flush) — the physical limit of 73 separately committed dispatches.
    ours.delete()
    by_request: dict[int, list[tuple]] = {}
    for row in rows:
        by_request.setdefault(row[2], []).append(row)
    settle("gate_villagetask")
    t = time.perf_counter()
    for req in requests:
        copy_rows(by_request[req.pk])
    per_request_copy_seconds = time.perf_counter() - t
    assert ours.count() == total

    # 2c. The floor of a dispatch that keeps its guarantees, in raw SQL: per request, in its
    # own committed transaction, the request row locked, its tasks by one binary COPY, its
    # version bumped with the history row, one audit row. No ORM, no checks, no scope query.
    ours.delete()
    history = _history_columns(connection)
    bump_sql = (
        "WITH up AS (UPDATE gate_accessrequest SET version = version + 1, updated = now() "
        f"WHERE id = %s RETURNING *) INSERT INTO gate_historicalaccessrequest ({history}, "
        f"history_date, history_type, history_user_id) SELECT {history}, now(), '~', %s FROM up"
    )
    audit_sql = (
        "INSERT INTO audit_auditevent (created, actor_id, actor_name, action, event_type, object_type, "
        "object_id, object_repr, object_url, division_id, summary, request_id) "
        "VALUES (now(), %s, %s, 'gate.request.dispatch', 'gate.request.dispatch', 'gate.accessrequest', "
        "%s, %s, '', %s, %s, '')"
    )

    def guarded_copy(req: AccessRequest, batch: list[tuple]) -> None:
        with transaction.atomic(), connection.connection.cursor() as cur:
            cur.execute("SELECT id FROM gate_accessrequest WHERE id = %s FOR UPDATE", [req.pk])
            with cur.copy(f"COPY gate_villagetask ({cols}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(types)
                for row in batch:
                    copy.write_row(row)
            cur.execute(bump_sql, [req.pk, user.pk])
            cur.execute(
                audit_sql,
                [
                    user.pk,
                    user.username,
                    str(req.pk),
                    req.title,
                    req.division_id,
                    f"{len(batch)} tasks created",
                ],
            )

    settle("gate_villagetask")
    t = time.perf_counter()
    for req in requests:
        guarded_copy(req, by_request[req.pk])
    floor_seconds = time.perf_counter() - t
    assert ours.count() == total

    # 3. A raw multi-row INSERT (executemany) of the same rows, for reference.
    ours.delete()
    placeholders = ", ".join(["%s"] * 15)
    settle("gate_villagetask")
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(f"INSERT INTO gate_villagetask ({cols}) VALUES ({placeholders})", rows)
    insert_seconds = time.perf_counter() - t
    ours.delete()

    per_request.sort()
    print(
        f"service dispatch: {total:,} village tasks in {service_seconds:.2f}s ({total / service_seconds:,.0f} rows/s)"
    )
    print(
        f"  per county request: median {per_request[len(per_request) // 2] * 1000:.0f} ms, "
        f"max {per_request[-1] * 1000:.0f} ms over {len(per_request)} requests"
    )
    print(f"raw COPY of the same rows: {raw_seconds:.2f}s ({total / raw_seconds:,.0f} rows/s)")
    print(
        f"raw COPY, one per request in its own transaction: {per_request_copy_seconds:.2f}s "
        f"({total / per_request_copy_seconds:,.0f} rows/s)"
    )
    print(f"the guarantees' floor (raw SQL: lock, COPY, bump, audit, per request): {floor_seconds:.2f}s")
    print(f"raw INSERT (executemany) of the same rows: {insert_seconds:.2f}s")
    print(
        f"ratio service / raw COPY: {service_seconds / raw_seconds:.2f}x; "
        f"service / raw COPY per request: {service_seconds / per_request_copy_seconds:.2f}x; "
        f"service / raw INSERT: {service_seconds / insert_seconds:.2f}x; "
        f"service / the floor: {service_seconds / floor_seconds:.2f}x; "
        f"the floor / raw COPY: {floor_seconds / raw_seconds:.2f}x"
    )
    return service_seconds, raw_seconds, per_request_copy_seconds, insert_seconds, floor_seconds, total


def _history_columns(connection) -> str:
    """The request's columns its history table repeats (all but the history's own), comma-separated."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'gate_accessrequest' "
            "AND column_name IN (SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'gate_historicalaccessrequest') ORDER BY ordinal_position"
        )
        return ", ".join(f'"{name}"' for (name,) in cur.fetchall())


if __name__ == "__main__":
    main()
