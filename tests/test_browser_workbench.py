"""Each role logs in through the real UI, on a phone-sized screen, and lands on its workbench in Chinese."""

import pytest
from playwright.sync_api import expect

from .browser import log_in
from .conftest import CAST
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PANELS = {name: role for name, role, _org in CAST if name not in {"outsider", "township_b"}}


@pytest.mark.parametrize("username", sorted(PANELS))
def test_each_role_sees_its_workbench_in_chinese(page, world, username):
    log_in(page, username, PASSWORD)
    assert page.locator(f'[data-testid="panel-{PANELS[username]}"]').is_visible()
    title = page.locator('[data-testid="workbench-title"]').inner_text()
    assert title.startswith("工作台")
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_wrong_password_shows_a_chinese_error_and_language_switches(page, world):
    log_in(page, "township", "not-the-password")
    assert page.locator(".alert-danger").inner_text().startswith("用户名或密码不正确")
    page.click(".navbar-toggler")  # the phone layout folds the menu away
    with page.expect_navigation():  # choosing a language submits the form
        page.select_option("select[name=language]", "en")
    expect(page.locator("h1")).to_have_text("Log in")
