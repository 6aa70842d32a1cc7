"""Demo lists: Inner Mongolia's guidance catalogue and 达尔罕茂明安联合旗's own, for villages and communities.

The banner's community work items list (社区工作事项清单, seed 002, end) holds
the negative matters of the region's list, which bind communities by reference
("参照本方案执行", seed 002 end; seed 000 §22), and the demo assist items of
``community_demo_150223.json`` (each flagged 缺依据: no seed cites the article).

Called by ``manage.py seed_demo``; safe to re-run: a catalogue that already has
a published version is left as it is. Every item comes from
``fixtures/catalogs/`` with its source cited.
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
from .choices import AppliesTo
from .models import Catalogue

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "catalogs"
PROVINCE, COUNTY = "150000000000", "150223000000"
GUIDANCE_EFFECTIVE = date(2024, 1, 1)
COUNTY_EFFECTIVE = date(2024, 3, 1)
COMMUNITY_EFFECTIVE = date(2025, 1, 1)
# The county's additions to the negative list follow the Yubei model (seed 001).
LOCAL_NEGATIVE_CODES = ("FM-05", "FM-06", "FM-07")


def load(name: str) -> list[dict[str, Any]]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["items"]


def _build(catalogue: Catalogue, user: User, items: list[dict[str, Any]], effective: date, note: str) -> int:
    draft = services.draft_get_or_create(catalogue=catalogue, user=user)
    existing = set(draft.items.values_list("code", flat=True))
    for data in items:
        if data["code"] not in existing:
            services.item_create(version=draft, data=data, user=user)
    services.version_publish(version=draft, effective_from=effective, user=user, note=note)
    return draft.items.count()


@transaction.atomic
def seed(stdout) -> None:
    _seed_villages(stdout)
    seed_communities(stdout)


def _seed_villages(stdout) -> None:
    provadmin = User.objects.get(username="provadmin")
    keeper = User.objects.get(username="keeper")
    province = Division.objects.get(pk=PROVINCE)
    county = Division.objects.get(pk=COUNTY)

    guidance = Catalogue.objects.filter(
        division=province, applies_to=AppliesTo.VILLAGES
    ).first() or services.catalogue_create(
        division=province, name="内蒙古自治区村级组织工作事务指导目录", user=provadmin
    )
    if services.has_published(guidance):
        stdout.write("catalogs: guidance catalogue unchanged")
    else:
        n = _build(
            guidance,
            provadmin,
            load("negative_nm.json") + load("autonomy_national.json"),
            GUIDANCE_EFFECTIVE,
            "依据自治区实施意见附件1（seed 000）",
        )
        stdout.write(f"catalogs: guidance catalogue published with {n} items")

    own = Catalogue.objects.filter(
        division=county, applies_to=AppliesTo.VILLAGES
    ).first() or services.catalogue_create(
        division=county, name="达尔罕茂明安联合旗村级组织工作事务清单", user=keeper, guidance=guidance
    )
    if services.has_published(own):
        stdout.write("catalogs: county catalogue unchanged")
        return
    local_negative = [
        {**item, "source": "演示数据：旗级增列，参照" + item["source"]}
        for item in load("negative_yubei.json")
        if item["code"] in LOCAL_NEGATIVE_CODES
    ]
    n = _build(
        own,
        keeper,
        load("demo_county_150223.json") + local_negative,
        COUNTY_EFFECTIVE,
        "旗委旗政府审定（演示数据）",
    )
    stdout.write(f"catalogs: county catalogue published with {n} items")


def _community_negative() -> list[dict[str, Any]]:
    """The region's negative matters, worded for communities, citing why they bind them."""
    return [
        {
            **item,
            "content": item["content"].replace("村级组织", "社区"),
            "source": "参照执行（种子002末段；种子000第二十二条城乡政策衔接）：" + item["source"],
        }
        for item in load("negative_nm.json")
    ]


def seed_communities(stdout) -> None:
    """The banner's community work items list (published), beside its villages' list."""
    keeper = User.objects.get(username="keeper")
    county = Division.objects.get(pk=COUNTY)
    own = Catalogue.objects.filter(
        division=county, applies_to=AppliesTo.COMMUNITIES
    ).first() or services.catalogue_create(
        division=county,
        name="达尔罕茂明安联合旗社区工作事项清单",
        user=keeper,
        applies_to=AppliesTo.COMMUNITIES,
    )
    if services.has_published(own):
        stdout.write("catalogs: community catalogue unchanged")
        return
    n = _build(
        own,
        keeper,
        _community_negative() + load("community_demo_150223.json"),
        COMMUNITY_EFFECTIVE,
        "社区工作事项清单（演示数据，协助事项缺依据待补）",
    )
    stdout.write(f"catalogs: community catalogue published with {n} items")
