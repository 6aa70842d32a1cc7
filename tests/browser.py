"""Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright.

Browser tests are skipped where Chromium is not installed, except in CI,
where a missing browser is a failure (CI must test the real UI).
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def require_chromium():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI needs Chromium for browser tests (apt-get install chromium)")
        pytest.skip("Chromium is not installed")


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # calls from the test body are still synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    # An English-language browser: the registry must still answer in Chinese.
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def log_in(page, username, password):
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("domcontentloaded")


def page_width(page) -> int:
    """The width of what the page lays out, once its document has loaded.

    A click that follows a link has started a navigation: until the next
    document is there, there is no ``documentElement`` (or the old one's
    context is gone), so wait for the load and read again.
    """
    from playwright.sync_api import Error

    for _ in range(5):
        page.wait_for_load_state()
        try:
            width = page.evaluate("document.documentElement ? document.documentElement.scrollWidth : null")
        except Error as exc:  # the context went away with the navigation
            if "context" not in str(exc).lower():
                raise
            continue
        if width is not None:
            return width
    raise AssertionError("the page never finished loading")
