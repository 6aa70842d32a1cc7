"""``bench/run``: build the national data on PostgreSQL and run every benchmark, one table out.

Runs ``bench_divisions.py`` first (it imports all 665,276 division rows and
leaves them in the database), then builds the national dispatch history on
them (``bench/national.py``: every county's approved requests sent to all its
villages, ~1.9M village tasks by COPY), then every other ``bench/bench_*.py``
in name order (``bench_register_api.py`` builds its 10M register rows in its
own database, kept for later runs). A benchmark that speaks ``--bench-run``
gives figures with their baselines measured in the same run; the others are
run with ``--postgres`` and their output is attached. Writes
``bench/out/results.md`` and ``bench/out/results.json`` (``--out`` names
another directory) and prints the markdown.

    bench/run [--postgres postgres://postgres@127.0.0.1:57433/bench_national] [--repeats 2] [--only NAME]
    bench/run --scale small        # two provinces, small sizes: minutes, to check the whole run works

``--scale small`` imports only Hebei and Inner Mongolia (13, 15), dispatches
one request per county, and gives each benchmark its small sizes (``SMALL``).

Without ``--postgres`` it starts a scratch PostgreSQL 15 on loopback (as
``.ci/run`` does), uses it, and stops it at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
MARK = "BENCH-JSON "
PGBIN = Path("/usr/lib/postgresql/15/bin")
FIRST = "bench_divisions.py"
SMALL_PROVINCES = ("13", "15")
# Per benchmark, arguments at national scale (a shared 2-core machine: the run must end the same day).
# The register's p95s are of millisecond reads: 100 per case and repeat, not 30, so a p95 is not
# the second-slowest of a handful.
NATIONAL = {
    "bench_screening.py": ["--rounds", "5"],
    "bench_register_api.py": ["--rounds", "100"],
    "bench_village_tasks.py": ["--fresh"],
}
# Per benchmark, the arguments of the quick check (--scale small).
SMALL = {
    "bench_dispatch.py": ["--prefix", "15", "--villages", "3000"],
    "bench_dashboard.py": ["--small"],
    "bench_register_api.py": ["--rows", "200000", "--checkpoints", "50000", "--rounds", "10"],
    "bench_event_feed.py": ["--events", "100000", "--repeats", "50"],
    "bench_catalog_import.py": ["--rows", "5000"],
    "bench_import_export_baseline.py": ["--rows", "2000"],
    "bench_screening.py": ["--rounds", "3"],
    "bench_certificate_check.py": ["--rounds", "3"],
    "bench_api_list.py": ["--seconds", "2"],
    "bench_village_tasks.py": ["--seasons", "1", "--rounds", "10", "--fresh"],
}


def scratch_postgres(port: int) -> tuple[str, callable]:
    work = Path(tempfile.mkdtemp(prefix="vbr-bench."))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(work, "postgres")
    data = work / "pg"
    subprocess.run(
        [*as_postgres, PGBIN / "initdb", "-D", data, "--locale=C.UTF-8", "-E", "UTF8", "-U", "postgres"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-k {work} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    subprocess.run(
        [*as_postgres, PGBIN / "pg_ctl", "-D", data, "-l", work / "log", "-w", "-o", options, "start"],
        check=True,
        stdout=subprocess.DEVNULL,
    )

    def stop() -> None:
        subprocess.run(
            [*as_postgres, PGBIN / "pg_ctl", "-D", data, "-m", "fast", "stop"], stdout=subprocess.DEVNULL
        )
        shutil.rmtree(work, ignore_errors=True)

    return f"postgres://postgres@127.0.0.1:{port}/bench_national", stop


# Benchmarks that print their own table, with their own database next to the national one.
OWN_ARGS = {
    "bench_screening.py": lambda db: ["--database", db],
    # 1M audit rows keep the run modest (the 10M fill alone is ~20 minutes here).
    "bench_event_feed.py": lambda db: ["--postgres", db, "--events", "1000000"],
    # The public check scores the demo county in its own scratch SQLite file (it takes no --postgres).
    "bench_certificate_check.py": lambda db: [],
}


def run_bench(
    script: Path, url: str, repeats: int, extra: list[str], env: dict[str, str]
) -> tuple[list[dict], str, float]:
    speaks = "--bench-run" in script.read_text(encoding="utf-8")
    if speaks:
        cmd = [sys.executable, str(script), "--postgres", url, "--bench-run", "--repeats", str(repeats)]
    else:
        own = f"{url.rsplit('/', 1)[0]}/{script.stem}"
        cmd = [sys.executable, str(script), *OWN_ARGS.get(script.name, lambda db: ["--postgres", db])(own)]
    cmd += extra
    started = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if out.returncode:
        return [], f"failed (exit {out.returncode}):\n{out.stderr[-2000:]}", seconds
    figures = [json.loads(line[len(MARK) :]) for line in out.stdout.splitlines() if line.startswith(MARK)]
    if speaks and figures:
        return figures[-1], "", seconds
    return [], out.stdout[-3000:], seconds


def small_data(target: Path) -> Path:
    """The division files cut to ``SMALL_PROVINCES`` (kept in bench/out for the next quick run)."""
    import csv
    import gzip

    sys.path.insert(0, str(BENCH))
    from common import DATA

    if (target / "villages.csv.gz").exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(DATA.glob("*.csv.gz")):
        with gzip.open(source, "rt", encoding="utf-8", newline="") as f_in:
            rows = csv.reader(f_in)
            header = next(rows)
            with gzip.open(target / source.name, "wt", encoding="utf-8", newline="") as f_out:
                writer = csv.writer(f_out)
                writer.writerow(header)
                writer.writerows(r for r in rows if r[0][:2] in SMALL_PROVINCES)
    return target


def build_history(url: str, requests: int, env: dict[str, str]) -> tuple[str, float]:
    """The national dispatch history on the imported divisions (bench/national.py)."""
    started = time.perf_counter()
    cmd = [sys.executable, str(BENCH / "national.py"), "--postgres", url, "--requests", str(requests)]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if out.returncode:
        return f"failed (exit {out.returncode}):\n{out.stderr[-2000:]}", seconds
    return "; ".join(line for line in out.stdout.splitlines() if line.strip()), seconds


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    return f"{value:,.1f} {unit}"


def spread(summary: dict, unit: str) -> str:
    return " / ".join(fmt(summary[k], unit) for k in ("min", "median", "max"))


def markdown(results: dict) -> str:
    lines = [
        f"# Benchmarks, {results['when']} ({results['machine']}, {results['repeats']} repeats, "
        f"scale {results.get('scale', 'national')})",
        "",
        *(f"- {step}" for step in results.get("data", [])),
        "",
        "Each figure beside its baseline measured in the same run; min / median / max over the repeats. "
        "The goal applies to the median ratio.",
        "",
        "| figure | min / median / max | baseline | baseline min / median / max | ratio min / median / max "
        "| goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for bench in results["benchmarks"]:
        for f in bench["figures"]:
            r = f["ratio"]
            met = "" if f["met"] is None else ("yes" if f["met"] else "**no**")
            lines.append(
                f"| {f['figure']} | {spread(f['value'], f['unit'])} | {f['baseline']} | "
                f"{spread(f['baseline_value'], f['unit'])} | {r['min']:.2f}× / {r['median']:.2f}× / {r['max']:.2f}× "
                f"| {f['goal']} | {met} |"
            )
    others = [b for b in results["benchmarks"] if not b["figures"]]
    for bench in others:
        lines += [
            "",
            f"## {bench['script']} (no same-run baseline; its own output)",
            "",
            "```",
            bench["output"].strip(),
            "```",
        ]
    lines += [
        "",
        "Wall time per benchmark: "
        + ", ".join(f"{b['script']} {b['seconds']:.0f} s" for b in results["benchmarks"]),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", default="")
    parser.add_argument("--port", type=int, default=57499, help="for the scratch server")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--division-repeats", type=int, default=1, help="the national import is minutes each")
    parser.add_argument("--only", action="append", default=[], help="bench_NAME.py to run (repeatable)")
    parser.add_argument("--scale", choices=("national", "small"), default="national")
    parser.add_argument("--requests", type=int, default=3, help="approved requests dispatched per county")
    parser.add_argument("--out", type=Path, default=OUT, help="where results.md and results.json go")
    args = parser.parse_args()
    stop = None
    url = args.postgres
    if not url:
        url, stop = scratch_postgres(args.port)
    env = dict(os.environ)
    if args.scale == "small":
        env["BENCH_DATA"] = str(small_data(BENCH / "out" / "small-data"))
        args.requests = 1
    # The national import first (the others read its data); then those with same-run baselines.
    scripts = sorted(
        BENCH.glob("bench_*.py"),
        key=lambda p: (p.name != FIRST, "--bench-run" not in p.read_text(encoding="utf-8"), p.name),
    )
    if args.only:
        scripts = [s for s in scripts if s.name in args.only or s.stem in args.only]
    results = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "repeats": args.repeats,
        "scale": args.scale,
        "data": [],
        "benchmarks": [],
    }
    # The division benchmark leaves a freshly imported database: the dispatch history is built on
    # it, also when --only names it (the dispatch and dashboard benchmarks measure into the history,
    # now or in a later --only run).
    divisions_run = any(s.name == FIRST for s in scripts)

    def history() -> None:
        print("building the national dispatch history …", file=sys.stderr, flush=True)
        output, seconds = build_history(url, args.requests, env)
        results["data"].append(f"dispatch history (bench/national.py, {seconds:.0f} s): {output}")
        write(results, args.out)

    try:
        for script in scripts:
            if script.name != FIRST and not results["data"] and (divisions_run or not args.only):
                history()
            print(f"running {script.name} …", file=sys.stderr, flush=True)
            repeats = args.division_repeats if script.name == FIRST else args.repeats
            extra = (SMALL if args.scale == "small" else NATIONAL).get(script.name, [])
            figures, output, seconds = run_bench(script, url, repeats, extra, env)
            results["benchmarks"].append(
                {"script": script.name, "figures": figures, "output": output, "seconds": round(seconds, 1)}
            )
            write(results, args.out)  # after each benchmark: a long run leaves what it measured so far
        if divisions_run and not results["data"]:
            history()
    finally:
        if stop:
            stop()
    print(write(results, args.out))


def write(results: dict, out: Path = OUT) -> str:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    text = markdown(results)
    (out / "results.md").write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    main()
