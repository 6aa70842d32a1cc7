"""The compliance check against hand-made cases for each rule of both provinces (seed 000 §7–8, seed 002 §3(7) and annex)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from signage import selectors
from signage.compliance import check_plaques, floor_requirement, standard_name

pytestmark = pytest.mark.django_db

IM, SD = "150000000000", "370000000000"


def plaque(pk, rule_name, text, placement="outside", **over):
    base = dict(
        pk=pk,
        status="hanging",
        rule_name=rule_name,
        text=text,
        placement=placement,
        kind="plaque",
        room="",
        shape="strip",
        width_cm=Decimal("35"),
        height_cm=Decimal("200"),
        ground_colour="white",
        text_colour="black",
        typeface="song",
        languages=["zh", "mn"],
        owner_department="",
    )
    base.update(over)
    return SimpleNamespace(**base)


IM_FULL_SET = [
    plaque(1, "嘎查村党组织", "中共哈达图嘎查支部委员会", text_colour="red"),
    plaque(2, "嘎查村民委员会", "哈达图嘎查村民委员会"),
    plaque(3, "嘎查村集体经济组织", "哈达图嘎查股份经济合作社"),
    plaque(4, "嘎查村务监督委员会", "哈达图嘎查村务监督委员会"),
    plaque(5, "嘎查村党群服务中心（标识）", "党群服务中心", kind="emblem", languages=[]),
    plaque(6, "嘎查村新时代文明实践站（标识）", "新时代文明实践站", kind="emblem", languages=[]),
]

SD_FULL_SET = [
    plaque(11, "村党组织", "中共前屯村支部委员会", text_colour="red", languages=["zh"]),
    plaque(12, "村民委员会", "前屯村村民委员会", languages=["zh"]),
    plaque(
        13,
        "村集体经济组织",
        "前屯村股份经济合作社",
        languages=["zh"],
        shape="panel",
        width_cm=Decimal(60),
        height_cm=Decimal(40),
    ),
    plaque(14, "村务监督委员会", "前屯村村务监督委员会", languages=["zh"]),
    plaque(15, "民兵连", "前屯村民兵连", languages=["zh"]),
    plaque(16, "村党群服务中心（标识）", "党群服务中心", kind="emblem", languages=[]),
    plaque(17, "新时代文明实践站（标识）", "新时代文明实践站", kind="emblem", languages=[]),
    plaque(
        18,
        "综治中心",
        "综治中心",
        placement="inside",
        languages=["zh"],
        shape="",
        width_cm=None,
        height_cm=None,
    ),
    plaque(
        19,
        "退役军人服务站",
        "退役军人服务站",
        placement="inside",
        languages=["zh"],
        shape="",
        width_cm=None,
        height_cm=None,
    ),
]


def check(province, plaques, village_name):
    rs = selectors.ruleset_in_force(province)
    return check_plaques(ruleset=rs, rules=selectors.rules_of(rs), village_name=village_name, plaques=plaques)


def kinds(findings):
    return sorted((f.kind, f.plaque_id) for f in findings)


def with_change(full_set, pk, **over):
    return [plaque(**{**vars(p), **over}) if p.pk == pk else p for p in full_set]


def test_standard_name_from_the_code_list():
    assert standard_name("红格塔拉嘎查村") == "红格塔拉嘎查"
    assert standard_name("黄花滩村委会") == "黄花滩村"
    assert standard_name("前屯村村民委员会") == "前屯村"
    assert standard_name("哈达图嘎查") == "哈达图嘎查"


def test_complete_compliant_sets_have_no_findings(rules):
    assert check(IM, IM_FULL_SET, "哈达图嘎查") == []
    assert check(SD, SD_FULL_SET, "前屯村委会") == []


@pytest.mark.parametrize(
    "province,full,village,pk,over,kind,cited",
    [
        # Inner Mongolia, seed 000 §8
        (IM, IM_FULL_SET, "哈达图嘎查", 1, {"text_colour": "black"}, "colours", "（八）"),
        (
            IM,
            IM_FULL_SET,
            "哈达图嘎查",
            2,
            {"ground_colour": "red", "text_colour": "white"},
            "colours",
            "（八）",
        ),
        (IM, IM_FULL_SET, "哈达图嘎查", 2, {"typeface": "hei"}, "typeface", "（八）"),
        (IM, IM_FULL_SET, "哈达图嘎查", 3, {"shape": "panel"}, "size", "（八）"),
        (IM, IM_FULL_SET, "哈达图嘎查", 4, {"text": "哈达图村务监督委员会"}, "name", "（八）"),
        (IM, IM_FULL_SET, "哈达图嘎查", 2, {"languages": ["zh"]}, "language", "少数民族语言文字"),
        # Shandong, seed 002 annex
        (
            SD,
            SD_FULL_SET,
            "前屯村委会",
            11,
            {"ground_colour": "red", "text_colour": "gold"},
            "colours",
            "附件",
        ),
        (SD, SD_FULL_SET, "前屯村委会", 12, {"typeface": "kai"}, "typeface", "附件"),
        (SD, SD_FULL_SET, "前屯村委会", 12, {"width_cm": Decimal("45")}, "size", "附件"),
        (SD, SD_FULL_SET, "前屯村委会", 12, {"height_cm": Decimal("170")}, "size", "附件"),
        (SD, SD_FULL_SET, "前屯村委会", 13, {"width_cm": Decimal("80")}, "size", "附件"),
        (SD, SD_FULL_SET, "前屯村委会", 15, {"width_cm": None, "height_cm": None}, "size", "附件"),
        (SD, SD_FULL_SET, "前屯村委会", 14, {"text": "村务监督委员会"}, "name", "附件"),
    ],
)
def test_each_rule_is_checked_with_its_source(rules, province, full, village, pk, over, kind, cited):
    findings = check(province, with_change(full, pk, **over), village)
    assert kinds(findings) == [(kind, pk)]
    assert cited in findings[0].source


def test_plaques_not_on_the_list_are_not_allowed(rules):
    im = check(
        IM, [*IM_FULL_SET, plaque(7, "", "哈达图嘎查综治工作站", owner_department="旗委政法委")], "哈达图嘎查"
    )
    assert kinds(im) == [("not_allowed", 7)] and "除上述4个标牌和2个标识外" in im[0].source
    sd = check(SD, [*SD_FULL_SET, plaque(20, "", "前屯村农家书屋", languages=["zh"])], "前屯村委会")
    assert kinds(sd) == [("not_allowed", 20)] and "三（八）" in sd[0].source


def test_shandong_needs_no_minority_language_and_strip_bounds_are_inclusive(rules):
    edge = with_change(SD_FULL_SET, 12, width_cm=Decimal("30"), height_cm=Decimal("250"), languages=["zh"])
    assert check(SD, edge, "前屯村委会") == []


def test_missing_required_plaques_are_listed(rules):
    im = [p for p in IM_FULL_SET if p.pk not in (4, 6)]
    assert sorted((f.kind, f.rule_name) for f in check(IM, im, "哈达图嘎查")) == [
        ("missing", "嘎查村务监督委员会"),
        ("missing", "嘎查村新时代文明实践站（标识）"),
    ]
    sd = [p for p in SD_FULL_SET if p.pk not in (15, 19)]  # militia company outside, veterans' station inside
    assert sorted(f.rule_name for f in check(SD, sd, "前屯村委会")) == ["民兵连", "退役军人服务站"]
    # Inner Mongolia lists militia companies nowhere: one hung there is not allowed.
    im_militia = [*IM_FULL_SET, plaque(7, "民兵连", "哈达图嘎查民兵连")]
    assert kinds(check(IM, im_militia, "哈达图嘎查")) == [("not_allowed", 7)]


def test_removed_plaques_are_not_checked(rules):
    removed = with_change(IM_FULL_SET, 2, status="removed")
    assert [f.kind for f in check(IM, removed, "哈达图嘎查")] == ["missing"]


def test_inner_mongolia_one_room_one_plaque(rules):
    inside = dict(
        placement="inside",
        rule_name="综合服务机构标牌、办事服务指引牌和功能区门牌",
        languages=["zh", "mn"],
        shape="",
    )
    two = [
        *IM_FULL_SET,
        plaque(8, text="便民服务室", room="一号室", **inside),
        plaque(9, text="调解室", room="一号室", **inside),
    ]
    findings = check(IM, two, "哈达图嘎查")
    assert kinds(findings) == [("one_room", 9)] and "一室一牌" in findings[0].source
    # Shandong's annex has no such rule: the same two plaques are only "not on the list" there.
    sd_inside = dict(inside, rule_name="功能区入口简明标牌", languages=["zh"])
    sd_two = [
        *SD_FULL_SET,
        plaque(8, text="便民服务室", room="一号室", **sd_inside),
        plaque(9, text="调解室", room="一号室", **sd_inside),
    ]
    assert check(SD, sd_two, "前屯村委会") == []


def _standards(province):
    return selectors.ruleset_in_force(province).floor_standards.all()


def test_floor_area_standards_of_both_provinces(rules):
    im = _standards(IM)
    assert (
        floor_requirement(standards=im, area_type="farming", is_central=False, households=900).minimum_m2
        == 200
    )
    pastoral = floor_requirement(standards=im, area_type="pastoral", is_central=False, households=None)
    assert pastoral.minimum_m2 == 150 and "（七）" in pastoral.sources[0]
    assert floor_requirement(standards=im, area_type="urban", is_central=False, households=None) is None
    sd = _standards(SD)
    assert (
        floor_requirement(standards=sd, area_type="farming", is_central=True, households=1000).minimum_m2
        == 500
    )
    assert (
        floor_requirement(standards=sd, area_type="farming", is_central=True, households=2000).minimum_m2
        == 600
    )
    assert (
        floor_requirement(standards=sd, area_type="farming", is_central=False, households=200).minimum_m2
        == 100
    )
    assert (
        floor_requirement(standards=sd, area_type="farming", is_central=False, households=450).minimum_m2
        == 135
    )
