"""Benchmark: the certificate register's list API at 10 million rows on PostgreSQL.

Builds (once, kept) a register of ``--rows`` rows in its own database next to
the one given: migrated, the demo county loaded (``seed_demo``), then the rows
by one COPY (a population of 50,000 synthetic residents (the demo county's size) with valid GB 11643
numbers, each stored as the register stores it — keyed hash, Fernet token,
masked form — asking over three years for the demo county's certificates, a
realistic mix of outcomes). For the load only, foreign-key triggers are off
(the rows are generated valid) and the secondary indexes are dropped and
rebuilt afterwards, as a bulk load does; the time of each is printed.

It then reads 50-row pages as the township clerk of 百灵庙镇 (who sees about an
eighth of the register: all 10M rows lie in one county, a hundred times a real
county's decade — the worst case for a township's page) through the real API
(DRF, scoping, cursor pagination, the values-based page) and, as the baseline
in the same run, the same page by one raw SQL query (same filter, order,
joins, limit) encoded with ``json.dumps``. Cases: the first page, and a page
90% deep into the clerk's rows (its cursor built once from the row found by
OFFSET, not timed).

At each size in ``--checkpoints`` (growing the table between them) it also
times the register's other hot queries and the table's upkeep — the table and
index sizes and a VACUUM — so the partitioning decision (bench/README.md) is
taken on measurements.

    uv run python bench/bench_register_api.py --postgres postgres://postgres@127.0.0.1:57416/bench \\
        [--rows 10000000] [--checkpoints 1000000,10000000] [--rounds 40] [--fresh]

``bench/run`` passes ``--bench-run --repeats N``; the register is built once and
reused by later runs (``--fresh`` rebuilds it).
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, emit, figure, pct, show

PERSONS = 50_000
STATUSES = ["issued"] * 11 + ["refused"] * 4 + ["committed"] * 2 + ["referred"] + ["recorded"] * 2
RAW_PAGE = """
    SELECT r.id, r.created, r.village_id, v.name, r.applicant_name, r.id_masked, r.certificate_name,
           it.code, r.purpose, ins.name, r.status, r.due_on, r.handled_at, d.number, r.document_id
    FROM certificates_certificaterequest r
    JOIN divisions_division v ON v.code = r.village_id
    JOIN institutions_institution ins ON ins.id = r.institution_id
    LEFT JOIN certificates_certificateitem it ON it.id = r.item_id
    LEFT JOIN documents_document d ON d.id = r.document_id
    WHERE r.village_id >= %s AND r.village_id <= %s AND r.created < %s
    ORDER BY r.created DESC, r.id DESC LIMIT 51
"""


def check_digit(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def persons(villages: list[str], rng: random.Random) -> list[tuple[str, str, str, str]]:
    """Residents: (name, keyed hash, encrypted, masked) as ``certificates.identity`` stores them."""
    from certificates import identity

    sealer = identity.fernet()  # one key derivation for all (``identity.encrypt`` derives it per call)
    out = []
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
    for n in range(PERSONS):
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(65 * 365))
        first17 = f"{rng.choice(villages)[:6]}{born:%Y%m%d}{n % 1000:03d}"
        number = first17 + check_digit(first17)
        out.append(
            (
                f"{surnames[n % len(surnames)]}{n}",
                identity.lookup_hash(number),
                sealer.encrypt(number.encode()).decode(),
                identity.mask(number),
            )
        )
    return out


def grow(connection, target: int, rng: random.Random, clerk_id: int) -> None:
    """COPY rows until the register holds ``target``; indexes rebuilt after, FK triggers off meanwhile."""
    from certificates.models import CertificateRequest
    from divisions.models import Division

    have = CertificateRequest.objects.count()
    if have >= target:
        return
    villages = list(
        Division.objects.filter(code__startswith="150223", level=5).values_list("code", flat=True)
    )
    with connection.cursor() as c:
        c.execute("SELECT id FROM institutions_institution ORDER BY id")
        institutions = [r[0] for r in c.fetchall()]
        c.execute("SELECT id, name FROM certificates_certificateitem ORDER BY id")
        items = c.fetchall()
    t = time.perf_counter()
    people = persons(villages, rng)
    print(f"{len(people):,} residents hashed, encrypted and masked in {time.perf_counter() - t:.0f} s")
    table = CertificateRequest._meta.db_table
    start = datetime(2023, 1, 1, tzinfo=UTC).timestamp()
    step = 3 * 365 * 86400 / max(target, 1)  # the rows span three years, oldest first
    with connection.cursor() as c:
        c.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE '%%_pkey'",
            [table],
        )
        indexes = c.fetchall()
        t = time.perf_counter()
        c.execute("SET session_replication_role = replica")  # no FK triggers: the rows are generated valid
        for name, _ in indexes:
            c.execute(f'DROP INDEX "{name}"')
        columns = (
            "created, updated, village_id, county_id, applicant_name, id_hash, id_encrypted, id_masked, "
            "certificate_name, item_id, purpose, institution_id, status, due_on, recorded_by_id, "
            "handled_by_id, handled_at, facts, note, major_matter, investigation_note, meeting_type, "
            "meeting_date, meeting_participants, meeting_outcome, document_id"
        )
        purposes = ["领取养老金", "办理低保", "子女入学", "银行开户", "办理社保", "申请补贴", "房屋登记"]
        with c.connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            chunk = []
            for i in range(have, target):
                when = datetime.fromtimestamp(start + i * step, UTC).isoformat(sep=" ")
                name, hashed, sealed, masked = people[rng.randrange(PERSONS)]
                item_id, item_name = items[rng.randrange(len(items))]
                status = STATUSES[i % len(STATUSES)]
                handled = "\\N\t\\N" if status == "recorded" else f"{clerk_id}\t{when}"
                due = (datetime.fromtimestamp(start + i * step, UTC).date() + timedelta(days=5)).isoformat()
                chunk.append(
                    f"{when}\t{when}\t{villages[rng.randrange(len(villages))]}\t150223000000\t{name}\t"
                    f"{hashed}\t{sealed}\t{masked}\t{item_name}\t{item_id}\t{purposes[i % 7]}\t"
                    f"{institutions[rng.randrange(len(institutions))]}\t{status}\t"
                    f"{due if status == 'recorded' else chr(92) + 'N'}\t{clerk_id}\t{handled}\t\t\tf\t\t\t"
                    "\\N\t\t\t\\N\n"
                )
                if len(chunk) == 20_000:
                    copy.write("".join(chunk))
                    chunk = []
            if chunk:
                copy.write("".join(chunk))
        copied = time.perf_counter() - t
        c.execute("SET session_replication_role = origin")
        t = time.perf_counter()
        c.execute("SET maintenance_work_mem = '512MB'")
        for _, definition in indexes:
            c.execute(definition)
        indexed = time.perf_counter() - t
        c.execute(f"ANALYZE {table}")
    print(f"COPY of {target - have:,} rows {copied:.0f} s; {len(indexes)} indexes rebuilt in {indexed:.0f} s")


def deep_cursor(qs, depth: float) -> tuple[str, datetime]:
    """DRF's cursor for the page after the row at ``depth`` of ``qs`` (position = that row's created)."""
    n = qs.count()
    created = qs.order_by("-created", "-id").values_list("created", flat=True)[int(n * depth)]
    cursor = base64.b64encode(urlencode({"p": str(created)}).encode()).decode()
    return quote(cursor), created


def measure(connection, client, clerk, rounds: int) -> dict[str, list[float]]:
    """One repeat: API and raw pages (first, 90% deep) interleaved, ``rounds`` each."""
    from certificates.models import CertificateRequest

    prefix = clerk.jurisdiction_prefix
    lo, hi = prefix.ljust(12, "0"), prefix.ljust(12, "9")
    visible = CertificateRequest.objects.filter(village__gte=lo, village__lte=hi)
    url = "/api/v1/certificate-requests/?page_size=50"
    cursor, deep_created = deep_cursor(visible, 0.9)
    deep = f"{url}&cursor={cursor}"
    first_created = visible.order_by("-created", "-id").values_list("created", flat=True)[0]
    cases = {"first": (url, first_created + timedelta(microseconds=1)), "deep": (deep, deep_created)}
    for c_url, _ in cases.values():  # warm: plans, caches
        assert client.get(c_url).status_code == 200
    times: dict[str, list[float]] = {f"{k}_{w}": [] for k in cases for w in ("api", "raw")}
    for _ in range(rounds):
        for key, (c_url, created) in cases.items():
            t = time.perf_counter()
            response = client.get(c_url)
            assert response.status_code == 200 and len(response.json()["results"]) == 50
            times[f"{key}_api"].append(time.perf_counter() - t)
            t = time.perf_counter()
            with connection.cursor() as c:
                c.execute(RAW_PAGE, [lo, hi, created])
                rows = c.fetchall()
            json.dumps([list(r) for r in rows[:50]], default=str, ensure_ascii=False)
            times[f"{key}_raw"].append(time.perf_counter() - t)
    return times


def hot_queries(connection, rounds: int) -> dict[str, float]:
    """p95 (s) of the register's other hot queries, and the table's upkeep, at the current size."""
    from certificates import identity

    number = "150223199003150020"
    queries = {
        # The clerk's "has this person asked before" lookup by keyed hash.
        "lookup by ID hash": (
            "SELECT id, status FROM certificates_certificaterequest WHERE id_hash = %s ORDER BY created DESC LIMIT 20",
            [identity.lookup_hash(number)],
        ),
        # The county's figures for one month (issued / refused / … per status).
        "county month figures": (
            "SELECT status, count(*) FROM certificates_certificaterequest WHERE county_id = %s "
            "AND created >= %s AND created < %s GROUP BY status",
            ["150223000000", datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 7, 1, tzinfo=UTC)],
        ),
        # One village's open requests (the reminders' sweep reads these).
        "village open requests": (
            "SELECT id FROM certificates_certificaterequest WHERE village_id = %s AND status = 'recorded' "
            "ORDER BY created DESC LIMIT 50",
            ["150223100201"],
        ),
    }
    out = {}
    with connection.cursor() as c:
        for name, (sql, params) in queries.items():
            c.execute(sql, params)
            samples = []
            for _ in range(rounds):
                t = time.perf_counter()
                c.execute(sql, params)
                c.fetchall()
                samples.append(time.perf_counter() - t)
            out[name] = pct(samples, 0.95)
        c.execute(
            "SELECT pg_table_size('certificates_certificaterequest'), "
            "pg_indexes_size('certificates_certificaterequest')"
        )
        table_bytes, index_bytes = c.fetchone()
        t = time.perf_counter()
        c.execute("VACUUM certificates_certificaterequest")
        out["vacuum_s"] = time.perf_counter() - t
    out["table_mb"] = table_bytes / 2**20
    out["index_mb"] = index_bytes / 2**20
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", required=True, help="a server URL; the register gets its own database")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--checkpoints", default="1000000", help="smaller sizes measured on the way up")
    parser.add_argument("--rounds", type=int, default=40, help="page reads per case per repeat")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="rebuild the register")
    parser.add_argument("--bench-run", action="store_true", help="figures as JSON for bench/run")
    args = parser.parse_args()
    import psycopg

    base, name = args.postgres.rsplit("/", 1)
    url = f"{base}/{name}_register"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"{name}_register"]).fetchone()
        if args.fresh or not exists:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}_register" WITH (FORCE)')
            conn.execute(
                f"CREATE DATABASE \"{name}_register\" LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' TEMPLATE template0"
            )
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.test import APIClient

    from certificates.models import CertificateRequest
    from organisations.models import User

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="township").exists():
        call_command("seed_demo", stdout=io.StringIO())
    clerk = User.objects.get(username="township")
    client = APIClient()
    client.force_authenticate(clerk)
    connection.set_autocommit(True)
    rng = random.Random(8)
    sizes = sorted({int(s) for s in args.checkpoints.split(",") if s} | {args.rows})
    have = CertificateRequest.objects.count()
    at_size: dict[int, dict] = {}
    for size in sizes:
        if have > size:
            continue  # built earlier, bigger: measured at its own size only
        grow(connection, size, rng, clerk.pk)
        have = CertificateRequest.objects.count()
        repeats = args.repeats if size == sizes[-1] else 1
        runs = [measure(connection, client, clerk, args.rounds) for _ in range(repeats)]
        hot = hot_queries(connection, args.rounds)
        at_size[have] = {"runs": runs, "hot": hot}
        print(f"at {have:,} rows:")
        for key in runs[0]:
            values = [pct(r[key], 0.95) * 1000 for r in runs]
            print(f"  {key:10s} p95 {statistics.median(values):7.1f} ms (median over {repeats} repeats)")
        for key, value in hot.items():
            unit = "MB" if key.endswith("_mb") else "s" if key.endswith("_s") else "ms (p95)"
            print(f"  {key:24s} {value * (1000 if unit.startswith('ms') else 1):9.1f} {unit}")
    if not at_size:
        raise SystemExit("nothing measured: the register is bigger than every size asked for (use --fresh)")
    top = max(at_size)
    runs = at_size[top]["runs"]

    def p95s(key: str) -> list[float]:
        return [pct(r[key], 0.95) for r in runs]

    label = f"{top / 1e6:.0f}M" if top >= 1e6 else f"{top:,}"
    figures = [
        figure(
            f"register list API p95 at {label} rows, first page",
            "s",
            p95s("first_api"),
            "raw SQL + json.dumps of the same page",
            p95s("first_raw"),
            at_most=3.0,
        ),
        figure(
            f"register list API p95 at {label} rows, 90% deep cursor page",
            "s",
            p95s("deep_api"),
            "raw SQL + json.dumps of the same page",
            p95s("deep_raw"),
            at_most=3.0,
        ),
        figure(
            f"register list API p95 at {label} rows, 90% deep cursor page",
            "s",
            p95s("deep_api"),
            "the first page (API)",
            p95s("first_api"),
            at_most=1.5,
        ),
    ]
    smaller = [s for s in at_size if s < top]
    if smaller:
        low = at_size[max(smaller)]
        small = f"{max(smaller) / 1e6:.0f}M" if max(smaller) >= 1e6 else f"{max(smaller):,}"
        for key, what in (("first_api", "first page"), ("deep_api", "deep page")):
            figures.append(
                figure(
                    f"register {what} p95 at {label} rows",
                    "s",
                    [statistics.median(p95s(key))],
                    f"the same at {small} rows",
                    [pct(low["runs"][0][key], 0.95)],
                )
            )
        for key in at_size[top]["hot"]:
            unit = "MB" if key.endswith("_mb") else "s"
            figures.append(
                figure(
                    f"register {key.removesuffix('_mb').removesuffix('_s')} at {label} rows"
                    + ("" if unit == "MB" or key.endswith("_s") else " (p95)"),
                    unit,
                    [at_size[top]["hot"][key]],
                    f"the same at {small} rows",
                    [low["hot"][key]],
                )
            )
    if args.bench_run:
        emit(figures)
    show(figures)


if __name__ == "__main__":
    main()
