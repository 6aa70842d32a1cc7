"""Plaque rules from the policies: loaded as cited data, shown publicly."""

from signage.models import Placement, PlaqueRule
from signage.services import plaque_rules_load


def test_rules_load_for_provinces_present_and_reload_changes_nothing(world):
    created, updated = plaque_rules_load()
    # Inner Mongolia is in the world; Shandong is not, so its rules wait.
    assert (created, updated) == (7, 0)
    outside = PlaqueRule.objects.filter(division=world.province, placement=Placement.OUTSIDE)
    assert outside.count() == 6  # "上述4个标牌和2个标识" (seed 000 §8)
    party = outside.get(name="嘎查村党组织")
    assert (party.ground_colour, party.text_colour, party.typeface) == ("白", "红", "宋体")
    assert "（八）" in party.source
    assert plaque_rules_load() == (0, 0)


def test_public_page_lists_the_rules_without_login(client, world):
    plaque_rules_load()
    page = client.get("/plaques/15/").content.decode()
    assert "嘎查村务监督委员会" in page and "白底红字" in page and "一室一牌" in page
    assert client.get("/plaques/99/").status_code == 404
