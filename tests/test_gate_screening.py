"""Screening: realistic requests against the demo county's real lists (fixtures/catalogs).

The cases are paraphrases a department would write, not the lexicon's own words.
A responsible-subject negative hit must never be missed.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from catalogs.spreadsheets import open_sheet, row_to_data
from gate.screening import compile_items, detect_responsible, normalise, screen_compiled

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "catalogs"
EVAL = Path(settings.BASE_DIR) / "fixtures" / "gate" / "eval"


def _items():
    items = []
    for name in ("negative_yubei.json", "autonomy_national.json", "demo_county_150223.json"):
        for it in json.loads((FIXTURES / name).read_text(encoding="utf-8"))["items"]:
            items.append(
                SimpleNamespace(
                    code=it["code"],
                    kind=it["kind"],
                    name=it["name"],
                    content=it.get("content", ""),
                    keywords=it.get("keywords", ""),
                    negative_matter=it.get("negative_matter", ""),
                )
            )
    return items


@pytest.fixture(scope="module")
def lists():
    return compile_items(_items(), ("test", 1))


BLOCK = [
    ("招商考核", "将招商引资任务纳入村级考核", "assist"),
    ("拆违职责", "村级组织要切实履行拆违职责", "assist"),
    ("指标下达", "招商引资指标下达到村", "inform"),
    (
        "农村乱占耕地建房整治",
        "各村负责对本村乱占耕地建房进行排查，对新增违法占地行为及时制止并拆除。",
        "assist",
    ),
    ("安全生产领导小组", "要求各嘎查村成立安全生产工作领导小组，落实专人负责辖区企业安全监管", "assist"),
    ("燃气安全巡查", "请各村明确一名网格员负责辖区内餐饮店燃气安全巡查", "assist"),
    ("排污巡查", "村委会负责辖区内违法排污企业的日常巡查", "assist"),
    ("门前三包", "各社区负责门前三包检查和违规广告清理", "assist"),
    ("项目征拆", "嘎查村承担项目建设征拆任务", "assist"),
    ("禁牧巡查", "各嘎查村负责禁牧区巡查，发现偷牧行为予以罚款", "assist"),
    ("两违巡查", "各嘎查村对辖区私搭乱建进行清理拆除", "assist"),
    # (title, description, role) — the village is made responsible for a negative matter
    ("违法建筑拆除", "由村委会负责本村违法建筑拆除工作，月底前完成", "assist"),
    ("两违整治", "各嘎查村对辖区私搭乱建进行清理拆除", "responsible"),
    ("控违拆违百日攻坚", "村级组织承担控违拆违主体责任，发现一处拆除一处", "assist"),
    ("招商引资任务分解", "每村全年完成引进项目2个、到位资金500万元", "responsible"),
    ("招商任务", "村两委负责对接客商，争取企业落地", "inform"),
    ("安全生产大检查", "村委会负责辖区企业安全隐患排查整治，建立台账", "assist"),
    ("小作坊安全监管", "由村负责对小作坊、小加工厂开展安全检查", "assist"),
    ("执法巡查", "村委会负责对辖区违法占地行为进行巡查并制止", "assist"),
    ("非法采砂查处", "嘎查村负责查处非法采砂行为，没收作案工具", "responsible"),
    ("秸秆禁烧", "村级组织承担秸秆禁烧主体责任，发现焚烧立即处置", "inform"),
    ("散乱污企业整治", "各村负责辖区散乱污企业关停取缔", "responsible"),
    ("占道经营整治", "社区居委会负责清理流动摊贩和占道经营", "assist"),
    ("协税护税", "村委会负责催缴辖区个体户欠缴税款", "assist"),
    ("耕地占用税征收", "由嘎查村代征耕地占用税并按月上缴", "responsible"),
    ("征地拆迁", "村委会为责任主体，负责被征收户的动员签约和房屋腾退", "assist"),
    ("燃气安全", "村干部负责入户检查燃气安全隐患并督促整改", "responsible"),
    ("環境整治", "由村負責環保督察問題整改", "assist"),
]

FLAG = [
    ("宣传任务", "村委会协助完成安全生产宣传任务", "assist"),
    ("负责协助", "由村委会负责协助执法局开展拆违宣传", "assist"),
    ("负责配合", "村委会负责配合执法局拆除违建", "assist"),
    ("个税宣传", "协助县税务局开展个人所得税汇算清缴政策宣传", "assist"),
    ("图斑核查", "村委会协助自然资源局开展卫片执法图斑核查", "assist"),
    ("违建上报", "村委会发现违法建设及时上报乡镇综合执法队", "assist"),
    ("配合安全生产检查", "村委会配合应急管理局开展宣传，发现隐患及时报告乡镇", "assist"),
    ("违建线索报告", "村级组织协助发现违法建筑线索并上报综合执法局，由执法局依法处置", "assist"),
    ("招商政策宣传", "村委会协助向在外乡贤宣传招商引资政策", "inform"),
    ("协税宣传", "协助税务部门宣传个人所得税政策", "inform"),
    ("禁烧宣传", "村委会协助开展秸秆禁烧宣传，不作为责任主体", "assist"),
]

LISTED = [
    ("低保对象入户核查", "协助民政局开展低保、特困对象入户核查", "assist", "XZ-01"),
    ("2027年征兵宣传", "协助人武部开展兵役登记和征兵宣传", "assist", "XZ-04"),
    ("医保参保动员", "协助医保局动员城乡居民参加医疗保险并缴费", "assist", "XZ-05"),
    ("草原防火", "协助开展草原防火宣传，发现火情及时报告", "assist", "XZ-11"),
    ("召开村民代表会议", "依法召开村民代表会议讨论集体事务", "responsible", "ZZ-03"),
    ("汛期灾情报告", "协助做好防汛值守和灾情信息报告", "assist", "XZ-16"),
    # 人居环境整治 is not the negative matter 环境整治 (seed 001 lists it as village work).
    ("开展农村人居环境整治", "各村组织村民清理房前屋后垃圾，开展村庄清洁行动", "responsible", "XZ-19"),
]

REVIEW = [
    ("防溺水宣传", "协助教育局做好暑期防溺水安全教育宣传", "assist"),
    ("禁毒宣传", "协助公安局开展禁毒宣传", "assist"),
    ("交通安全劝导", "村委会配合交警开展交通安全劝导", "assist"),
    ("开展全民阅读活动", "组织村民参加读书分享会，文旅局提供图书", "assist"),
    ("农村电商培训", "协助商务局组织村民参加电商直播培训", "assist"),
    ("编制村庄规划", "配合自然资源局编制村庄规划，提供基础资料", "assist"),
]


@pytest.mark.parametrize(("title", "description", "role"), BLOCK)
def test_negative_with_village_responsible_is_blocked(lists, title, description, role):
    result = screen_compiled(lists, title=title, description=description, village_role=role)
    assert result.verdict == "block", (title, result.as_dict())
    assert result.negative_hits and all(h.matched for h in result.negative_hits)


@pytest.mark.parametrize(("title", "description", "role"), FLAG)
def test_negative_with_village_assisting_is_flagged(lists, title, description, role):
    result = screen_compiled(lists, title=title, description=description, village_role=role)
    assert result.verdict == "flag", (title, result.as_dict())


@pytest.mark.parametrize(("title", "description", "role", "code"), LISTED)
def test_work_on_the_lists_is_listed(lists, title, description, role, code):
    result = screen_compiled(lists, title=title, description=description, village_role=role)
    assert result.verdict == "listed", (title, result.as_dict())
    assert result.hits[0].item_code == code, result.as_dict()


@pytest.mark.parametrize(("title", "description", "role"), REVIEW)
def test_new_work_goes_to_review(lists, title, description, role):
    result = screen_compiled(lists, title=title, description=description, village_role=role)
    assert result.verdict == "review", (title, result.as_dict())


def test_every_block_case_blocks_whatever_role_is_claimed(lists):
    for title, description, _role in BLOCK:
        for role in ("responsible", "assist", "inform"):
            assert (
                screen_compiled(lists, title=title, description=description, village_role=role).verdict
                == "block"
            )


def test_responsible_role_field_is_authoritative(lists):
    r = screen_compiled(
        lists, title="安全生产宣传", description="开展安全生产月宣传", village_role="responsible"
    )
    assert r.verdict == "block"


def test_national_matters_apply_without_any_county_list():
    empty = compile_items([], ("empty",))
    r = screen_compiled(empty, title="拆违", description="村负责拆除违章建筑", village_role="assist")
    assert r.verdict == "block" and r.hits[0].item_code == "" and r.hits[0].clause


def test_hits_explain_the_match(lists):
    r = screen_compiled(lists, title="拆除违法建筑", description="由村负责", village_role="assist")
    hit = r.as_dict()["hits"][0]
    assert (
        hit["item_code"] == "FM-02" and hit["kind"] == "negative" and hit["matched"] and 0 < hit["score"] <= 1
    )


def test_negated_responsibility_is_not_responsibility():
    phrases, _weak, strong = detect_responsible([normalise("不得将村级组织作为安全生产的责任主体")])
    assert not strong and not phrases


@pytest.mark.django_db
def test_cached_lists_follow_a_new_version(world):
    from gate.screening import lists_for, screen
    from tests.fixtures_gate import make_lists

    make_lists(world.county, negative=[], effective_days_ago=30)
    first = lists_for(world.county)
    assert lists_for(world.county) is first  # cached
    r = screen(county=world.county, title="协税", description="协助代征税款", village_role="assist")
    assert r.hits[0].item_code == ""  # the national matter, no county item yet
    make_lists(world.county, negative=[("FM-09", "协税护税", "协税护税")], number=2, effective_days_ago=1)
    assert lists_for(world.county) is not first
    r = screen(county=world.county, title="协税", description="协助代征税款", village_role="assist")
    assert r.hits[0].item_code == "FM-09"


def test_screening_is_deterministic_across_processes():
    """Word order must not depend on string hashing (PYTHONHASHSEED)."""
    import subprocess
    import sys

    code = (
        "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','villageburden.settings');django.setup();"
        "from tests.test_gate_screening import _items;from gate.screening import compile_items,screen_compiled;"
        "c=compile_items(_items(),('x',));"
        "r=screen_compiled(c,title='安全生产大检查',description='各村对辖区小作坊、加油站开展安全隐患排查，建立整改台账。',"
        "village_role='assist');print(r.verdict,r.hits[0].matched)"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": seed},
            cwd=settings.BASE_DIR,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and next(iter(outputs)).startswith("block"), outputs


# --- lists as counties publish them: no keywords ------------------------------------------


def _sheet_items(name: str):
    """A county's list read by the catalogue import's own reader (fixtures/gate/eval)."""
    items = []
    for _n, raw in open_sheet(str(EVAL / name), "csv").rows:
        data, errors = row_to_data(raw)
        assert not errors, errors
        items.append(SimpleNamespace(**data))
    return items


@pytest.fixture(scope="module")
def eval_lists():
    return {
        key: compile_items(_sheet_items(name), ("eval", key))
        for key, name in (
            ("a", "county_a_qinghe.csv"),
            ("b", "county_b_wulan.csv"),
            ("c", "county_c_jiangan.csv"),
        )
    }


def test_evaluation_lists_carry_no_keywords(eval_lists):
    for name in ("county_a_qinghe.csv", "county_b_wulan.csv", "county_c_jiangan.csv"):
        assert all(not getattr(it, "keywords", "") for it in _sheet_items(name))


# Issue 13: covered by an item's content though sharing almost no words with its name.
ONLY_CONTENT = [
    (
        "协助开展控辍保学",
        "协助教育部门做好适龄儿童少年入学动员和辍学学生劝返",
        "劝返辍学生",
        "劝返本村两名辍学初中生",
    ),
    (
        "协助做好农村危房改造",
        "协助住建部门开展农村危房排查、改造对象申请和公示",
        "危房核查",
        "配合住建局核查本村危房户并张榜公示",
    ),
]


@pytest.mark.parametrize(("name", "content", "title", "description"), ONLY_CONTENT)
def test_an_item_is_found_from_its_work_content(name, content, title, description):
    items = [
        SimpleNamespace(code="XZ-01", kind="assist", name=name, content=content),
        SimpleNamespace(
            code="XZ-02", kind="assist", name="协助开展兵役登记", content="协助人武部做好兵役登记"
        ),
        SimpleNamespace(
            code="FM-01", kind="negative", name="拆迁拆违", content="", negative_matter="拆迁拆违"
        ),
    ]
    r = screen_compiled(
        compile_items(items, ("t",)), title=title, description=description, village_role="assist"
    )
    assert r.verdict == "listed" and r.hits[0].item_code == "XZ-01", r.as_dict()
    # The explanation names the item's field the request's words were found in.
    assert r.hits[0].fields.get("content"), r.as_dict()


def test_synonyms_are_lexicon_data_and_are_explained(eval_lists):
    r = screen_compiled(
        eval_lists["a"],
        title="最低生活保障复核",
        description="協助民政局對最低生活保障家庭入戶核查",
        village_role="assist",
    )
    assert r.verdict == "listed" and r.hits[0].item_code == "XZ-01", r.as_dict()
    assert r.hits[0].wording.get("低保") == "最低生活保障"


# Assist-only requests that name the matter through its office or team, not through a verb.
INSTITUTIONS = [
    ("配合税务入户", "配合县税务局对村里开农家乐的户逐户登记经营情况", "FM-06"),
    ("协助征收办", "配合县征收办对项目区房屋进行入户丈量", "FM-02"),
    ("执法队带路", "配合镇综合执法队到现场指认地块", "FM-01"),
    ("招商推介", "协助县招商局向在外乡贤推介投资项目", "FM-03"),
]


@pytest.mark.parametrize(("title", "description", "code"), INSTITUTIONS)
def test_helping_an_office_of_a_negative_matter_is_flagged(eval_lists, title, description, code):
    r = screen_compiled(eval_lists["a"], title=title, description=description, village_role="assist")
    assert r.verdict == "flag" and code in [h.item_code for h in r.negative_hits], r.as_dict()
    r = screen_compiled(eval_lists["a"], title=title, description=description, village_role="responsible")
    assert r.verdict == "block"


def test_new_work_resembling_an_item_is_not_listed(eval_lists):
    for title, description in (
        ("土壤普查采样", "协助开展第三次全国土壤普查，为采样人员带路"),
        ("禁毒宣传", "协助公安局开展禁毒宣传进农户"),  # county a has no drug item; county b has one
        ("电商直播培训", "协助商务局组织村民参加电商直播带货培训"),
    ):
        assert (
            screen_compiled(
                eval_lists["a"], title=title, description=description, village_role="assist"
            ).verdict
            == "review"
        )
    r = screen_compiled(
        eval_lists["b"], title="禁毒宣传", description="协助公安局开展禁毒宣传", village_role="assist"
    )
    assert r.verdict == "listed" and r.hits[0].item_code == "XZ-17"


def _requests():
    with (EVAL / "requests.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_evaluation_set_meets_the_goals(eval_lists):
    """The issue's goals over all 203 requests; bench/bench_screening.py prints the matrix."""
    rows = _requests()
    assert len(rows) >= 150 and {r["county"] for r in rows} == {"a", "b", "c"}
    results = {}
    for n, r in enumerate(rows):
        got = screen_compiled(
            eval_lists[r["county"]],
            title=r["title"],
            description=r["description"],
            village_role=r["village_role"],
        )
        results[n] = (got.verdict, got.hits[0].item_code if got.hits else "")

    def share(verdict):
        sel = [n for n, r in enumerate(rows) if r["verdict"] == verdict]
        right = [
            n
            for n in sel
            if results[n][0] == verdict and (verdict != "listed" or results[n][1] == rows[n]["item"])
        ]
        return len(right) / len(sel)

    missed_blocks = [
        rows[n]["title"] for n, r in enumerate(rows) if r["verdict"] == "block" and results[n][0] != "block"
    ]
    assert not missed_blocks  # guarantee: never a miss where the village would be responsible
    assert share("flag") >= 0.95
    assert share("listed") >= 0.90
    new = [n for n, r in enumerate(rows) if r["verdict"] == "review"]
    assert sum(results[n][0] == "listed" for n in new) / len(new) <= 0.05


@pytest.mark.django_db
def test_listed_screening_offers_dispatch_and_hides_scores_from_submitters(world, login, gate_lists):
    body = {
        "division": world.county.code,
        "title": "低保对象入户核查",
        "description": "协助民政局开展低保、特困对象入户调查并公示",
        "village_role": "assist",
    }
    page = login("submitter").post("/gate/requests/screen/", body, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-verdict="listed"' in page and "XZ-01" in page
    assert 'data-testid="dispatch-under-item"' in page and "item=XZ-01" in page
    assert "得分" not in page  # scores are for reviewers
    assert "得分" in login("reviewer_civil").post("/gate/requests/screen/", body).content.decode()
    form = login("submitter").get("/gate/items/dispatch/?item=XZ-01&title=低保核查").content.decode()
    assert re.search(r"<option value=\"\d+\" selected>[^<]*XZ-01", form) and 'value="低保核查"' in form
