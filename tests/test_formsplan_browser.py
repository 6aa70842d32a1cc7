"""The "done means" walk of the forms plan in a real browser at phone width (390 px).

A department registers a form and is shown the two fields other forms already
collect; a form with no fields is refused in Chinese; the county approver
approves the plan (first without a reason: refused); a township assigns a
form (another township's village is not offered, and a forged one is refused);
an unplanned demand recorded in one step counts against its institution.
"""

from __future__ import annotations

import pytest

from formsplan.models import FormAssignment, PlanForm, UnplannedDemand

from .browser import log_in, page_width
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page):
    assert page_width(page) <= 392


def _fill_form(page, name, fields):
    page.fill("#id_name", name)
    page.fill("#id_fields_text", fields)
    page.fill("#id_frequency", "12")
    page.fill("#id_minutes", "20")


def test_register_approve_assign_and_record_an_unplanned_demand(page, world, forms_plan):
    log_in(page, "submitter", PASSWORD)
    page.goto(f"{page.base_url}/forms/plans/{forms_plan.pk}/register/")
    # A form with no fields: said in Chinese, nothing written.
    _fill_form(page, "空表", "")
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    assert "至少要有一个字段" in page.locator("[data-testid=error-fields_text]").inner_text()
    assert not PlanForm.objects.filter(name="空表").exists()
    # Check first: two fields are already collected by the other departments' forms.
    _fill_form(page, "自然灾害隐患排查表", "公民身份号码:身份证号\n手机号:电话\n隐患类型")
    with page.expect_navigation():
        page.click("[data-testid=check]")
    duplicates = page.locator("[data-testid=duplicate]")
    assert duplicates.count() == 2
    text = page.locator("[data-testid=duplicates]").inner_text()
    assert "2个字段" in text and "困难群众基本情况摸底表" in text and "草场承包经营情况统计表" in text
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    assert page.locator("[data-testid=duplicate]").count() == 2  # the form's page says it too
    assert page.locator("[data-testid=frequency]").inner_text() == "12"
    _no_horizontal_scroll(page)

    page.context.clear_cookies()
    log_in(page, "approver", PASSWORD)
    page.goto(f"{page.base_url}/forms/plans/{forms_plan.pk}/")
    counts = page.locator("[data-testid=field-counts]").inner_text()
    assert "公民身份号码" in counts and "联系电话" in counts
    with page.expect_navigation():
        page.click("[data-testid=approve-form] button")
    assert "理由" in page.locator(".alert").first.inner_text() or "reason" not in page.content()
    assert page.locator("[data-testid=plan-status]").inner_text() == "草稿（整合中）"
    page.fill("#id_reason", "经旗委旗政府统一部署，年初交由苏木乡镇安排。")
    with page.expect_navigation():
        page.click("[data-testid=approve-form] button")
    assert page.locator("[data-testid=plan-status]").inner_text() == "已批准（全年执行）"
    assert "统一部署" in page.locator("[data-testid=decision]").inner_text()
    _no_horizontal_scroll(page)

    page.context.clear_cookies()
    log_in(page, "township", PASSWORD)
    page.goto(f"{page.base_url}/forms/plans/{forms_plan.pk}/")
    with page.expect_navigation():
        page.click("[data-testid=assign-link]")
    assert "乌兰敖包村" not in page.locator("[data-testid=assign-form]").inner_text()  # 明安镇's village
    new_form = PlanForm.objects.get(name="自然灾害隐患排查表")
    page.select_option("#id_form", str(new_form.pk))
    page.check(f"input[name=villages][value='{world.village_a1.pk}']")
    page.check(f"input[name=villages][value='{world.village_a2.pk}']")
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    assert "哈达图嘎查" in page.locator("[data-testid=assigned]").inner_text()
    assert set(FormAssignment.objects.values_list("frequency", flat=True)) == {12}
    # A forged post naming another township's village is refused and writes nothing.
    page.evaluate(
        "v => { const box = document.querySelector('input[name=villages]'); box.value = v; box.checked = true; }",
        world.village_b1.pk,
    )
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    assert page.locator("[data-testid=error-villages]").count() == 1
    assert not FormAssignment.objects.filter(village=world.village_b1).exists()

    page.goto(f"{page.base_url}/forms/unplanned/")
    page.select_option("#id_village", world.village_a1.pk)
    page.fill("#id_form_name", "牲畜存栏情况日报表")
    page.fill("#id_institution_name", "达茂旗某局")
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("[data-testid=submit]")
    assert "牲畜存栏情况日报表" in page.locator("[data-testid=demands]").inner_text()
    assert UnplannedDemand.objects.get().institution.name == "达茂旗某局"
    _no_horizontal_scroll(page)

    page.context.clear_cookies()
    log_in(page, "reviewer_org", PASSWORD)
    page.goto(f"{page.base_url}/forms/unplanned/")
    ranking = page.locator("[data-testid=ranking]").inner_text()
    assert "达茂旗某局" in ranking and "1 次" in ranking
