"""Issue 14's "done means" for assessments, in headless Chromium at 390 px: a township sets its criteria and
is warned about a 留痕 criterion; a villager answers the survey from a phone; a second answer from the
same phone is refused; the township sees the village's satisfaction in its assessment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import services, sms
from assessments.models import Ballot, Criterion

from .browser import log_in, page_width
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13712345678"


def _no_horizontal_scroll(page):
    assert page_width(page) <= 392


def _criteria(page, rows, satisfaction):
    for i, (name, measures, weight) in enumerate(rows):
        page.fill(f"[name=name-{i}]", name)
        page.fill(f"[name=measures-{i}]", measures)
        page.fill(f"[name=weight-{i}]", str(weight))
    page.check(f"#sat-{satisfaction}")
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("[data-testid=criteria-form] button")


def _ask_code(page, survey, phone):
    page.goto(f"{page.base_url}/assessments/survey/{survey.pk}/")
    page.fill("#id_phone", phone)
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("[data-testid=phone-form] button")


def test_criteria_warned_survey_answered_once_and_seen_by_the_township(page, world):
    township = world.user("township")
    plan = services.plan_create(township=world.township_a, year=2026, method="年底统一考评", user=township)
    survey = services.survey_open(
        assessment=plan,
        village=world.village_a1,
        closes_on=timezone.localdate() + timedelta(days=30),
        user=township,
    )
    # Nine neighbours have answered already (through the same service the page uses).
    questions = list(plan.questions.all())
    for i in range(services.MIN_RESPONSES - 1):
        phone = f"1350000{i:04d}"
        token = services.survey_code_send(survey=survey, phone=phone, address=f"10.1.0.{i}")
        services.survey_answer(
            survey=survey,
            token=token,
            code=sms.last_code_for(phone),
            answers={q.pk: 4 for q in questions},
            address=f"10.1.0.{i}",
        )

    # A villager on a phone, no login: asks for a code, answers out of range first... (a radio left empty).
    _ask_code(page, survey, PHONE)
    assert "控制台" in page.content()  # the demo says where the code went
    code = sms.last_code_for(PHONE)
    page.fill("#id_code", code)
    page.check(f"#q{questions[0].pk}-5")
    with page.expect_navigation():
        page.click("[data-testid=answer-form] button")
    assert (
        "1（很不满意）到5（很满意）" in page.locator(f"[data-testid=error-q{questions[1].pk}]").inner_text()
    )
    assert Ballot.objects.filter(survey=survey).count() == services.MIN_RESPONSES - 1
    for q in questions:
        page.check(f"#q{q.pk}-5")
    page.fill("#id_code", code)
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("[data-testid=answer-form] button")
    assert page.locator("[data-testid=thanks]").is_visible()
    # The same phone again is refused, in Chinese, and nothing is counted.
    _ask_code(page, survey, PHONE)
    assert "已经参与" in page.locator("[data-testid=error-phone]").inner_text()
    assert Ballot.objects.filter(survey=survey).count() == services.MIN_RESPONSES

    # The township sets its criteria: weights that do not add up are refused and nothing is written.
    log_in(page, "township", PASSWORD)
    page.goto(f"{page.base_url}/assessments/plans/{plan.pk}/criteria/")
    before = list(Criterion.objects.filter(assessment=plan).values_list("name", "weight"))
    _criteria(
        page,
        [("群众满意度", "匿名问卷", 50), ("问题解决率", "按期解决比例", 30), ("台账资料", "是否留痕", 10)],
        0,
    )
    assert "合计须为100" in page.locator("[data-testid=error-criteria]").first.inner_text()
    assert list(Criterion.objects.filter(assessment=plan).values_list("name", "weight")) == before
    _criteria(
        page,
        [("群众满意度", "匿名问卷", 50), ("问题解决率", "按期解决比例", 30), ("台账资料", "是否留痕", 20)],
        0,
    )
    warning = page.locator("[data-testid=trace-warning]")
    assert (
        warning.count() == 1
        and "留痕" in warning.inner_text()
        and "内蒙古自治区《关于规范村级组织工作事务" in warning.inner_text()
    )
    # The satisfaction criterion says where its score comes from, not its name a second time.
    marked = page.locator("[data-testid=satisfaction-criterion]")
    assert marked.count() == 1 and marked.inner_text() == "得分来自村民问卷"
    # The village's satisfaction is in the assessment: nine 4s (75) and one 5 (100) → 77.5.
    satisfaction = page.locator(f"[data-testid=surveys] [data-village='{world.village_a1.pk}']")
    assert "77.5" in satisfaction.inner_text()
    assert (
        "77.5" in page.locator(f"[data-testid=results] [data-village='{world.village_a1.pk}']").inner_text()
    )
    _no_horizontal_scroll(page)
