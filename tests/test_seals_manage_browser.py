"""In headless Chromium at 390 px: the county's admin opens the seal-use scope list's draft, adds a use (a bad
one first, refused in Chinese), edits it, removes another, and publishes the next version."""

from __future__ import annotations

from datetime import date

import pytest

from seals.models import SealListVersion

from .browser import log_in
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 392


def test_the_keeper_edits_and_publishes_the_draft(page, world, seal_list):
    log_in(page, world.user("keeper").username, PASSWORD)
    page.goto(f"{page.base_url}/seals/lists/150223/")
    with page.expect_navigation():
        page.click("[data-testid=manage-link]")
    with page.expect_navigation():
        page.click("[data-testid=draft-open]")
    _no_horizontal_scroll(page)
    form = page.locator("[data-testid=item-form]")
    form.locator("#id_item-kind").select_option("may_not")
    form.locator("#id_item-name").fill("以社区名义出具的招商引资目标责任状")
    form.locator("#id_item-legal_basis").fill("中办国办《意见》二(一)1（种子003）")
    with page.expect_navigation():
        form.locator("button").click()
    assert "请说明为什么不得用印" in page.content()  # no reason, no source: refused, nothing written
    form.locator("#id_item-reason").fill("不得将社区作为招商引资工作的责任主体。")
    form.locator("#id_item-source").fill("种子003")
    with page.expect_navigation():
        form.locator("button").click()
    items = page.locator("[data-testid=draft-items]")
    assert "以社区名义出具的招商引资目标责任状" in items.inner_text()
    with page.expect_navigation():
        page.click("[data-testid=remove-YY-03]")
    assert "YY-03" not in page.locator("[data-testid=draft-items]").inner_text()
    _no_horizontal_scroll(page)
    page.fill("#id_pub-effective_from", date.today().isoformat())
    with page.expect_navigation():
        page.click("[data-testid=publish-form] button")
    latest = SealListVersion.objects.filter(seal_list=seal_list).order_by("-number").first()
    assert latest.status == "published" and latest.number == 2
    assert not latest.items.filter(code="YY-03").exists()
    assert latest.items.filter(name="以社区名义出具的招商引资目标责任状").exists()
