"""Demo registry of work groups and apps for 达尔罕茂明安联合旗 (150223).

Six groups and apps aimed at villages of 百灵庙镇 and 明安镇, registered by the
organisation department; the county has kept two, merged one, closed two
(the screenshot and check-in ones, seed 000 §4) and left one undecided, so
the counts before and after differ per township.

Called by ``manage.py seed_demo``; safe to re-run (a second run creates nothing).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from divisions.models import Division, Level
from organisations.models import User

from . import services
from .models import WorkChannel

COUNTY = "150223000000"
TOWNSHIPS = ("150223104", "150223107")

# kind, name, owner, purpose, (check-ins, screenshots, rankings), townships reached, members, decision
DEMO_CHANNELS = [
    (
        "group",
        "达茂旗村级组织工作群",
        "中共达尔罕茂明安联合旗委组织部",
        "村级组织工作通知",
        (False, False, False),
        TOWNSHIPS,
        3,
        ("keep", None, "全旗唯一保留的村级工作通知群，其他通知群并入此群。"),
    ),
    (
        "group",
        "百灵庙镇防汛值班打卡群",
        "百灵庙镇人民政府",
        "防汛值班",
        (True, True, False),
        TOWNSHIPS[:1],
        2,
        ("merge", "达茂旗村级组织工作群", "值班通知并入全旗村级组织工作群，不再打卡。"),
    ),
    (
        "group",
        "某局工作截图上报群",
        "达茂旗某局",
        "上报工作场景截图",
        (False, True, True),
        TOWNSHIPS,
        2,
        ("close", None, "不得以上传工作场景截图作为评价村级组织的依据。"),
    ),
    (
        "app",
        "某业务村级打卡APP",
        "达茂旗某局",
        "村干部每日打卡",
        (True, False, True),
        TOWNSHIPS,
        1,
        ("close", None, "业务迁移至全区一体化政务服务平台，不再单设村级终端。"),
    ),
    (
        "app",
        "达茂旗政务服务平台村级端",
        "达尔罕茂明安联合旗政务服务平台",
        "代办服务",
        (False, False, False),
        TOWNSHIPS,
        1,
        ("keep", None, "全区一体化政务服务平台的村级延伸，予以保留。"),
    ),
    (
        "group",
        "明安镇环境整治工作群",
        "明安镇人民政府",
        "人居环境整治",
        (False, True, False),
        TOWNSHIPS[1:],
        2,
        None,
    ),
]
DECIDED_ON = date(2026, 6, 30)


@transaction.atomic
def seed(stdout) -> None:
    registrar = User.objects.get(username="reviewer_org")
    approver = User.objects.get(username="approver")
    created = 0
    for kind, name, owner, purpose, flags, townships, members, decision in DEMO_CHANNELS:
        channel = WorkChannel.objects.filter(county_id=COUNTY, kind=kind, name=name).first()
        if channel is None:
            villages = Division.objects.filter(
                level=Level.VILLAGE, parent_id__in=[t.ljust(12, "0") for t in townships]
            )
            channel = services.channel_register(
                user=registrar,
                data={
                    "kind": kind,
                    "name": name,
                    "owner_name": owner,
                    "purpose": purpose,
                    "demands_checkin": flags[0],
                    "demands_screenshots": flags[1],
                    "demands_ranking": flags[2],
                    "villages": {
                        code: members for code in villages.order_by("code").values_list("code", flat=True)[:4]
                    },
                },
            )
            created += 1
        if decision is not None and not channel.decisions.exists():
            outcome, into_name, reason = decision
            into = WorkChannel.objects.get(county_id=COUNTY, kind=kind, name=into_name) if into_name else None
            services.cleanup_decide(
                user=approver,
                channel=channel,
                outcome=outcome,
                reason=reason,
                effective_on=DECIDED_ON,
                merge_into=into,
            )
            created += 1
    stdout.write(
        f"work groups and apps: {WorkChannel.objects.filter(county_id=COUNTY).count()}, {created} created"
    )
