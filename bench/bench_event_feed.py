"""Benchmark: the event feed's first page and a deep page on a large event table (PostgreSQL).

Fills ``audit_auditevent`` with ``--events`` rows by one ``INSERT … SELECT
generate_series`` (90% published events of twelve types over 10 counties ×
100 villages, 10% internal rows the feed must skip), spread over as many
transaction ids as the server has used, then times the real feed view
(``GET /api/v1/events/`` through DRF, scoping, horizon query, payloads) for
three callers — a provincial portal (sees everything), a county portal (one
tenth), and the county portal filtered to one type — at the start of the
feed and at 90% depth (a cursor near the end). Each figure is the p95 and
median over ``--repeats`` requests; the ratio deep/first is what the issue
bounds (within 2×).

    uv run python bench/bench_event_feed.py [--postgres postgres://postgres@127.0.0.1:55440/vb_events_bench]
        [--events 10000000] [--repeats 200] [--fresh]

The database is created if missing (UTF-8, C.UTF-8 ctype); ``--fresh`` drops
it first. A second run on the same size reuses the rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dispatch import ensure_database  # noqa: E402  (the same database set-up)

TYPES = [
    "gate.request.submit",
    "gate.request.review",
    "gate.request.approve",
    "gate.request.reject",
    "gate.request.return",
    "gate.request.dispatch",
    "gate.request.expire",
    "gate.task.progress",
    "catalogs.publish",
    "catalogs.proposal_approval",
    "catalogs.proposal_rejection",
    "gate.request.withdraw",
]


FILL = """
INSERT INTO audit_auditevent (created, actor_name, action, object_type, object_id, object_repr,
    division_id, summary, request_id, event_type, object_url, body, txid)
SELECT now() - make_interval(secs => %(n)s - g),
       'bench', t.type, 'gate.accessrequest', g::text, '',
       '1502' || lpad((g %% 10 + 1)::text, 2, '0') || '100' || lpad(((g / 10) %% 100)::text, 3, '0'),
       '', '',
       CASE WHEN g %% 10 = 9 THEN '' ELSE t.type END,
       '/api/v1/access-requests/' || g || '/',
       CASE WHEN g %% 10 = 9 THEN NULL
            ELSE jsonb_build_object('number', 'ZR150201-2026-' || g, 'status', 'approved', 'version', 3) END,
       -- about %(per_tx)s events per transaction, every transaction long finished
       1 + (g::bigint * %(span)s) / %(n)s
FROM generate_series(1, %(n)s) AS g
JOIN LATERAL (SELECT (%(types)s::text[])[1 + (g * 7) %% 12] AS type) AS t ON true
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:55440/vb_events_bench")
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()

    ensure_database(args.postgres, args.fresh)
    os.environ["DATABASE_URL"] = args.postgres
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.test import APIRequestFactory, force_authenticate

    from audit.models import AuditEvent
    from divisions.models import Division, Level
    from events.api.views import EventViewSet
    from organisations.choices import OrgKind, Role
    from organisations.models import Organisation, User

    call_command("migrate", verbosity=0)
    province, _ = Division.objects.get_or_create(
        code="150000000000", defaults={"name": "内蒙古", "level": Level.PROVINCE}
    )
    city, _ = Division.objects.get_or_create(
        code="150200000000", defaults={"name": "包头市", "level": Level.PREFECTURE, "parent": province}
    )
    county, _ = Division.objects.get_or_create(
        code="150203000000", defaults={"name": "县03", "level": Level.COUNTY, "parent": city}
    )

    def portal(code: str, division: Division) -> User:
        org, _ = Organisation.objects.get_or_create(
            code=code, defaults={"name": code, "kind": OrgKind.PORTAL, "division": division}
        )
        user = User.objects.filter(username=code).first()
        return user or User.objects.create_user(code, role=Role.PORTAL_CLIENT, organisation=org)

    province_portal, county_portal = portal("bench-province", province), portal("bench-county", county)

    have = AuditEvent.objects.filter(actor_name="bench").count()
    if have != args.events:
        with connection.cursor() as c:
            c.execute("TRUNCATE audit_auditevent")
            c.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            span = max(c.fetchone()[0] - 2, 1)
            t = time.perf_counter()
            c.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_txid")
            c.execute(FILL, {"n": args.events, "span": span, "per_tx": args.events // span, "types": TYPES})
            c.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_txid")
            fill = time.perf_counter() - t
            c.execute("VACUUM ANALYZE audit_auditevent")
        print(f"filled {args.events:,} rows in {fill:.0f}s over {span:,} transaction ids")
    with connection.cursor() as c:
        c.execute("SELECT pg_size_pretty(pg_total_relation_size('audit_auditevent'))")
        print(f"{args.events:,} rows, table with indexes {c.fetchone()[0]}")

    view = EventViewSet.as_view({"get": "list"})
    factory = APIRequestFactory()

    def get(user: User, query: str) -> dict:
        request = factory.get(f"/api/v1/events/?page_size={args.page_size}{query}")
        force_authenticate(request, user=user)
        response = view(request)
        assert response.status_code == 200, response.data
        return response.data

    def deep_cursor(user: User, query: str, types: list[str] | None) -> str:
        """The cursor at 90% of what this caller sees (found once, by OFFSET: setup, not timed)."""
        from events.selectors import visible_events

        qs = visible_events(user)
        if types:
            qs = qs.filter(event_type__in=types)
        total = qs.count()
        row = qs.order_by("txid", "id").values_list("txid", "id")[int(total * 0.9)]
        return f"{row[0]}.{row[1]}"

    def timed(user: User, query: str) -> tuple[float, float, int]:
        get(user, query)  # warm
        samples = []
        for _ in range(args.repeats):
            t = time.perf_counter()
            n = len(get(user, query)["results"])
            samples.append(time.perf_counter() - t)
        samples.sort()
        return samples[int(len(samples) * 0.95) - 1] * 1000, statistics.median(samples) * 1000, n

    cases = [
        ("provincial portal (all events)", province_portal, "", None),
        ("county portal (1/10)", county_portal, "", None),
        (
            "county portal, one type (1/120)",
            county_portal,
            "&type=gate.request.approve",
            ["gate.request.approve"],
        ),
    ]
    print(f"page size {args.page_size}, {args.repeats} requests each; p95 / median in ms")
    print("| caller | first page p95 | median | 90% deep p95 | median | p95 ratio deep/first |")
    print("|---|---|---|---|---|---|")
    for name, user, query, types in cases:
        first_p95, first_med, n1 = timed(user, query)
        cursor = deep_cursor(user, query, types)
        deep_p95, deep_med, n2 = timed(user, f"{query}&after={cursor}")
        assert n1 == n2 == args.page_size, (n1, n2)
        print(
            f"| {name} | {first_p95:.1f} | {first_med:.1f} | {deep_p95:.1f} | {deep_med:.1f} | {deep_p95 / first_p95:.2f} |"
        )


if __name__ == "__main__":
    main()
