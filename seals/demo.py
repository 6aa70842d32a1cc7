"""Demo: Inner Mongolia's community seal-use scope guidance and 达尔罕茂明安联合旗's own list.

Every use comes from ``fixtures/seals/seal_uses_nm.json`` with the seed clause it
rests on; uses no seed gives a basis for are flagged 缺依据. The banner has no
street (街道): its urban residents' committees are those of its seat, 百灵庙镇
(7 real committees in the 2023 division codes, 150223104002–150223104011),
which the demo's divisions already hold as communities.

Called by ``manage.py seed_demo``; safe to re-run.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from divisions.models import Division
from organisations.models import User

from . import services
from .models import SealList

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "seals"
PROVINCE, COUNTY = "150000000000", "150223000000"
PROVINCE_EFFECTIVE = date(2025, 1, 1)
COUNTY_EFFECTIVE = date(2025, 3, 1)


def load(name: str) -> list[dict[str, Any]]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["items"]


def _publish(seal_list: SealList, user: User, items: list[dict[str, Any]], effective: date, note: str) -> int:
    draft = services.draft_get_or_create(seal_list=seal_list, user=user)
    for data in items:
        services.item_save(version=draft, data=data, user=user)
    services.version_publish(version=draft, effective_from=effective, user=user, note=note)
    return draft.items.count()


@transaction.atomic
def seed(stdout) -> None:
    provadmin = User.objects.get(username="provadmin")
    keeper = User.objects.get(username="keeper")
    province = Division.objects.get(pk=PROVINCE)
    county = Division.objects.get(pk=COUNTY)
    guidance = SealList.objects.filter(division=province).first() or services.seal_list_create(
        division=province, name="内蒙古自治区社区印章使用范围指导清单", user=provadmin
    )
    if guidance.versions.filter(status="published").exists():
        stdout.write("seals: provincial guidance unchanged")
    else:
        n = _publish(
            guidance, provadmin, load("seal_uses_nm.json"), PROVINCE_EFFECTIVE, "种子002末段“三张清单”"
        )
        stdout.write(f"seals: provincial guidance published with {n} uses")
    own = SealList.objects.filter(division=county).first() or services.seal_list_create(
        division=county, name="达尔罕茂明安联合旗社区印章使用范围清单", user=keeper
    )
    if own.versions.filter(status="published").exists():
        stdout.write("seals: county list unchanged")
        return
    # The county's first draft inherits the guidance in force; it publishes it as its own.
    n = _publish(own, keeper, [], COUNTY_EFFECTIVE, "旗级社区印章使用范围清单（演示数据）")
    communities = Division.objects.filter(
        code__startswith="150223", level=5, settlement_kind="community"
    ).count()
    stdout.write(f"seals: county list published with {n} uses, for {communities} communities")
