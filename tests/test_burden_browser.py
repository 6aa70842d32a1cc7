"""A county approver, at phone width, opens the burden dashboard from the workbench and drills from the
burden change down to the rows behind it."""

from __future__ import annotations

import pytest

from .browser import log_in
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_approver_drills_from_the_change_to_its_rows(page, world, small_county):
    from burden.summaries import summaries_refresh

    summaries_refresh(county=world.county, on=small_county.baseline)
    summaries_refresh(county=world.county, on=small_county.today)

    log_in(page, "approver", PASSWORD)
    page.click('[data-testid="burden-dashboard-link"]')
    page.wait_for_selector('[data-testid="account-lines"]')
    assert "减负看板" in page.locator("h1").inner_text()
    assert page.locator("canvas.vb-chart").count() >= 4  # every chart drawn beside its table
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.click('[data-testid="burden-change"]')
    page.wait_for_selector('[data-testid="account-lines"]')
    autonomy = page.locator('tr[data-key="catalog_autonomy"]')
    assert "-50.0%" in autonomy.inner_text()
    autonomy.locator("a").first.click()
    page.wait_for_selector('[data-testid="removed"]')
    assert "ZZ-02 村务公开" in page.locator('[data-testid="removed"]').inner_text()
    assert "ZZ-01 召开村民会议" in page.locator('[data-testid="rows"]').inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
