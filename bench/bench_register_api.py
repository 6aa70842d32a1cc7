"""Benchmark: the certificate register's list API at scale on PostgreSQL, vs raw SQL + JSON of the same page.

Creates its own database on the server given, migrates, loads the demo county
(``seed_demo``), then generates ``--rows`` register rows with COPY (spread over
the demo county's villages, a year of dates, three outcomes). It then reads
pages as the township clerk of 百灵庙镇 would — the first page and pages deep
in the cursor chain — through the real API (DRF, scoping, serializer, cursor
pagination), and as the baseline, in the same run, the same page by one raw
SQL query (same filter, order, joins, limit) encoded with ``json.dumps``.
Prints p50/p95 of each and the p95 ratio (target: within 3×).

    uv run python bench/bench_register_api.py --postgres postgres://postgres@127.0.0.1:55440/bench_cert_register --rows 1000000
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pct(times: list[float], p: float) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, int(len(times) * p))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", required=True, help="URL of a database to drop and recreate")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="reuse the generated rows if present")
    args = parser.parse_args()
    import psycopg

    base, name = args.postgres.rsplit("/", 1)
    if not args.keep:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(
                f"CREATE DATABASE \"{name}\" LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8' TEMPLATE template0"
            )
    os.environ["DATABASE_URL"] = args.postgres
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from certificates import identity
    from certificates.models import CertificateRequest
    from divisions.models import Division
    from organisations.models import User

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    clerk = User.objects.get(username="township")
    have = CertificateRequest.objects.count()
    if have < args.rows:
        villages = list(
            Division.objects.filter(code__startswith="150223", level=5).values_list("code", flat=True)
        )
        sample = CertificateRequest.objects.select_related("item").first()
        with connection.cursor() as c:
            c.execute("SELECT id FROM certificates_institution")
            institutions = [r[0] for r in c.fetchall()]
        number = "150223199003150020"
        hashed, sealed, masked = identity.lookup_hash(number), identity.encrypt(number), identity.mask(number)
        start = datetime(2026, 1, 1, tzinfo=UTC)
        rng = random.Random(8)
        t = time.perf_counter()
        columns = (
            "created, updated, village_id, county_id, applicant_name, id_hash, id_encrypted, id_masked, "
            "certificate_name, item_id, purpose, institution_id, status, due_on, recorded_by_id, "
            "handled_by_id, handled_at, facts, note, major_matter, investigation_note, meeting_type, "
            "meeting_date, meeting_participants, meeting_outcome, document_id"
        )
        with (
            connection.cursor() as c,
            c.connection.cursor().copy(
                f"COPY certificates_certificaterequest ({columns}) FROM STDIN"
            ) as copy,
        ):
            for i in range(args.rows - have):
                when = start + timedelta(seconds=i * 3)
                status = ("refused", "issued", "committed")[i % 3]
                copy.write_row(
                    (
                        when,
                        when,
                        rng.choice(villages),
                        "150223000000",
                        f"申请人{i}",
                        hashed,
                        sealed,
                        masked,
                        sample.certificate_name,
                        sample.item_id,
                        "领取养老金",
                        rng.choice(institutions),
                        status,
                        None,
                        clerk.pk,
                        clerk.pk,
                        when,
                        "",
                        "",
                        False,
                        "",
                        "",
                        None,
                        "",
                        "",
                        None,
                    )
                )
        connection.commit() if not connection.get_autocommit() else None
        with connection.cursor() as c:
            c.execute("ANALYZE certificates_certificaterequest")
        print(f"generated {args.rows - have:,} rows with COPY in {time.perf_counter() - t:.0f} s")
    total = CertificateRequest.objects.count()
    prefix = clerk.jurisdiction_prefix
    lo, hi = prefix.ljust(12, "0"), prefix.ljust(12, "9")
    visible = CertificateRequest.objects.filter(village__gte=lo, village__lte=hi).count()
    print(f"{total:,} register rows; {visible:,} visible to the township clerk ({prefix})")

    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(clerk)
    # Cursors deep in the chain: follow next 20 times once, keep some.
    cursors = [None]
    url = "/api/v1/certificate-requests/?page_size=50"
    for i in range(20):
        body = client.get(url).json()
        url = body["next"]
        if i % 5 == 4:
            cursors.append(url)
    raw_sql = """
        SELECT r.id, r.created, r.village_id, v.name, r.applicant_name, r.id_masked, r.certificate_name,
               it.code, r.purpose, ins.name, r.status, r.due_on, r.handled_at, d.number, r.document_id
        FROM certificates_certificaterequest r
        JOIN divisions_division v ON v.code = r.village_id
        JOIN certificates_institution ins ON ins.id = r.institution_id
        LEFT JOIN certificates_certificateitem it ON it.id = r.item_id
        LEFT JOIN documents_document d ON d.id = r.document_id
        WHERE r.village_id >= %s AND r.village_id <= %s AND (r.created, r.id) < (%s, %s)
        ORDER BY r.created DESC, r.id DESC LIMIT 51
    """
    # The raw baseline's keyset position for each API page: the first row of that page.
    starts = []
    for c_url in cursors:
        page = client.get(c_url or "/api/v1/certificate-requests/?page_size=50").json()["results"]
        first = CertificateRequest.objects.get(pk=page[0]["id"])
        starts.append((first.created + timedelta(microseconds=1), first.pk + 1))
    api_times, raw_times = [], []
    for _ in range(args.repeats):
        for c_url, (created, pk) in zip(cursors, starts, strict=True):
            t = time.perf_counter()
            response = client.get(c_url or "/api/v1/certificate-requests/?page_size=50")
            assert response.status_code == 200
            api_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            with connection.cursor() as c:
                c.execute(raw_sql, [lo, hi, created, pk])
                rows = c.fetchall()
            json.dumps([list(r) for r in rows[:50]], default=str, ensure_ascii=False)
            raw_times.append(time.perf_counter() - t)
    print(
        f"API page (50 rows): p50 {pct(api_times, 0.5):.1f} ms, p95 {pct(api_times, 0.95):.1f} ms; "
        f"raw SQL + JSON: p50 {pct(raw_times, 0.5):.1f} ms, p95 {pct(raw_times, 0.95):.1f} ms; "
        f"p95 ratio {pct(api_times, 0.95) / pct(raw_times, 0.95):.2f}× (target ≤ 3×) at {total:,} rows"
    )


if __name__ == "__main__":
    main()
