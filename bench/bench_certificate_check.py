"""Benchmark: the public certificate check — precision/recall on the evaluation set, and p95 latency vs a baseline.

Builds the demo (``seed_demo``: 达尔罕茂明安联合旗 with its certificate lists) in
a scratch SQLite database (or ``--database``), then

- scores ``certificates/eval/check_queries.json`` (≥100 queries written from the
  list items: colloquial, partial, traditional, paraphrased, and unlisted ones);
- times ``selectors.check_answer`` (what the page and the API call) over the
  set, and as the baseline, in the same run, the naive check a form would do:
  one query for an item in force with exactly the typed name.

    uv run python bench/bench_certificate_check.py [--rounds 20] [--database sqlite:////tmp/vb_bench_cert.sqlite3]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pct(times: list[float], p: float) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, int(len(times) * p))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--database", default="sqlite:////tmp/vb_bench_cert.sqlite3")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    from certificates import evaluation, selectors
    from divisions.models import Division

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    county = Division.objects.get(pk="150223000000")
    score = evaluation.evaluate(county)
    print(
        f"evaluation set: {score.total} queries ({score.listed} for a listed item); "
        f"precision {score.precision:.3f}, recall {score.recall:.3f}"
    )
    for q, want, got in score.misses:
        print(f"  miss: {q!r} expected {want} got {got}")
    queries = [row["q"] for row in evaluation.queries()]
    check, base = [], []
    for _ in range(args.rounds):
        for q in queries:
            t = time.perf_counter()
            selectors.check_answer(county, q)
            check.append(time.perf_counter() - t)
            t = time.perf_counter()
            selectors.items_in_force(county).filter(name=q).first()
            base.append(time.perf_counter() - t)
    print(
        f"{len(check):,} checks: p50 {pct(check, 0.5):.2f} ms, p95 {pct(check, 0.95):.2f} ms; "
        f"baseline (exact-name query): p50 {pct(base, 0.5):.2f} ms, p95 {pct(base, 0.95):.2f} ms; "
        f"p95 ratio {pct(check, 0.95) / pct(base, 0.95):.2f}×"
    )


if __name__ == "__main__":
    main()
