"""The work-affairs catalogue driven through the real UI in headless Chromium.

A provincial admin builds the guidance catalogue from a spreadsheet (a bad
file first: errors by row and column, nothing written), publishes it; the
county keeper adopts it and publishes; the public reads the county's lists.
"""

import io

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from catalogs import spreadsheets
from catalogs.models import CatalogueItem

from .browser import log_in
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def workbook(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append([label for _key, label in spreadsheets.COLUMNS])
    for values in rows:
        ws.append([values.get(key, "") for key, _label in spreadsheets.COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    return str(path)


@pytest.fixture
def as_user(browser, live_server):
    contexts = []

    def _as(username=None):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.base_url = live_server.url
        page.on("dialog", lambda dialog: dialog.accept())
        if username:
            log_in(page, username, PASSWORD)
        return page

    yield _as
    for context in contexts:
        context.close()


def click_and_wait(page, locator):
    with page.expect_navigation():
        locator.click()


def publish(page):
    page.fill("input[name=effective_from]", timezone.localdate().isoformat())
    click_and_wait(page, page.locator("form[action$='/publish/'] button"))


def test_guidance_from_a_spreadsheet_to_a_county_and_the_public(as_user, world, tmp_path):
    admin = as_user("provadmin")
    admin.goto(f"{admin.base_url}/catalogs/")
    click_and_wait(admin, admin.locator("form button").filter(has_text="开").last)
    detail_url = admin.url
    assert detail_url.rstrip("/").split("/")[-1].isdigit()

    bad = workbook(tmp_path / "错误.xlsx", [{"code": "FM-01", "kind": "未知", "name": "招商引资"}])
    admin.goto(detail_url + "import/")
    admin.set_input_files("input[type=file]", bad)
    admin.locator("form[enctype] button").click()
    errors = admin.locator("[data-testid=import-errors]")
    expect(errors).to_be_visible(timeout=15_000)
    expect(errors).to_contain_text("2")  # the first data row
    assert not CatalogueItem.objects.exists()

    good = workbook(
        tmp_path / "指导目录.xlsx",
        [
            {"code": "FM-01", "kind": "负面", "name": "招商引资", "negative_matter": "招商引资的责任主体"},
            {"code": "ZZ-01", "kind": "自治", "name": "召开村民会议", "category": "村民自治"},
        ],
    )
    admin.goto(detail_url + "import/")
    admin.set_input_files("input[type=file]", good)
    admin.locator("form[enctype] button").click()
    confirm = admin.locator("form[action$='/confirm/'] button")
    expect(confirm).to_be_visible(timeout=15_000)
    confirm.click()
    expect(admin.locator("[data-testid=import-job]")).to_contain_text("100%", timeout=15_000)
    admin.goto(detail_url)
    publish(admin)
    expect(admin.locator("[data-testid=item-table]")).to_contain_text("招商引资")

    keeper = as_user("keeper")
    keeper.goto(f"{keeper.base_url}/catalogs/")
    click_and_wait(keeper, keeper.locator("form button").filter(has_text="开").last)
    pending = keeper.locator("[data-testid=pending-guidance] a")
    if pending.count():
        click_and_wait(keeper, pending)
        click_and_wait(keeper, keeper.locator("form button.btn-danger"))
    publish(keeper)

    county_items = CatalogueItem.objects.filter(division=world.county, version__status="published")
    assert {i.code for i in county_items} == {"FM-01", "ZZ-01"}
    assert all(i.inherited_from_id for i in county_items)  # both derived from the guidance

    public = as_user()
    public.goto(f"{public.base_url}/catalogs/public/{world.county.code[:6]}/")
    body = public.locator("main")
    expect(body).to_contain_text("招商引资")
    expect(body).to_contain_text("召开村民会议")
