"""The access gate driven through the real UI in headless Chromium, role by role."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gate.models import AccessRequest, VillageTask

from .browser import log_in
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def as_user(browser, live_server):
    """A fresh browser (own cookies), logged in as one of the cast, on a phone-sized screen."""
    contexts = []

    def _as(username):
        context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
        contexts.append(context)
        page = context.new_page()
        page.base_url = live_server.url
        page.on("dialog", lambda dialog: dialog.accept())  # "record this decision?" confirmations
        log_in(page, username, PASSWORD)
        return page

    yield _as
    for context in contexts:
        context.close()


def fill_request(page, world, *, title, description, role):
    today = timezone.localdate()
    page.goto(f"{page.base_url}/gate/requests/new/")
    page.fill("#id_title", title)
    page.fill("#id_description", description)
    page.check(f"input[name=village_role][value={role}]")
    page.check("input[name=scope_kind][value=townships]")
    page.check(f"input[name=townships][value='{world.township_a.code}']")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + timedelta(days=90)).isoformat())
    page.select_option("#id_frequency", "yearly")
    page.fill("#id_hours_per_village", "4")


def test_live_screening_blocks_a_responsible_negative_task_as_it_is_typed(as_user, world, gate_lists):
    page = as_user("submitter")
    fill_request(
        page, world, title="违法建筑拆除", description="由村委会负责本村违法建筑拆除，限期完成", role="assist"
    )
    verdict = page.locator("#screening [data-verdict]").first
    expect(verdict).to_have_attribute("data-verdict", "block", timeout=10_000)
    expect(page.locator("#screening")).to_contain_text("FM-02")
    page.click("[data-testid=save-submit]")
    expect(page.locator("[data-testid=request-status]")).to_have_attribute("data-status", "blocked")
    assert not VillageTask.objects.exists()


def test_request_travels_the_gate_and_reaches_exactly_the_villages_in_scope(as_user, world, gate_lists):
    submitter = as_user("submitter")
    fill_request(
        submitter,
        world,
        title="开展春季植树造林",
        description="组织村民参加义务植树，林草局提供树苗和技术指导",
        role="assist",
    )
    expect(submitter.locator("#screening [data-verdict]").first).to_have_attribute(
        "data-verdict", "review", timeout=10_000
    )
    submitter.click("[data-testid=save-submit]")
    expect(submitter.locator("[data-testid=request-status]")).to_have_attribute("data-status", "in_review")
    request_url = submitter.url

    for reviewer in ("reviewer_org", "reviewer_civil", "reviewer_agri"):
        page = as_user(reviewer)
        page.goto(request_url)
        form = page.locator("[data-testid=review-form]")
        form.locator("input[name=opinion][value=agree]").check()
        form.locator("textarea[name=reason]").fill("同意，费随事转已落实")
        form.locator("button").click()
        expect(page.locator("[data-testid=opinions]")).to_contain_text("同意，费随事转已落实")

    approver = as_user("approver")
    approver.goto(request_url)
    form = approver.locator("[data-testid=decide-form]")
    form.locator("input[name=outcome][value=approve]").check()
    form.locator("textarea[name=reason]").fill("经三部门审核同意，批准实施")
    form.locator("button").click()
    expect(approver.locator("[data-testid=request-status]")).to_have_attribute("data-status", "approved")

    submitter.goto(request_url)
    submitter.locator("[data-testid=dispatch-form] button").click()
    expect(submitter.locator("body")).to_contain_text("开展春季植树造林")

    request = AccessRequest.objects.get(title="开展春季植树造林")
    villages = set(VillageTask.objects.filter(access_request=request).values_list("village_id", flat=True))
    assert villages == {world.village_a1.code, world.village_a2.code}

    township = as_user("township")
    township.goto(f"{township.base_url}/gate/tasks/")
    expect(township.locator("main")).to_contain_text("开展春季植树造林")
    other = as_user("township_b")
    other.goto(f"{other.base_url}/gate/tasks/")
    expect(other.locator("main")).not_to_contain_text("开展春季植树造林")
