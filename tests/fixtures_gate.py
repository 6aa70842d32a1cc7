"""Fixtures for the access gate: the county's lists and requests in each state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from catalogs.models import Catalogue, CatalogueItem, CatalogueVersion
from gate import services
from gate.choices import Opinion, Outcome
from gate.screening import clear_cache

NEGATIVE_ITEMS = [
    ("FM-01", "行政执法", "行政执法"),
    ("FM-02", "拆迁拆违", "拆迁拆违"),
    ("FM-03", "招商引资", "招商引资"),
    ("FM-04", "安全生产", "安全生产（生产安全管理）"),
]
LISTED_ITEMS = [
    (
        "XZ-01",
        "assist",
        "协助开展社会救助对象排查",
        "协助乡镇做好低保、特困对象入户调查和公示",
        "低保 特困 社会救助",
    ),
    ("XZ-02", "assist", "协助开展人口和农业普查", "配合统计部门开展普查入户登记", "人口普查、农业普查"),
    ("ZZ-01", "autonomy", "召开村民会议和村民代表会议", "依法讨论决定涉及村民利益的事项", "四议两公开"),
]


def make_lists(county, *, negative=NEGATIVE_ITEMS, listed=LISTED_ITEMS, number=1, effective_days_ago=30):
    catalogue, _ = Catalogue.objects.get_or_create(
        division=county, defaults={"name": f"{county.name}村级工作事务清单"}
    )
    # Items are written to a draft, which is then published (published versions are frozen).
    version = CatalogueVersion.objects.create(catalogue=catalogue, number=number, status="draft")
    items = {}
    for code, name, matter in negative:
        items[code] = CatalogueItem.objects.create(
            version=version, division=county, code=code, kind="negative", name=name, negative_matter=matter
        )
    for code, kind, name, content, keywords in listed:
        items[code] = CatalogueItem.objects.create(
            version=version,
            division=county,
            code=code,
            kind=kind,
            name=name,
            content=content,
            keywords=keywords,
        )
    CatalogueVersion.objects.filter(pk=version.pk).update(
        status="published",
        effective_from=timezone.localdate() - timedelta(days=effective_days_ago),
        published_at=timezone.now(),
    )
    clear_cache()
    return items


@pytest.fixture
def gate_lists(world):
    """The home county's published lists (and the next county's, with the same items)."""
    items = make_lists(world.county)
    make_lists(world.other_county)
    return items


def request_data(**overrides):
    today = timezone.localdate()
    data = {
        "title": "开展2027年春季植树造林",
        "description": "组织村民参加义务植树，由林草局提供树苗和技术指导。",
        "village_role": "assist",
        "legal_basis": "《森林法》第十条",
        "scope_kind": "county",
        "starts_on": today,
        "ends_on": today + timedelta(days=120),
        "frequency": "yearly",
        "materials": "植树登记表",
        "provides_funding": "每村2000元",
        "provides_staff": "技术员1名",
        "provides_equipment": "树苗",
        "hours_per_village": 8,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_request(world, gate_lists):
    """``make_request(state="draft"|"in_review"|"awaiting_decision"|"approved", scope=..., **fields)``."""

    def _make(state="draft", scope=None, user="submitter", **fields):
        req = services.access_request_create(
            user=world.user(user), county=world.county, data=request_data(**fields), scope=scope
        )
        if state == "draft":
            return req
        req = services.access_request_submit(user=world.user(user), request_id=req.pk)
        if state in ("in_review", "blocked"):
            return req
        for name in ("reviewer_org", "reviewer_civil", "reviewer_agri"):
            services.access_request_review(
                user=world.user(name), request_id=req.pk, opinion=Opinion.AGREE, reason="同意"
            )
        if state == "awaiting_decision":
            req.refresh_from_db()
            return req
        services.access_request_decide(
            user=world.user("approver"), request_id=req.pk, outcome=Outcome.APPROVE, reason="同意准入"
        )
        req.refresh_from_db()
        return req

    return _make
