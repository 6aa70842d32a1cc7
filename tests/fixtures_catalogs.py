"""Shared fixtures for the work-affairs catalogue: a published guidance and a county catalogue."""

from __future__ import annotations

from datetime import date

import pytest

from catalogs import services
from catalogs.models import Catalogue

NEGATIVE = {
    "code": "FM-01",
    "kind": "negative",
    "name": "拆迁拆违",
    "negative_matter": "拆迁拆违工作的责任主体",
    "keywords": "拆迁 拆违 违建",
    "legal_basis": [
        {"instrument": "关于规范村级组织工作事务、机制牌子和证明事项的意见", "article": "二(一)1"}
    ],
    "source": "seed 003 §2(1)1",
}
AUTONOMY = {
    "code": "ZZ-01",
    "kind": "autonomy",
    "name": "调解民间纠纷",
    "category": "基层治理",
    "legal_basis": [{"instrument": "中华人民共和国村民委员会组织法", "article": "第二条"}],
    "hours_per_year": "40",
}
ASSIST = {
    "code": "XZ-01",
    "kind": "assist",
    "name": "协助开展社会救助",
    "responsible_department": "民政局",
    "department_provides": {"funding": "工作经费"},
    "hours_per_year": "24",
}


def make_items(version, user, *datas):
    return [services.item_create(version=version, data=d, user=user) for d in datas]


@pytest.fixture
def guidance(world):
    """The province's guidance catalogue, published on 2026-01-01 with three items."""
    admin = world.user("provadmin")
    cat = services.catalogue_create(division=world.province, name="内蒙古指导目录", user=admin)
    draft = services.draft_get_or_create(catalogue=cat, user=admin)
    make_items(draft, admin, NEGATIVE, AUTONOMY, ASSIST)
    services.version_publish(version=draft, effective_from=date(2026, 1, 1), user=admin)
    return cat


@pytest.fixture
def county_catalogue(world, guidance) -> Catalogue:
    """The home county's catalogue, derived from the guidance, published on 2026-02-01."""
    keeper = world.user("keeper")
    cat = services.catalogue_create(division=world.county, name="达茂旗清单", user=keeper)
    draft = services.draft_get_or_create(catalogue=cat, user=keeper)
    services.item_create(
        version=draft,
        data={"kind": "assist", "name": "协助草原防火", "responsible_department": "林草局", "code": "XZ-50"},
        user=keeper,
    )
    services.version_publish(version=draft, effective_from=date(2026, 2, 1), user=keeper)
    return cat
