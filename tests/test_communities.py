"""Urban communities on the same rules (seed 002, end): lists per settlement kind, screening, dispatch, coverage."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalogs import selectors as catalog_selectors
from catalogs import services as catalogs
from catalogs.choices import AppliesTo
from catalogs.models import Catalogue
from gate import screening
from gate import services as gate
from gate.models import VillageTask
from organisations.models import User
from seals import selectors as seal_selectors
from seals import services as seals
from signage import selectors as signage_selectors
from signage.models import RuleSet

from . import factories as f
from .fixtures_gate import request_data

TASK = {
    "title": "协助开展老旧小区改造",
    "description": "协助住建部门征集居民对老旧小区改造的意见，组织居民议事协商。",
    "materials": "",
    "legal_basis": "",
}


def test_existing_catalogues_are_the_villages_and_a_county_keeps_both(
    world, county_catalogue, community_catalogue
):
    assert county_catalogue.applies_to == AppliesTo.VILLAGES
    assert set(Catalogue.objects.filter(division=world.county).values_list("applies_to", flat=True)) == {
        "villages",
        "communities",
    }
    with pytest.raises(ValidationError) as exc:
        catalogs.catalogue_create(
            division=world.county, name="再开一份", user=world.user("keeper"), applies_to=AppliesTo.BOTH
        )
    assert "本地区已有适用于这些对象的清单" in str(exc.value)
    assert Catalogue.objects.filter(division=world.county).count() == 2


def test_the_lists_that_govern_follow_the_settlement_kind(
    world, county_catalogue, community_catalogue, community
):
    assert catalog_selectors.catalogue_for(community) == community_catalogue
    assert catalog_selectors.catalogue_for(world.village_a1) == county_catalogue
    assert catalog_selectors.catalogue_for(world.county) == county_catalogue
    assert catalog_selectors.catalogue_for(world.county, "community") == community_catalogue
    names = set(catalog_selectors.items_in_force(community).values_list("name", flat=True))
    assert names == {"协助开展老旧小区改造"}


def test_a_community_without_its_own_list_is_governed_by_the_villages(world, county_catalogue, community):
    # 参照执行 (seed 002, end): nothing changes for a county that has no community list yet.
    assert catalog_selectors.catalogue_for(community) == county_catalogue


@pytest.fixture
def submitter_request(world, county_catalogue, community_catalogue):
    screening.clear_cache()

    def make(scope, **fields):
        data = request_data(scope_kind="villages", **{**TASK, **fields})
        return gate.access_request_create(
            user=world.user("submitter"), county=world.county, data=data, scope=scope
        )

    return make


def test_screening_a_task_for_a_community_uses_the_community_list(submitter_request, community):
    result = screening.screen_request(submitter_request([community]))
    assert result.verdict == "listed"
    assert [h.item_code for h in result.hits] == ["XZ-01"]
    assert [h.name for h in result.hits] == ["协助开展老旧小区改造"]


def test_a_village_task_still_uses_the_village_list(submitter_request, world, community):
    village = screening.screen_request(submitter_request([world.village_a1]))
    assert village.verdict == "review"  # the villages' list has no such item
    fire = screening.screen_request(
        submitter_request([world.village_a1], title="协助草原防火", description="协助林草局开展草原防火宣传")
    )
    assert fire.verdict == "listed" and fire.hits[0].item_code == "XZ-50"
    assert fire.by_settlement is None  # one kind, one list: the result is as it always was


def test_a_task_for_villages_and_communities_takes_the_stricter_verdict(submitter_request, world, community):
    both = screening.screen_request(submitter_request([world.village_a1, community]))
    assert both.by_settlement == {"community": "listed", "village": "review"}
    assert both.verdict == "review"
    submitted = gate.access_request_submit(
        user=world.user("submitter"), request_id=submitter_request([community]).pk
    )
    assert submitted.verdict in ("listed", "review")  # the request path (see the report: one line in _common)


def test_item_dispatch_sends_a_list_item_only_to_the_settlements_it_governs(
    world, county_catalogue, community_catalogue, community
):
    due = timezone.localdate() + timedelta(days=30)
    item = catalog_selectors.items_in_force(community).get(code="XZ-01")
    result = gate.catalogue_item_dispatch(
        user=world.user("approver"), item_id=item.pk, county=world.county, due_on=due
    )
    assert result.created == 1
    assert list(VillageTask.objects.filter(catalogue_item=item).values_list("village_id", flat=True)) == [
        community.code
    ]
    village_item = catalog_selectors.items_in_force(world.village_a1).get(code="XZ-50")
    gate.catalogue_item_dispatch(
        user=world.user("approver"), item_id=village_item.pk, county=world.county, due_on=due
    )
    villages = set(
        VillageTask.objects.filter(catalogue_item=village_item).values_list("village_id", flat=True)
    )
    assert community.code not in villages and world.village_a1.code in villages


def _publish_seal_list(county, user, on):
    lst = seals.seal_list_create(division=county, name=f"{county.name}社区印章使用范围清单", user=user)
    draft = seals.draft_get_or_create(seal_list=lst, user=user)
    seals.item_save(
        version=draft,
        data={"kind": "may", "name": "居民公约", "basis_missing": True, "source": "测试"},
        user=user,
    )
    seals.version_publish(version=draft, effective_from=on, user=user)


def test_coverage_counts_counties_with_all_three_lists(world, community_catalogue, monkeypatch):
    """Hand-computed: 4 counties; the home county has all three, the next the seal list only."""
    f.division("150221", "土默特右旗", 3, world.city)
    f.division("150206", "白云鄂博矿区", 3, world.city)
    root = User.objects.create_superuser("coverage-root", password=None)
    _publish_seal_list(world.county, root, date(2026, 1, 1))
    _publish_seal_list(world.other_county, root, date(2026, 1, 1))
    on = date(2026, 12, 1)

    without = seal_selectors.coverage(world.province, on)
    assert without.assessments_available  # read from the assessments app; no county has published one yet
    assert (without.covered, without.percent) == (0, 0.0)
    assert (without.share("work_items"), without.share("seal_use")) == (25.0, 50.0)

    published = {world.county.code}
    monkeypatch.setattr(
        seal_selectors, "assessment_list_published", lambda county, on: county.code in published
    )
    figures = seal_selectors.coverage(world.province, on)
    assert [c.county.code[:6] for c in figures.counties if c.all_three] == ["150223"]
    assert (figures.covered, len(figures.counties), figures.percent) == (1, 4, 25.0)


def test_the_coverage_page_shows_the_figure_and_its_chart_with_its_table(client, world, community_catalogue):
    page = client.get("/seals/coverage/15/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="coverage-percent">0.0%' in body
    assert 'data-testid="assessments-unavailable"' not in body  # the assessments app answers
    assert "community-lists-coverage" in body  # the chart with its table
    csv = client.get("/seals/coverage/15/", {"download": "community-lists-coverage", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and "社区工作事项清单" in csv.content.decode(
        "utf-8-sig"
    )
    assert client.get("/seals/coverage/150223/").status_code == 404
    assert client.get("/seals/coverage/15/", {"as_of": "明天"}).status_code == 400


def test_community_plaque_rules_govern_communities_and_villages_keep_theirs(world, community):
    village_rules = RuleSet.objects.create(
        division=world.province, number=1, status="published", effective_from=date(2024, 1, 1), title="村"
    )
    assert signage_selectors.ruleset_in_force(community) == village_rules  # none of their own yet: 参照执行
    community_rules = RuleSet.objects.create(
        division=world.province,
        number=2,
        settlement="community",
        status="published",
        effective_from=date(2025, 1, 1),
        title="社区",
    )
    assert signage_selectors.ruleset_in_force(community) == community_rules
    assert signage_selectors.ruleset_in_force(world.village_a1) == village_rules
    assert signage_selectors.ruleset_in_force(world.province) == village_rules


def test_the_community_plaque_rules_are_valid_data_citing_their_sources():
    import json
    from pathlib import Path

    from django.conf import settings

    from signage.services import rule_clean

    data = json.loads(
        (Path(settings.BASE_DIR) / "fixtures/signage/plaque_rules_communities.json").read_text("utf-8")
    )
    (spec,) = data["rulesets"]
    assert spec["settlement"] == "community" and "缺依据" in spec["note"]
    for r in spec["rules"]:
        clean = rule_clean({**r, "ground_colour": r["ground"], "text_colour": r["text"]})
        assert clean["name"].startswith("社区") or r["placement"] == "inside"
        assert "参照执行" in r["source"] and "种子002" in r["source"] and len(r["source"]) <= 200


def test_the_public_entrance_links_the_seal_check_and_the_coverage(client, world):
    from signage.models import PlaqueRule

    rules = RuleSet.objects.create(
        division=world.province, number=1, status="published", effective_from=date(2024, 1, 1), title="村"
    )
    PlaqueRule.objects.create(
        ruleset=rules, division=world.province, name="嘎查村党组织", placement="outside", kind="plaque"
    )
    body = client.get("/public/").content.decode()
    assert 'href="/seals/check/"' in body and 'href="/seals/coverage/15/"' in body


@pytest.mark.parametrize(
    "scope, verdict",
    [
        ({"scope_kind": "villages", "villages": ["150223104002"]}, "listed"),
        ({"scope_kind": "county"}, "review"),
    ],
)
def test_the_live_preview_screens_the_scope_the_form_has_chosen(
    world, county_catalogue, community_catalogue, community, login, scope, verdict
):
    """The submitter is told the verdict the saved request will get: a community's task by the community list."""
    screening.clear_cache()
    page = login("submitter").post(
        "/gate/requests/screen/",
        {"division": world.county.code, "village_role": "assist", **TASK, **scope},
    )
    assert f'data-verdict="{verdict}"' in page.content.decode()
    saved = gate.access_request_create(
        user=world.user("submitter"),
        county=world.county,
        data=request_data(**{**TASK, "scope_kind": scope["scope_kind"]}),
        scope=[community] if scope["scope_kind"] == "villages" else None,
    )
    assert screening.screen_request(saved).verdict == verdict
