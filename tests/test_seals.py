"""The community seal-use scope list: kept like every list, checked like certificates, bad input refused in Chinese."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from seals import selectors, services
from seals.models import SealList, SealUseItem

from .fixtures_seals import MAY


@pytest.mark.parametrize(
    "query, answer, code",
    [
        ("拆迁责任书", "may_not", "JY-03"),
        ("社区能不能在招商引资目标责任状上盖章？", "may_not", "JY-03"),
        ("請問居委會能給居住情況證明蓋章嗎", "may", "YY-01"),  # traditional characters
        ("居民公约盖章", "may", "YY-03"),
        ("结婚喜宴的请柬", "unlisted", None),
    ],
)
def test_the_check_answers_may_may_not_or_unlisted_for_paraphrases(
    world, seal_list, community, query, answer, code
):
    data = selectors.check_answer(community, query)
    assert data["answer"] == answer
    assert (data["item"] or {}).get("code") == code
    if answer == "unlisted":
        assert "未列入社区印章使用范围清单" in data["reason"]
    else:
        assert data["reason"] or data["conditions"]


def test_a_flagged_use_says_its_basis_is_missing(world, seal_list, community):
    data = selectors.check_answer(community, "居民会议决定")
    assert data["answer"] == "may" and data["basis_missing"] is True and data["basis"] == ""
    assert "条款缺" in data["source"]


def test_a_certificate_on_the_negative_certificate_list_carries_no_community_seal(
    world, seal_list, cert_lists, community
):
    data = selectors.check_answer(community, "开一个在世证明")
    assert data["answer"] == "may_not" and data["via"] == "certificate_list"
    assert "社区印章不得用于" in data["reason"]


def test_the_county_list_is_public_and_the_api_answers(client, world, seal_list, community):
    page = client.get("/seals/lists/150223/")
    assert page.status_code == 200 and "以社区名义承担拆迁拆违等责任的文书" in page.content.decode()
    response = client.get("/api/v1/seal-checks/", {"division": community.code, "q": "拆迁协议盖章"})
    assert response.status_code == 200
    assert response.json()["answer"] == "may_not" and response.json()["item"]["code"] == "JY-03"
    items = client.get("/api/v1/seal-items/", {"version__status": "published"}).json()
    assert {r["code"] for r in items["results"]} == {"JY-03", "YY-01", "YY-03"}


def test_bad_queries_get_chinese_errors(client, world, seal_list):
    bad = client.get("/api/v1/seal-checks/", {"division": "abc", "q": ""})
    assert bad.status_code == 400
    assert bad.json()["division"] == ["请填写2至12位数字的区划代码，例如 150223。"]
    assert bad.json()["q"] == ["请说明要在什么上面盖社区印章。"]
    assert client.get("/api/v1/seal-checks/", {"division": "990000", "q": "居民公约"}).status_code == 404
    page = client.get("/seals/check/", {"division": "15x", "q": "a" * 101}).content.decode()
    assert "请填写2至12位数字的区划代码" in page and "最多100个字" in page
    assert 'data-testid="seal-answer"' not in page
    assert client.get("/seals/lists/150223/", {"as_of": "昨天"}).status_code == 400


def test_bad_items_get_chinese_errors_and_write_nothing(world, seal_list):
    keeper = world.user("keeper")
    draft = services.draft_get_or_create(seal_list=seal_list, user=keeper)
    count, events = SealUseItem.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.item_save(version=draft, data={"kind": "maybe", "name": ""}, user=keeper)
    errors = exc.value.message_dict
    assert errors["name"] == ["请说明要在什么上面盖社区印章。"]
    assert errors["kind"] == ["请选择可以使用还是不得使用。"]
    assert errors["source"] == ["请注明出自哪份政策文本（不得自设规则）。"]
    assert errors["legal_basis"] == ["请写明设定依据，或标注“缺依据”。"]
    with pytest.raises(ValidationError) as exc:
        services.item_save(version=draft, data={**MAY, "code": "JY-09", "kind": "may_not"}, user=keeper)
    assert exc.value.message_dict["reason"] == ["请说明为什么不得用印。"]
    assert (SealUseItem.objects.count(), AuditEvent.objects.count()) == (count, events)


def test_lists_are_versioned_frozen_and_kept_by_their_keepers(world, seal_list):
    published = seal_list.versions.get()
    with pytest.raises(ValueError):
        published.items.first().save()  # a published version never changes
    with pytest.raises(ValidationError):
        services.item_save(version=published, data=MAY, user=world.user("keeper"))
    with pytest.raises(Exception) as exc:
        services.draft_get_or_create(seal_list=seal_list, user=world.user("outsider"))
    assert "不能修改" in str(exc.value)
    draft = services.draft_get_or_create(seal_list=seal_list, user=world.user("keeper"))
    assert draft.items.count() == 3  # a complete copy of the version in force
    with pytest.raises(ValidationError) as exc:
        services.version_publish(version=draft, effective_from=date(2025, 1, 1), user=world.user("keeper"))
    assert "effective_from" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.seal_list_create(division=world.county, name="又一份", user=world.user("keeper"))
    assert SealList.objects.filter(division=world.county).count() == 1


def test_a_county_inherits_its_provinces_guidance(world):
    admin, keeper = world.user("provadmin"), world.user("keeper")
    guidance = services.seal_list_create(division=world.province, name="指导清单", user=admin)
    draft = services.draft_get_or_create(seal_list=guidance, user=admin)
    services.item_save(version=draft, data=MAY, user=admin)
    services.version_publish(version=draft, effective_from=date(2026, 1, 1), user=admin)
    own = services.seal_list_create(division=world.county, name="旗清单", user=keeper)
    assert own.guidance == guidance
    inherited = services.draft_get_or_create(seal_list=own, user=keeper).items.get()
    assert inherited.inherited_from.version == draft
