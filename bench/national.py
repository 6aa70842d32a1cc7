"""The national data every benchmark reads: a dispatch history over all of China's villages.

``bench/run`` imports the 665,276 division rows first (``bench_divisions.py``),
then calls this: every county has dispatched ``requests`` approved access
requests (default 3) to all of its villages — about 1.9 million village tasks
for the ~620,000 villages — as a county's record holds them after a season:
statuses spread (pending, in progress, done), due dates spread around today
(some overdue), frequencies and hours per village varied. The rows go in by
psycopg binary COPY, one statement per province, with the insert trigger and
the foreign keys checking every row (nothing is switched off). Idempotent: a
database that already holds the history is left as it is.

    uv run python bench/national.py --postgres postgres://postgres@127.0.0.1:57433/bench_national [--requests 3]

Benchmarks that need the history (``bench_dashboard.py``, and
``bench_dispatch.py`` dispatching into a table that already holds it) call
``dispatch_history()`` after ``django.setup()``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_django

ORG_CODE = "bench-national-dept"
TASK_COLUMNS = (
    "village_id, county_id, access_request_id, organisation_id, dispatched_by_id, title, village_role, "
    "starts_on, due_on, status, progress, note, version, created, updated"
)
TASK_TYPES = [
    "varchar", "varchar", "int8", "int8", "int8", "varchar", "varchar",
    "date", "date", "varchar", "int2", "text", "int4", "timestamptz", "timestamptz",
]  # fmt: skip
STATUSES = ("pending", "in_progress", "done", "pending", "done")
PROGRESS = {"pending": 0, "in_progress": 50, "done": 100}


def dispatch_history(*, requests: int = 3, org_code: str = ORG_CODE, tag: str = "BN") -> dict:
    """Build the history if the database has none; return what it holds (requests, tasks, seconds).

    ``org_code`` and ``tag`` name the requesting department and prefix the request numbers: a
    second department adds a second season of the same size (``bench_village_tasks.py``).
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from divisions.models import Division, Level
    from gate.models import AccessRequest, VillageTask
    from organisations.choices import OrgKind, Role
    from organisations.models import Organisation, User

    top = Division.objects.filter(level=Level.PROVINCE).order_by("code").first()
    if top is None:
        raise SystemExit("no divisions: import them first (bench_divisions.py or import_divisions)")
    org, _ = Organisation.objects.get_or_create(
        code=org_code,
        defaults={
            "name": "基准测试局" + ("" if tag == "BN" else tag),
            "kind": OrgKind.COUNTY_DEPARTMENT,
            "division": top,
        },
    )
    user, _ = User.objects.get_or_create(
        username="bench-national-submitter" if org_code == ORG_CODE else f"{org_code}-submitter",
        defaults={"role": Role.DEPT_SUBMITTER, "organisation": org},
    )
    started = time.perf_counter()
    if not VillageTask.objects.filter(organisation=org).exists():
        today = timezone.localdate()
        decided = timezone.now() - timedelta(days=90)
        counties = list(
            Division.objects.filter(level=Level.COUNTY).order_by("code").values_list("code", flat=True)
        )
        AccessRequest.objects.filter(organisation=org).delete()
        AccessRequest.objects.bulk_create(
            [
                AccessRequest(
                    number=f"{tag}-{code[:6]}-{i}",
                    division_id=code,
                    organisation=org,
                    created_by=user,
                    title=f"基准任务{i}",
                    description="基准",
                    village_role=("assist", "responsible", "assist")[i % 3],
                    starts_on=today - timedelta(days=90),
                    ends_on=today + timedelta(days=200),
                    frequency=("monthly", "quarterly", "yearly")[i % 3],
                    hours_per_village=(1.5, 0, 4)[i % 3],
                    status="approved",
                    approved_until=today + timedelta(days=200),
                    decided_at=decided,
                    submitted_at=decided,
                )
                for code in counties
                for i in range(requests)
            ],
            batch_size=5000,
        )
        by_county: dict[str, list[tuple[int, int, str]]] = {}
        for pk, county, number, role in AccessRequest.objects.filter(organisation=org).values_list(
            "pk", "division_id", "number", "village_role"
        ):
            by_county.setdefault(county, []).append((pk, int(number.rsplit("-", 1)[1]), role))
        now = timezone.now()
        n = 0
        provinces = list(
            Division.objects.filter(level=Level.PROVINCE).order_by("code").values_list("code", flat=True)
        )
        for province in provinces:
            # Read before the COPY starts: the connection cannot fetch while it copies.
            villages = list(
                Division.objects.filter(level=Level.VILLAGE, code__startswith=province[:2])
                .order_by("code")
                .values_list("code", flat=True)
            )
            with transaction.atomic(), connection.connection.cursor() as cur:
                with cur.copy(f"COPY gate_villagetask ({TASK_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(TASK_TYPES)
                    for code in villages:
                        county = code[:6].ljust(12, "0")
                        for pk, i, role in by_county.get(county, ()):
                            status = STATUSES[(n + i) % 5]
                            due = today + timedelta(days=((n * 7 + i) % 60) - 20)
                            copy.write_row((code, county, pk, org.pk, user.pk, f"基准任务{i}", role,
                                            today - timedelta(days=90), due, status, PROGRESS[status], "",
                                            1, now, now))  # fmt: skip
                            n += 1
        with connection.cursor() as cur:
            cur.execute("ANALYZE gate_villagetask")
            cur.execute("ANALYZE gate_accessrequest")
        print(f"dispatch history: {n:,} village tasks by COPY in {time.perf_counter() - started:.0f}s")
    return {
        "requests": AccessRequest.objects.filter(organisation=org).count(),
        "tasks": VillageTask.objects.filter(organisation=org).count(),
        "villages": Division.objects.filter(level=Level.VILLAGE).count(),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--requests", type=int, default=3, help="approved requests dispatched per county")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.postgres
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    setup_django()
    print(json.dumps(dispatch_history(requests=args.requests)))


if __name__ == "__main__":
    main()
