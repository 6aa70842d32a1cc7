"""A small county whose burden account is worked out by hand (tests/test_burden_account.py).

Home county 150223, villages A1, A2 (township A) and B1 (township B); today is
``T`` and the baseline ``B`` = T − 200 days.

- Catalogue v1 (in force from T−300): autonomy ZZ-01 10 h, ZZ-02 no hours
  (default 2 h); assist XZ-01 6 h, XZ-02 4 h, XZ-03 5 h; negative FM-01 (not
  burden). v2 (in force from T−30): autonomy ZZ-01 10 h; assist XZ-01 6 h,
  XZ-04 3 h that ended yesterday.
- Access requests: R1 approved T−100, monthly, 1.5 h, T−100..T+100, tasks in
  A1, A2 (due T−10: overdue) and B1 (done); R2 approved T−5, weekly, no hours
  (default 2 h), T−5..T+30, a task in A1.
- Plaques in A1: two hanging, one removed yesterday; one open finding.
- No working mechanisms, no certificates: "not recorded".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone


@dataclass
class SmallCounty:
    today: date
    baseline: date
    r1: object
    r2: object


def _version(catalogue, number, effective, items):
    from catalogs.models import CatalogueItem, CatalogueVersion

    version = CatalogueVersion.objects.create(catalogue=catalogue, number=number, status="draft")
    for code, kind, name, hours, extra in items:
        CatalogueItem.objects.create(
            version=version, division=catalogue.division, code=code, kind=kind, name=name,
            hours_per_year=hours, negative_matter=name if kind == "negative" else "", **extra,
        )  # fmt: skip
    CatalogueVersion.objects.filter(pk=version.pk).update(
        status="published", effective_from=effective, published_at=timezone.now()
    )
    return version


def _request(world, number, *, decided, starts, ends, frequency, hours):
    from gate.models import AccessRequest

    return AccessRequest.objects.create(
        number=number, division=world.county, organisation=world.orgs["emergency"],
        created_by=world.user("submitter"), title=f"任务{number}", description="测试", village_role="assist",
        starts_on=starts, ends_on=ends, frequency=frequency, hours_per_village=hours, status="approved",
        decided_at=timezone.make_aware(timezone.datetime.combine(decided, timezone.datetime.min.time())),
        submitted_at=timezone.now(),
    )  # fmt: skip


def _task(world, req, village, *, starts, due, status="pending"):
    from gate.models import VillageTask

    return VillageTask.objects.create(
        village=village, county=world.county, access_request=req, organisation=req.organisation,
        dispatched_by=world.user("approver"), title=req.title, village_role="assist", starts_on=starts,
        due_on=due, status=status,
    )  # fmt: skip


@pytest.fixture
def small_county(world) -> SmallCounty:
    from catalogs.models import Catalogue
    from signage.models import Rectification, RuleSet, VillagePlaque

    t = timezone.localdate()
    catalogue = Catalogue.objects.create(division=world.county, name="达茂旗村级工作事务清单")
    _version(catalogue, 1, t - timedelta(days=300), [
        ("ZZ-01", "autonomy", "召开村民会议", 10, {}),
        ("ZZ-02", "autonomy", "村务公开", 0, {}),
        ("XZ-01", "assist", "协助社会救助排查", 6, {}),
        ("XZ-02", "assist", "协助人口普查", 4, {}),
        ("XZ-03", "assist", "协助征兵宣传", 5, {}),
        ("FM-01", "negative", "行政执法", 0, {}),
    ])  # fmt: skip
    _version(catalogue, 2, t - timedelta(days=30), [
        ("ZZ-01", "autonomy", "召开村民会议", 10, {}),
        ("XZ-01", "assist", "协助社会救助排查", 6, {}),
        ("XZ-04", "assist", "协助冬季防火", 3, {"effective_to": t - timedelta(days=1)}),
        ("FM-01", "negative", "行政执法", 0, {}),
    ])  # fmt: skip
    r1 = _request(world, "ZR-1", decided=t - timedelta(days=100), starts=t - timedelta(days=100),
                  ends=t + timedelta(days=100), frequency="monthly", hours=1.5)  # fmt: skip
    r2 = _request(world, "ZR-2", decided=t - timedelta(days=5), starts=t - timedelta(days=5),
                  ends=t + timedelta(days=30), frequency="weekly", hours=0)  # fmt: skip
    for village in (world.village_a1, world.village_a2):
        _task(world, r1, village, starts=t - timedelta(days=100), due=t - timedelta(days=10))
    _task(
        world, r1, world.village_b1, starts=t - timedelta(days=100), due=t - timedelta(days=10), status="done"
    )
    _task(world, r2, world.village_a1, starts=t - timedelta(days=5), due=t + timedelta(days=30))

    township = world.user("township")
    for text in ("哈达图嘎查党支部", "哈达图嘎查村民委员会"):
        VillagePlaque.objects.create(
            village=world.village_a1, text=text, placement="outside", recorded_by=township
        )
    gone = VillagePlaque.objects.create(
        village=world.village_a1, text="哈达图嘎查综治中心", placement="outside", recorded_by=township,
        status="removed", removed_on=t - timedelta(days=1),
    )  # fmt: skip
    ruleset = RuleSet.objects.create(division=world.province, number=1, title="测试挂牌规定")
    Rectification.objects.create(
        village=world.village_a1, plaque=gone, ruleset=ruleset, key=f"not_allowed:{gone.pk}", kind="not_allowed",
        message="综治中心牌子不在清单内", source="测试", due_on=t + timedelta(days=20),
    )  # fmt: skip
    return SmallCounty(today=t, baseline=t - timedelta(days=200), r1=r1, r2=r2)
