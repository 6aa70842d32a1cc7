"""The plaque registry's pages: a township's walk, bad input in Chinese, rule editing, mechanisms, village attributes."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from signage.models import RuleSet, VillagePlaque, WorkingMechanism

from .fixtures_signage import jpeg


def _form(**over):
    data = {
        "which": "outside|嘎查村民委员会",
        "text": "哈达图嘎查村民委员会",
        "shape": "strip",
        "width_cm": "40",
        "height_cm": "200",
        "ground_colour": "white",
        "text_colour": "black",
        "typeface": "song",
        "material": "木质",
        "languages": ["zh", "mn"],
    }
    data.update(over)
    return data


def test_township_walk_record_see_violations_preview_remove(login, world, rules):
    client = login("township")
    village = world.village_a1
    page = client.get(f"/plaques/villages/{village.code}/").content.decode()
    assert "登记牌子" in page and "规范全称" in page and "哈达图嘎查党组织" in page  # compliant preview
    form = client.get(f"/plaques/villages/{village.code}/add/").content.decode()
    assert "嘎查村务监督委员会" in form and "外部其他牌子（不在清单内）" in form
    r = client.post(
        f"/plaques/villages/{village.code}/add/",
        _form(
            which="outside|__other__",
            text="哈达图嘎查综治工作站",
            owner_department="旗委政法委",
            photo=jpeg(),
        ),
    )
    assert r.status_code == 302
    page = client.get(f"/plaques/villages/{village.code}/").content.decode()
    assert "不得悬挂" in page and "除上述4个标牌和2个标识外" in page and "缺少规定标牌" in page
    plaque = VillagePlaque.objects.get(village=village)
    assert client.get(f"/plaques/plaque/{plaque.pk}/photo/plaque/").status_code == 200
    assert login("township_b").get(f"/plaques/plaque/{plaque.pk}/photo/plaque/").status_code == 404
    client = login("township")
    r = client.post(
        f"/plaques/plaque/{plaque.pk}/remove/",
        {"removed_on": timezone.localdate().isoformat(), "photo": jpeg()},
    )
    assert r.status_code == 302
    figures = client.get(f"/plaques/figures/{world.county.code}/").content.decode()
    assert 'data-figure="removed">1<' in figures
    assert "哈达图嘎查综治工作站" not in figures  # public figures are counts only
    preview = client.get(f"/plaques/villages/{village.code}/preview/").content.decode()
    assert preview.count("<svg") == 6 and "宋体" in preview


def test_bad_input_gets_chinese_field_errors_and_writes_nothing(login, world, rules):
    client = login("township")
    url = f"/plaques/villages/{world.village_a1.code}/add/"
    cases = [
        (_form(width_cm="abc"), "输入一个数字"),
        (
            _form(photo=SimpleUploadedFile("a.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")),
            "该文件不是照片",
        ),
        (
            _form(photo=SimpleUploadedFile("b.jpg", b"\xff\xd8" + b"0" * (30 * 1024 * 1024))),
            "最大只能上传 10 MB",
        ),
        (_form(text=""), "该字段是必填项"),
    ]
    for data, message in cases:
        r = client.post(url, data)
        assert r.status_code == 400 and message in r.content.decode(), message
    assert not VillagePlaque.objects.exists()
    # Another township's village: not found, nothing written.
    assert client.post(f"/plaques/villages/{world.village_b1.code}/add/", _form()).status_code == 404
    assert not VillagePlaque.objects.exists()


def test_provincial_admin_edits_a_draft_and_publishes_with_a_future_date(login, world, rules):
    client = login("provadmin")
    assert "修改挂牌规定" in client.get("/plaques/15/").content.decode()
    client.post("/plaques/manage/150000000000/", {"open_draft": "1"})
    draft = RuleSet.objects.get(division=world.province, status="draft")
    rule = draft.rules.get(name="嘎查村民委员会")
    edit = client.get(f"/plaques/manage/rules/{rule.pk}/")
    assert edit.status_code == 200
    data = {
        "placement": "outside", "kind": "plaque", "order": 2, "name": rule.name, "organ": rule.organ,
        "required": "on", "ground_colour": "white", "text_colour": "black", "typeface": "hei",
        "shapes": '[{"shape": "strip"}]', "size": "", "material": "", "note": "", "source": rule.source,
    }  # fmt: skip
    assert client.post(f"/plaques/manage/rules/{rule.pk}/", {**data, "shapes": "[oops"}).status_code == 400
    assert client.post(f"/plaques/manage/rules/{rule.pk}/", data).status_code == 302
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    r = client.post("/plaques/manage/150000000000/", {"effective_from": past})
    assert r.status_code == 400 and "生效日期不能早于今天" in r.content.decode()
    soon = (timezone.localdate() + timedelta(days=7)).isoformat()
    assert client.post("/plaques/manage/150000000000/", {"effective_from": soon}).status_code == 302
    page = client.get("/plaques/15/").content.decode()
    assert "第 1 版" in page
    later = client.get(f"/plaques/15/?as_of={soon}").content.decode()
    assert "第 2 版" in later and "黑体" in later
    assert login("township").get("/plaques/manage/150000000000/").status_code == 404


def test_mechanism_pages_record_decide_and_clean_up(login, world, rules):
    client = login("township")
    r = client.post(
        f"/plaques/villages/{world.village_a1.code}/mechanisms/add/",
        {"name": "禁毒工作站", "kind": "centre", "set_up_by": "旗禁毒办", "basis": "none"},
    )
    assert r.status_code == 302
    m = WorkingMechanism.objects.get()
    page = client.get(f"/plaques/mechanisms/{m.pk}/").content.decode()
    assert "无依据" in page and "登记清理结果" in page
    client.post(f"/plaques/mechanisms/{m.pk}/cleanup/", {"decision": "abolish", "reason": "无依据，撤销"})
    m.refresh_from_db()
    assert m.status == "abolished"
    new = login("township").post(
        f"/plaques/villages/{world.village_a1.code}/mechanisms/add/",
        {"name": "网格站", "kind": "centre", "set_up_by": "政法委", "basis": "law", "is_new": "on"},
    )
    assert new.status_code == 400 and "请填写所依据的文件和条款" in new.content.decode()
    new = client.post(
        f"/plaques/villages/{world.village_a1.code}/mechanisms/add/",
        {"name": "网格站", "kind": "centre", "set_up_by": "政法委", "basis": "provincial", "is_new": "on"},
    )
    # A new one resting on the province's approval is the department's request, not the township's.
    assert new.status_code == 400 and "由需要设立的部门向省级提出申请" in new.content.decode()
    assert not WorkingMechanism.objects.filter(name="网格站").exists()
    new = login("submitter").post(
        f"/plaques/villages/{world.village_a1.code}/mechanisms/add/",
        {"name": "网格站", "kind": "centre", "set_up_by": "政法委", "basis": "provincial", "is_new": "on"},
    )
    assert new.status_code == 302
    pending = WorkingMechanism.objects.get(name="网格站")
    assert pending.status == "pending"
    admin = login("provadmin")
    assert "省级审批" in admin.get(f"/plaques/mechanisms/{pending.pk}/").content.decode()
    admin.post(f"/plaques/mechanisms/{pending.pk}/decide/", {"approve": "0", "reason": "可由村民委员会承担"})
    pending.refresh_from_db()
    assert pending.status == "rejected"


def test_village_list_shows_and_records_attributes(login, world, rules):
    client = login("township")
    listing = client.get(f"/divisions/?parent={world.township_a.code}").content.decode()
    assert "未登记" in listing and f'data-testid="edit-{world.village_a1.code}"' in listing
    r = client.post(
        f"/divisions/{world.village_a1.code}/edit/",
        {
            "settlement_kind": "village",
            "area_type": "pastoral",
            "households": "abc",
            "service_floor_area": "120",
        },
    )
    assert r.status_code == 400 and "输入整数" in r.content.decode()
    r = client.post(
        f"/divisions/{world.village_a1.code}/edit/",
        {
            "settlement_kind": "village",
            "area_type": "pastoral",
            "households": "260",
            "service_floor_area": "120",
        },
    )
    assert r.status_code == 302
    detail = client.get(f"/divisions/{world.village_a1.code}/").content.decode()
    assert "260" in detail and "120.0" in detail and "政策最低标准 150.0 平方米" in detail
    listing = client.get(f"/divisions/?parent={world.township_a.code}").content.decode()
    assert "260" in listing and "120.0" in listing
    assert client.get(f"/divisions/{world.village_b1.code}/edit/").status_code == 404
    assert login("approver").get(f"/divisions/{world.village_a1.code}/edit/").status_code == 403
