"""Benchmark: how well and how fast screening works on lists nobody tuned it for.

Builds, in a scratch database, the three evaluation counties of
``fixtures/gate/eval/`` from their spreadsheets (编码, 清单类别, 事项名称,
工作内容 and, for negative items, 负面事项 — no keywords) through the real
import (``catalogs.spreadsheets``: check, confirm, apply) and publishes them;
then screens every request of ``requests.csv`` through ``gate.screening.screen``
exactly as the API does (version-in-force lookup, cached compiled lists).

It prints, for the tuned part, the held-out part and both:

- the confusion matrix (expected verdict × verdict given) and precision/recall
  per verdict; a ``listed`` verdict under the wrong item counts as wrong;
- the issue's goals: negative-responsible → block, negative-assist → flag,
  covered work → listed (right item), new work wrongly listed;

and timings as ratios to baselines measured in the same run on the same
requests: the whole screening as the API does it against *the version-in-force
lookup alone* (the queries every screening makes), and the matching alone
(``screen_compiled``) against *reading the request once* (normalising it and
cutting it into words with jieba), the least any word-based screening must do. Each request is timed
``--rounds`` times and its median kept; p50/p95 are over requests. The cost of
list size is the same screening against a county whose list is ten times
longer (430 items: the 43 of county A, and nine more copies of each under new
codes), as a ratio to the 43-item county; compiling the lists (the first call
after the cache is cleared) likewise.

    uv run python bench/bench_screening.py [--rounds 15] [--database sqlite:////tmp/vb_bench_screening.sqlite3]
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "fixtures" / "gate" / "eval"
COUNTIES = {
    # key in requests.csv: (spreadsheet, division code, name)
    "a": ("county_a_qinghe.csv", "159901000000", "青禾县（评测）"),
    "b": ("county_b_wulan.csv", "159902000000", "乌兰哈达旗（评测）"),
    "c": ("county_c_jiangan.csv", "159903000000", "江岸区（评测）"),
}
LARGE = ("159904000000", "十倍清单县（评测）")
VERDICTS = ("block", "flag", "listed", "review")


def load_requests() -> list[dict[str, str]]:
    with (EVAL / "requests.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def ten_fold(source: Path, target: Path) -> None:
    """County A's list and nine more copies of every item under new codes (430 items)."""
    with source.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for copy in range(10):
            for row in rows:
                prefix, number = row["编码"].split("-")
                writer.writerow({**row, "编码": f"{prefix}-{copy * 100 + int(number):03d}"})


def build(user, code: str, name: str, sheet: Path):
    """A county with one catalogue, imported from ``sheet`` and published (the real services)."""
    from django.core.files import File
    from django.utils import timezone

    from catalogs import services, spreadsheets
    from catalogs.models import CatalogueVersion
    from divisions.models import Division, Level

    county = Division.objects.create(code=code, name=name, level=Level.COUNTY, parent_id="159900000000")
    catalogue = services.catalogue_create(division=county, name=f"{name}村级工作事务清单", user=user)
    with sheet.open("rb") as fh:
        upload = File(fh, name=sheet.name)
        upload.size = sheet.stat().st_size
        job = spreadsheets.import_job_create(catalogue=catalogue, upload=upload, user=user, background=False)
    spreadsheets.check(job)
    job.refresh_from_db()
    if job.status != "checked":
        raise SystemExit(f"{sheet.name}: {job.status} {job.message} {job.errors[:3]}")
    spreadsheets.import_job_confirm(job=job, user=user, background=False)
    spreadsheets.apply(job)
    draft = CatalogueVersion.objects.get(catalogue=catalogue, status="draft")
    services.version_publish(
        version=draft, effective_from=timezone.localdate() - timedelta(days=1), user=user
    )
    return county


def median_times(fns, rounds: int) -> list[float]:
    """The median time of each of ``fns``, timed in turn round after round (so a
    busy machine slows them alike and their ratio holds)."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for fn, out in zip(fns, times, strict=True):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    return [statistics.median(t) for t in times]


def pct(values, p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def report(rows: list[dict], label: str) -> None:
    print(f"\n== {label}: {len(rows)} requests ==")
    matrix = Counter((r["verdict"], r["got"]) for r in rows)
    print("expected \\ given " + "".join(f"{v:>8}" for v in VERDICTS) + "   recall  precision")
    for v in VERDICTS:
        right = sum(1 for r in rows if r["verdict"] == v and r["ok"])
        expected = sum(1 for r in rows if r["verdict"] == v)
        given = sum(1 for r in rows if r["got"] == v)
        recall = f"{right / expected:7.0%}" if expected else "      –"
        precision = f"{right / given:9.0%}" if given else "        –"
        print(f"{v:>16} " + "".join(f"{matrix[(v, g)]:>8}" for g in VERDICTS) + f"  {recall}  {precision}")
    wrong_item = [r for r in rows if r["verdict"] == r["got"] == "listed" and not r["ok"]]
    if wrong_item:
        print(f"listed under the wrong item: {len(wrong_item)}")

    def share(kind: str, role_ok) -> str:
        sel = [r for r in rows if r["verdict"] == kind and role_ok(r)]
        return f"{sum(r['ok'] for r in sel)}/{len(sel)}" + (
            f" = {sum(r['ok'] for r in sel) / len(sel):.0%}" if sel else ""
        )

    new = [r for r in rows if r["verdict"] == "review"]
    wrongly = sum(1 for r in new if r["got"] == "listed")
    print(
        f"goals: negative-responsible → block {share('block', bool)} (100%); "
        f"negative-assist → flag {share('flag', bool)} (≥ 95%); "
        f"covered → listed {share('listed', bool)} (≥ 90%); "
        f"new work wrongly listed {wrongly}/{len(new)}"
        + (f" = {wrongly / len(new):.0%}" if new else "")
        + " (≤ 5%)"
    )
    for r in rows:
        if not r["ok"]:
            print(
                f"  ✗ [{r['county']}] {r['title']}：{r['description']} ({r['village_role']}) "
                f"expected {r['verdict']} {r['item']}, got {r['got']} {r['code']}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=15, help="timings per request (the median is kept)")
    parser.add_argument("--database", default="sqlite:////tmp/vb_bench_screening.sqlite3")
    args = parser.parse_args()
    if args.database.startswith("sqlite:///"):
        Path(args.database.removeprefix("sqlite:///")).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from divisions.models import Division, Level
    from gate import screening
    from organisations.models import User

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    Division.objects.create(code="150000000000", name="内蒙古自治区", level=Level.PROVINCE)
    Division.objects.create(
        code="159900000000", name="评测盟", level=Level.PREFECTURE, parent_id="150000000000"
    )
    user = User.objects.create_superuser("bench", password=None)
    counties = {key: build(user, code, name, EVAL / sheet) for key, (sheet, code, name) in COUNTIES.items()}
    with tempfile.TemporaryDirectory() as tmp:
        large_sheet = Path(tmp) / "county_large.csv"
        ten_fold(EVAL / COUNTIES["a"][0], large_sheet)
        large = build(user, LARGE[0], LARGE[1], large_sheet)

    requests = load_requests()
    # Quality: every request once, through the cache as the API does.
    screening.clear_cache()
    rows = []
    for r in requests:
        result = screening.screen(
            county=counties[r["county"]],
            title=r["title"],
            description=r["description"],
            village_role=r["village_role"],
        )
        code = result.hits[0].item_code if result.hits else ""
        ok = result.verdict == r["verdict"] and (r["verdict"] != "listed" or code == r["item"])
        rows.append({**r, "got": result.verdict, "code": code, "ok": ok})
    report([r for r in rows if r["split"] == "tuned"], "tuned part (counties a, b)")
    report([r for r in rows if r["split"] == "heldout"], "held-out part (county c entirely, a and b in part)")
    report(rows, "all")

    # Speed.
    vocab = screening.lexicon().vocabulary

    def read_once(r):
        return lambda: screening.segmenter.cut(vocab.fold(screening.normalise(r["title"] + r["description"])))

    def screen_in(county, r):
        return lambda: screening.screen(
            county=county, title=r["title"], description=r["description"], village_role=r["village_role"]
        )

    def lookup(r):
        return lambda: screening.lists_for(counties[r["county"]])

    def match_only(r, county=None):
        compiled = screening.lists_for(county or counties[r["county"]])
        return lambda: screening.screen_compiled(
            compiled, title=r["title"], description=r["description"], village_role=r["village_role"]
        )

    a_requests = [r for r in requests if r["county"] == "a"]
    base, looked, matching, warm = zip(
        *(
            median_times(
                [read_once(r), lookup(r), match_only(r), screen_in(counties[r["county"]], r)], args.rounds
            )
            for r in requests
        ),
        strict=True,
    )
    small, big, small_match, big_match = zip(
        *(
            median_times(
                [
                    screen_in(counties["a"], r),
                    screen_in(large, r),
                    match_only(r, counties["a"]),
                    match_only(r, large),
                ],
                args.rounds,
            )
            for r in a_requests
        ),
        strict=True,
    )

    def cold(county):
        def first_call():
            screening.clear_cache()
            screening.screen(
                county=county,
                title="违建拆除",
                description="由村委会负责本村违法建筑拆除",
                village_role="assist",
            )

        return first_call

    # Compiling the lists: the first call after the cache is cleared.
    cold_small, cold_big = median_times([cold(counties["a"]), cold(large)], max(3, args.rounds // 3))
    print(f"\n== speed: median of {args.rounds} timings per request, {connection.vendor} ==")
    print(
        f"screening as the API does it, cached lists: p50 {pct(warm, 0.5) / pct(looked, 0.5):.1f}×, "
        f"p95 {pct(warm, 0.95) / pct(looked, 0.95):.1f}× the version-in-force lookup alone (its queries)"
    )
    print(
        f"the matching alone (screen_compiled): p50 {pct(matching, 0.5) / pct(base, 0.5):.1f}×, "
        f"p95 {pct(matching, 0.95) / pct(base, 0.95):.1f}× reading the request once (normalise + jieba words)"
    )
    print(
        f"list of 430 items vs 43 (county a's {len(a_requests)} requests): "
        f"screening p50 {pct(big, 0.5) / pct(small, 0.5):.2f}×, p95 {pct(big, 0.95) / pct(small, 0.95):.2f}×; "
        f"the matching alone p50 {pct(big_match, 0.5) / pct(small_match, 0.5):.2f}×, "
        f"p95 {pct(big_match, 0.95) / pct(small_match, 0.95):.2f}×; "
        f"compiling the lists (first call after the cache is cleared) {cold_big / cold_small:.1f}×"
    )
    print(
        "absolute, this machine only: "
        f"reading once p50 {pct(base, 0.5) * 1000:.2f} ms; lookup p50 {pct(looked, 0.5) * 1000:.2f} ms; "
        f"matching p50 {pct(matching, 0.5) * 1000:.2f} ms, p95 {pct(matching, 0.95) * 1000:.2f} ms; "
        f"screening p50 {pct(warm, 0.5) * 1000:.2f} ms, p95 {pct(warm, 0.95) * 1000:.2f} ms; "
        f"430 items p95 {pct(big, 0.95) * 1000:.2f} ms; "
        f"cold 43 items {cold_small * 1000:.0f} ms, 430 items {cold_big * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
