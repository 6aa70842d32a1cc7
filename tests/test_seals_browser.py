"""The public seal check at phone width: a resident asks in their own words, in Chinese, with no login."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 392


def _ask(page, division, q):
    page.fill("#id_division", division)
    page.fill("#id_q", q)
    with page.expect_navigation():
        page.click("[data-testid=seal-check-form] button")


def test_a_resident_checks_a_seal_use_on_a_phone(page, world, seal_list, community):
    page.goto(f"{page.base_url}/seals/check/")
    assert "这件事能盖社区的章吗" in page.content()
    _no_horizontal_scroll(page)
    # Bad input first: said in Chinese, nothing answered.
    _ask(page, "15x", "")
    assert "区划代码" in page.locator("[data-testid=error-division]").inner_text()
    assert "盖社区印章" in page.locator("[data-testid=error-q]").inner_text()
    assert page.locator("[data-testid=seal-answer]").count() == 0
    _ask(page, community.code, "拆迁协议要社区盖章")
    answer = page.locator("[data-testid=seal-answer]")
    assert answer.get_attribute("data-answer") == "may_not"
    assert "不得用于" in answer.inner_text() and "JY-03" in answer.inner_text()
    _no_horizontal_scroll(page)
    _ask(page, "150223", "居民公约")
    assert answer.get_attribute("data-answer") == "may" and "缺依据" in answer.inner_text()
    _ask(page, "150223", "喜宴请柬")
    assert answer.get_attribute("data-answer") == "unlisted" and "未列入" in answer.inner_text()
    _no_horizontal_scroll(page)
