"""A county approver, at phone width, opens the burden dashboard from the workbench and drills from the
burden change down to the rows behind it."""

from __future__ import annotations

import pytest

from .browser import log_in, page_width
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
    assert page_width(page) <= 390

    page.click('[data-testid="burden-change"]')
    page.wait_for_selector('[data-testid="account-lines"]')
    autonomy = page.locator('tr[data-key="catalog_autonomy"]')
    assert "-50.0%" in autonomy.inner_text()
    autonomy.locator("a").first.click()
    page.wait_for_selector('[data-testid="removed"]')
    assert "ZZ-02 村务公开" in page.locator('[data-testid="removed"]').inner_text()
    assert "ZZ-01 召开村民会议" in page.locator('[data-testid="rows"]').inner_text()
    assert page_width(page) <= 390


def test_approver_goes_from_the_dashboard_to_the_rows_the_ledger_and_the_weekly_report(
    page, world, small_county, settings, tmp_path
):
    """Done means of issue 11, as a new user would from the README: dashboard, drill-down, both downloads."""
    import io
    from datetime import timedelta

    from django.utils import timezone
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from burden.summaries import summaries_refresh
    from reports import demo, services

    settings.MEDIA_ROOT = str(tmp_path)
    summaries_refresh(county=world.county, on=small_county.baseline)
    summaries_refresh(county=world.county, on=small_county.today)
    for row in demo.plan_rows():  # a county that keeps its task-division table is reported on
        services.plan_task_create(user=world.user("keeper"), county=world.county, data=row)
    today = timezone.localdate()
    services.reports_run(kind="weekly", today=today + timedelta(days=7 - today.weekday()))

    log_in(page, "approver", PASSWORD)
    page.click('[data-testid="burden-dashboard-link"]')
    page.wait_for_selector('[data-testid="account-lines"]')
    assert "由记录计算于" in page.locator('[data-testid="computed-at"]').inner_text()
    dashboard = page.url
    page.click('[data-testid="burden-change"]')
    page.wait_for_selector('[data-testid="account-lines"]')
    page.locator('tr[data-key="catalog_autonomy"] a').first.click()
    page.wait_for_selector('[data-testid="removed"]')
    assert "ZZ-02 村务公开" in page.locator('[data-testid="removed"]').inner_text()

    page.goto(dashboard)
    with page.expect_navigation():
        page.click('[data-testid="dashboard-ledger"]')
    with page.expect_download() as info:
        page.click("[data-testid=ledger-download]")
    wb = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()), read_only=True)
    assert "准入审批" in wb.sheetnames and "派发任务" in wb.sheetnames
    dispatched = [r[0] for r in wb["派发任务"].iter_rows(min_row=2, values_only=True)]
    assert set(dispatched) == {world.village_a1.code, world.village_a2.code, world.village_b1.code}

    page.goto(dashboard)
    with page.expect_navigation():
        page.click('[data-testid="dashboard-reports"]')
    with page.expect_download() as info:
        page.locator("[data-testid=report-pdf]").first.click()
    text = "".join("".join(p.extract_text() for p in PdfReader(info.value.path()).pages).split())
    assert "村（社区）减负工作周报告" in text and "系统自动生成" in text and "村级负担账本" in text
    assert page_width(page) <= 392
