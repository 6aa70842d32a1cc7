"""Benchmark: screening latency against the demo county's lists (p50 / p95 / p99).

Builds the demo (``seed_demo``: 达尔罕茂明安联合旗 with its published lists) in a
scratch SQLite database (or the database in ``--database``), then screens a mix
of realistic requests — blocked, flagged, listed and new work, short and long —
through ``gate.screening.screen`` exactly as the API does: the version-in-force
lookup (two small queries and the cache key), the cached compiled lists, jieba
and the matching. The first call (compiling the lists) is reported apart.

    uv run python bench/bench_screening.py [--rounds 50] [--database sqlite:////tmp/vb_bench_screening.sqlite3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

REQUESTS = [
    ("违法建筑拆除专项行动", "由村委会负责本村违法建筑摸排和拆除，年底前完成。", "assist"),
    ("招商引资任务分解", "每个嘎查村全年完成引进项目2个、到位资金500万元，纳入年度考核。", "responsible"),
    ("安全生产大检查", "各村对辖区小作坊、加油站开展安全隐患排查，建立整改台账。", "assist"),
    ("秸秆禁烧", "村级组织承担秸秆禁烧主体责任，发现焚烧立即处置。", "inform"),
    ("协税护税", "村委会负责催缴辖区个体户欠缴税款。", "assist"),
    ("占道经营整治", "社区居委会负责清理流动摊贩和占道经营。", "assist"),
    ("配合安全生产检查", "村委会配合应急管理局开展宣传，发现隐患及时报告苏木镇。", "assist"),
    ("违建线索报告", "村级组织协助发现违法建筑线索并上报综合执法局，由执法局依法处置。", "assist"),
    ("低保对象入户核查", "协助民政局开展低保、特困对象入户核查并公示。", "assist"),
    ("2027年征兵宣传", "协助人武部开展兵役登记和征兵宣传。", "assist"),
    ("医保参保动员", "协助医保局动员城乡居民参加医疗保险并缴费。", "assist"),
    ("草原防火", "协助开展草原防火宣传，发现火情及时报告。", "assist"),
    ("开展全民阅读活动", "组织村民参加读书分享会，文旅局提供图书。", "assist"),
    ("农村电商培训", "协助商务局组织村民参加电商直播培训。", "assist"),
    (
        "关于开展2027年度村级应急能力提升工作的通知",
        (
            "为提升基层应急能力，请各嘎查村协助旗应急管理局做好以下工作：一、每季度检查应急广播终端；"
            "二、协助建立灾害信息员队伍，及时报送灾情；三、配合开展森林草原防灭火宣传；四、汛期协助做好"
            "危险区域群众转移。应急管理局每村每年拨付工作经费800元，并提供培训和装备。"
        )
        * 3,
        "assist",
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=50, help="passes over the request mix")
    parser.add_argument("--database", default="sqlite:////tmp/vb_bench_screening.sqlite3")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "villageburden.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    from divisions.models import Division
    from gate.screening import clear_cache, screen

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    county = Division.objects.get(pk="150223000000")

    clear_cache()
    t = time.perf_counter()
    first = screen(
        county=county, title=REQUESTS[0][0], description=REQUESTS[0][1], village_role=REQUESTS[0][2]
    )
    cold = time.perf_counter() - t
    verdicts: dict[str, int] = {}
    times = []
    for _ in range(args.rounds):
        for title, description, role in REQUESTS:
            t = time.perf_counter()
            result = screen(county=county, title=title, description=description, village_role=role)
            times.append(time.perf_counter() - t)
            verdicts[result.verdict] = verdicts.get(result.verdict, 0) + 1
    times.sort()

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(len(times) * p))] * 1000

    print(
        f"first screening after the cache is cleared (compiles the county's lists): {cold * 1000:.0f} ms "
        f"→ {first.verdict}"
    )
    print(
        f"{len(times):,} screenings: p50 {pct(0.5):.2f} ms, p95 {pct(0.95):.2f} ms, p99 {pct(0.99):.2f} ms, "
        f"mean {statistics.mean(times) * 1000:.2f} ms, max {times[-1] * 1000:.2f} ms"
    )
    print("verdicts:", ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))


if __name__ == "__main__":
    main()
