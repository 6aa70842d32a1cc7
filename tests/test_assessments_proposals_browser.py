"""In headless Chromium at 390 px: an assessment is proposed for the published list, consulted, assessed and
approved with its reason, and lands in the next version's draft (seed 001: 事前协商、评估审核、审定批准)."""

from __future__ import annotations

import pytest

from assessments.models import AssessmentChangeProposal

from .browser import log_in, page_width
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, world, name):
    page.context.clear_cookies()
    log_in(page, world.user(name).username, PASSWORD)


def _no_horizontal_scroll(page):
    assert page_width(page) <= 392


def _step(page, proposal, step, opinion):
    page.goto(f"{page.base_url}/assessments/proposals/{proposal.pk}/")
    _no_horizontal_scroll(page)
    page.fill("#id_opinion", opinion)
    with page.expect_navigation():
        page.click(f"button[name=step][value={step}]")


def test_a_proposal_goes_from_filing_to_the_draft(page, world, assessment_list):
    _as(page, world, "submitter")
    page.goto(f"{page.base_url}/assessments/lists/150223/villages/")
    with page.expect_navigation():
        page.click("[data-testid=proposals-link]")
    page.click("details summary")
    form = page.locator("[data-testid=proposal-form]")
    form.locator("#id_action").select_option("add")
    form.locator("#id_kind").select_option("evaluation")
    form.locator("#id_name").fill("美丽庭院示范村评比")
    form.locator("#id_owner").fill("妇联")
    form.locator("#id_frequency").select_option("yearly")
    form.locator("#id_measures").fill("庭院整治")
    form.locator("#id_basis_missing").check()
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        form.locator("button").click()
    assert "请说明调整清单的理由" in page.content()  # the reason is required, nothing filed
    assert not AssessmentChangeProposal.objects.exists()
    form.locator("#id_reason").fill("妇联申请新增年度评比")
    with page.expect_navigation():
        form.locator("button").click()
    proposal = AssessmentChangeProposal.objects.get()
    assert page.locator("[data-testid=proposal-status]").inner_text() == "已提出"

    _as(page, world, "keeper")
    _step(page, proposal, "consult", "已征求乡镇和妇联意见")
    _as(page, world, "reviewer_org")
    _step(page, proposal, "assess", "评估通过")
    _as(page, world, "approver")
    _step(page, proposal, "approve", "")  # a decision without its reason is refused
    assert "理由" in page.locator(".alert").first.inner_text()
    proposal.refresh_from_db()
    assert proposal.status == "assessed"
    _step(page, proposal, "approve", "同意列入清单")
    assert page.locator("[data-testid=proposal-status]").inner_text() == "已批准"
    assert page.locator("[data-testid=proposal-steps] li").count() == 4
    proposal.refresh_from_db()
    assert proposal.applied_version.items.filter(name="美丽庭院示范村评比", status="active").exists()
