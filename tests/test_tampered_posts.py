"""Tampered form fields and out-of-range dates: a clear answer in Chinese or a 404, never a server error.

Each case was a 500 before: a form's hidden count, a posted record id or version
that is not a number, and an account date whose year's arithmetic left the
calendar (0001-01-01 less a year).
"""

from __future__ import annotations

import pytest

from assessments.models import Criterion
from tests.fixtures_certificates import VALID_ID
from tests.test_gate_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", ["abc", "1.5", "-1", "", "²"])
def test_criteria_with_a_tampered_row_count_ask_for_a_criterion_and_keep_the_plan(world, login, plan, rows):
    before = list(plan.criteria.values_list("name", "weight"))
    page = login("township").post(
        f"/assessments/plans/{plan.pk}/criteria/",
        {"rows": rows, "name-0": "村务公开", "weight-0": "100", "method": "年底统一考评"},
    )
    assert page.status_code == 200
    assert "请至少填写一项考核标准" in page.content.decode()
    assert list(plan.criteria.values_list("name", "weight")) == before


def test_a_huge_row_count_reads_one_row_more_than_a_plan_holds_and_is_refused(world, login, plan):
    posted = {"rows": "999999999999", "method": "年底统一考评", "satisfaction": "0"}
    for i in range(25):
        posted |= {f"name-{i}": f"指标{i}", f"weight-{i}": "4"}
    page = login("township").post(f"/assessments/plans/{plan.pk}/criteria/", posted)
    assert page.status_code == 200
    assert "考核标准最多 20 项" in page.content.decode()
    assert Criterion.objects.filter(assessment=plan).count() == 3


@pytest.mark.parametrize("bad", ["abc", "1.5", "", "99999999999999999999"])
def test_a_demand_letter_for_a_tampered_institution_id_is_a_404(world, login, bad):
    from certificates.models import DemandAction

    page = login("reviewer_civil").post("/certificates/demands/", {"institution": bad, "kind": "letter"})
    assert page.status_code == 404
    assert not DemandAction.objects.exists()


@pytest.mark.parametrize("bad", ["abc", "1.5", "-3"])
def test_a_tampered_version_on_the_request_form_is_a_stale_version_and_changes_nothing(
    world, login, make_request, bad
):
    req = make_request("draft")
    page = login("submitter").post(
        f"/gate/requests/{req.pk}/edit/", form_data(world, title="改过的标题", version=bad)
    )
    assert page.status_code == 200
    assert "已被他人修改" in page.content.decode()
    req.refresh_from_db()
    assert req.title != "改过的标题" and req.version == 1


@pytest.mark.parametrize("param", ["on", "baseline"])
@pytest.mark.parametrize("value", ["0001-01-01", "0001-06-30", "1899-12-31", "2101-01-01"])
def test_an_account_date_outside_the_calendar_s_working_range_is_a_400_in_words(
    world, login, api, param, value
):
    county = world.county.code
    page = login("approver").get(f"/burden/{county}/account/?{param}={value}")
    assert page.status_code == 400
    assert "1900-01-01 至 2100-12-31" in page.content.decode()
    rows = login("approver").get(f"/burden/{county}/account/catalog_autonomy/?{param}={value}")
    assert rows.status_code == 400
    answer = api.as_user("approver").get(f"/api/v1/burden-accounts/?division={county}&{param}={value}")
    assert answer.status_code == 400
    assert "1900-01-01 至 2100-12-31" in str(answer.json()[param])
    drill = api.as_user("approver").get(
        f"/api/v1/burden-accounts/rows/?division={county}&key=catalog_autonomy&{param}={value}"
    )
    assert drill.status_code == 400


def test_the_account_s_range_ends_are_still_accounts(world, login):
    county = world.county.code
    for value in ("1900-01-01", "2100-12-31"):
        assert login("approver").get(f"/burden/{county}/account/?on={value}").status_code == 200


def test_the_api_answers_bad_input_in_chinese(world, api, cert_lists):
    """Messages the API gave in English: a 404 naming a model, a body that is not JSON, unknown codes."""
    client = api.as_user("township")
    missing = client.get("/api/v1/certificate-requests/999999/")
    assert missing.status_code == 404 and missing.json()["detail"] == "未找到。"
    broken = client.post(
        "/api/v1/certificate-requests/", data="{'village': 1", content_type="application/json"
    )
    assert broken.status_code == 400 and "不是有效的 JSON" in broken.json()["detail"]
    unknown = client.post(
        "/api/v1/certificate-requests/",
        {
            "village": "999999999999",
            "applicant_name": "甲",
            "id_number": VALID_ID,
            "certificate_name": "健在证明",
            "purpose": "领取养老金",
            "institution_name": "某银行",
        },
        format="json",
    )
    assert unknown.status_code == 400 and "没有这个代码" in str(unknown.json())
    foreign = api.as_user("approver").get("/api/v1/burden-accounts/?division=999999999999")
    assert foreign.status_code == 404 and foreign.json()["detail"] == "您的辖区内没有这个代码的行政区划。"


def test_each_app_words_its_own_date_order_and_a_nul_is_named(world, login, gate_lists):
    """One English message translated three ways: the catalogue's wording no longer shows on the gate's form."""
    from django import forms
    from django.utils import translation

    from catalogs.validation import item_clean

    _values, errors = item_clean(
        {
            "code": "ZZ-01",
            "kind": "autonomy",
            "name": "x",
            "effective_from": "2026-02-01",
            "effective_to": "2026-01-01",
        }
    )
    with translation.override("zh-hans"):
        assert str(errors["effective_to"][0]) == "失效日期早于生效日期。"
        with pytest.raises(forms.ValidationError) as exc:
            forms.CharField().clean("a\x00b")
        assert exc.value.messages == ["不允许包含空字符（NUL）。"]
    page = login("submitter").post(
        "/gate/requests/new/", form_data(world, starts_on="2027-03-01", ends_on="2027-01-01")
    )
    assert "结束日期早于开始日期。" in page.content.decode() and "失效日期" not in page.content.decode()
