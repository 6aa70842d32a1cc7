"""Benchmark: import a generated 100,000-item catalogue spreadsheet (.xlsx).

Runs the real import (the preview check, then the confirmed apply into the
draft, then a re-import of the same file, which must change nothing) in a child
process per database, and prints rows/s and peak memory (max RSS of the child).

    uv run python bench/bench_catalog_import.py [--rows 100000]
        [--sqlite] [--postgres postgres://postgres@127.0.0.1:5433/bench_catalogs]

PostgreSQL: the database is dropped and recreated (UTF-8, C.UTF-8 ctype).
The generated file is kept in bench/out/ and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
KINDS = [("autonomy", "自治", "ZZ"), ("assist", "协助", "XZ"), ("negative", "负面", "FM")]


def generate(path: Path, rows: int) -> None:
    """A realistic-looking catalogue: every column filled, Chinese text, three lists."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    import django

    django.setup()
    from openpyxl import Workbook

    from catalogs.spreadsheets import COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("清单")
    ws.append([label for _key, label in COLUMNS])
    for n in range(1, rows + 1):
        _kind, label, prefix = KINDS[0] if n % 10 < 3 else KINDS[1] if n % 10 < 9 else KINDS[2]
        values = {
            "code": f"{prefix}-{n:06d}",
            "kind": label,
            "name": f"第{n}项村级事务：协助开展基层治理与公共服务工作",
            "category": ["社会保障", "基层治理", "农牧林草", "卫生健康", "应急管理"][n % 5],
            "content": "协助做好相关政策宣传、信息采集和群众服务工作，按规定频次报送情况。" * 2,
            "legal_basis": "《中华人民共和国村民委员会组织法》第五条",
            "responsible_department": f"旗直部门{n % 40}",
            "funding": "部门按事项拨付工作经费",
            "staff": "",
            "equipment": "",
            "scope": "全旗各嘎查村",
            "process": "部门部署→苏木乡镇指导→村级协助→部门验收",
            "materials": "工作台账",
            "frequency": "每季度",
            "hours_per_year": (n % 60) + 0.5,
            "negative_matter": f"第{n}项负面事项的责任主体" if prefix == "FM" else "",
            "keywords": "宣传 采集 服务 报送",
            "status": "有效",
            "status_reason": "",
            "effective_from": None,
            "effective_to": None,
            "source": "基准测试生成数据",
        }
        ws.append([values[key] for key, _label in COLUMNS])
    wb.save(path)


def child(path: Path) -> None:
    """Inside a fresh process: migrate, import (check + apply), re-import, print JSON figures."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    import django

    django.setup()
    from django.core.files import File
    from django.core.management import call_command
    from django.db import connection

    from catalogs import services, spreadsheets
    from catalogs.models import CatalogueItem
    from divisions.models import Division, Level
    from organisations.models import User

    call_command("migrate", verbosity=0)
    province, _ = Division.objects.get_or_create(
        code="150000000000", defaults={"name": "内蒙古自治区", "level": Level.PROVINCE}
    )
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", password=None
    )
    catalogue = services.catalogue_create(division=province, name="基准测试指导目录", user=user)

    def one_import():
        with path.open("rb") as fh:
            upload = File(fh, name=path.name)
            upload.size = path.stat().st_size
            job = spreadsheets.import_job_create(
                catalogue=catalogue, upload=upload, user=user, background=False
            )
        t0 = time.perf_counter()
        checked = spreadsheets.check(job)
        t1 = time.perf_counter()
        job.refresh_from_db()
        assert job.status == "checked", (job.status, job.message, job.errors[:3])
        spreadsheets.import_job_confirm(job=job, user=user, background=False)
        applied = spreadsheets.apply(job)
        t2 = time.perf_counter()
        return checked, applied, t1 - t0, t2 - t1

    first, first_apply, check_s, apply_s = one_import()
    _second, second_apply, recheck_s, reapply_s = one_import()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = check_s + apply_s
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "rows": first.total,
                "items": CatalogueItem.objects.count(),
                "check_seconds": round(check_s, 1),
                "apply_seconds": round(apply_s, 1),
                "import_seconds": round(total, 1),
                "import_rows_per_s": round(first.total / total),
                "check_rows_per_s": round(first.total / check_s),
                "apply_rows_per_s": round(first.total / apply_s),
                "created": first_apply.new,
                "reimport_seconds": round(recheck_s + reapply_s, 1),
                "reimport_changed": second_apply.new + second_apply.changed,
                "peak_rss_mb": round(peak_mb),
            }
        )
    )


def run(label: str, database_url: str, path: Path) -> dict:
    media = tempfile.mkdtemp(prefix="bench-media-")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": media,
        "DJANGO_ENV": "development",
        "DEBUG": "false",
    }
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--file", str(path)], env=env, capture_output=True, text=True
    )
    if out.returncode:
        sys.stderr.write(out.stderr[-4000:])
        raise SystemExit(f"{label}: child failed")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    result["label"] = label
    return result


def recreate_postgres(url: str) -> None:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    args = [
        "-h",
        parsed.hostname or "127.0.0.1",
        "-p",
        str(parsed.port or 5432),
        "-U",
        parsed.username or "postgres",
    ]
    subprocess.run(["dropdb", *args, "--if-exists", name], check=True)
    subprocess.run(["createdb", *args, "-E", "UTF8", "--locale=C.UTF-8", "-T", "template0", name], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--postgres", nargs="?", const="postgres://postgres@127.0.0.1:5433/bench_catalogs")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.child:
        child(Path(args.file))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"catalogue-{args.rows}.xlsx"
    if not path.exists():
        t0 = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    targets = []
    if args.sqlite or not args.postgres:
        db = OUT / "bench_catalogs.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        targets.append(("SQLite", f"sqlite:///{db}"))
    if args.postgres:
        recreate_postgres(args.postgres)
        targets.append(("PostgreSQL", args.postgres))
    for label, url in targets:
        result = run(label, url, path)
        print(
            f"{label:<11} {result['rows']:>7} rows  import {result['import_seconds']:>6.1f} s = "
            f"{result['import_rows_per_s']:>6} rows/s (check {result['check_rows_per_s']}/s, "
            f"apply {result['apply_rows_per_s']}/s)  re-import {result['reimport_seconds']} s, "
            f"{result['reimport_changed']} changed  peak {result['peak_rss_mb']} MB"
        )
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
