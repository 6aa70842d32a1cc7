"""Shared fixtures for communities: a community in township A, the county's community lists, the seal list."""

from __future__ import annotations

from datetime import date

import pytest

from catalogs import services as catalogs
from catalogs.choices import AppliesTo
from seals import services as seals

from . import factories as f

MAY_NOT = {
    "code": "JY-03",
    "kind": "may_not",
    "name": "以社区名义承担拆迁拆违等责任的文书",
    "common_names": "拆迁拆违责任书、拆迁协议、拆违责任状、招商引资目标责任状",
    "reason": "不得将社区作为拆迁拆违工作的责任主体。",
    "legal_basis": "中办国办《意见》二(一)1（种子003）",
    "source": "种子003；种子002末段",
}
MAY = {
    "code": "YY-01",
    "kind": "may",
    "name": "社区职责范围内、能够核实的事项的证明",
    "common_names": "居住情况证明、据实出具的证明",
    "conditions": "据实出具",
    "legal_basis": "种子000第（十）条",
    "source": "种子000第（十）条",
}
FLAGGED = {
    "code": "YY-03",
    "kind": "may",
    "name": "居民会议的决定和社区自治事务的文书",
    "common_names": "居民公约、居民会议决定",
    "reason": "社区依法办理本居住地区居民的公共事务。",
    "basis_missing": True,
    "source": "种子004总体要求（条款缺）",
}


@pytest.fixture
def community(world):
    """A residents' committee of township A (百灵庙镇, the banner's seat)."""
    return f.village(
        "150223104002", "艾不盖街居委会", world.township_a, settlement_kind="community", area_type="urban"
    )


@pytest.fixture
def seal_list(world):
    """The home county's seal-use scope list, published on 2026-01-01 with three uses."""
    keeper = world.user("keeper")
    lst = seals.seal_list_create(division=world.county, name="达茂旗社区印章使用范围清单", user=keeper)
    draft = seals.draft_get_or_create(seal_list=lst, user=keeper)
    for data in (MAY_NOT, MAY, FLAGGED):
        seals.item_save(version=draft, data=data, user=keeper)
    seals.version_publish(version=draft, effective_from=date(2026, 1, 1), user=keeper)
    return lst


COMMUNITY_ASSIST = {
    "code": "XZ-01",
    "kind": "assist",
    "name": "协助开展老旧小区改造",
    "content": "协助住建部门征集居民对老旧小区改造的意见，组织居民议事协商。",
    "keywords": "老旧小区 改造 小区改造 居民意见",
    "responsible_department": "住建局",
    "basis_missing": True,
    "hours_per_year": "12",
}


@pytest.fixture
def community_catalogue(world, county_catalogue):
    """The home county's community work items list, published on 2026-02-01 with one assist item."""
    keeper = world.user("keeper")
    cat = catalogs.catalogue_create(
        division=world.county, name="达茂旗社区工作事项清单", user=keeper, applies_to=AppliesTo.COMMUNITIES
    )
    draft = catalogs.draft_get_or_create(catalogue=cat, user=keeper)
    catalogs.item_create(version=draft, data=COMMUNITY_ASSIST, user=keeper)
    catalogs.version_publish(version=draft, effective_from=date(2026, 2, 1), user=keeper)
    return cat
