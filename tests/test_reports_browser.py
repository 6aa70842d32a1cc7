"""A county approver, as a new user would, downloads the county's ledger and last week's report (phone width)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from .browser import log_in
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_county_approver_downloads_the_ledger_and_the_weekly_report(
    page, world, make_request, settings, tmp_path
):
    from reports import demo, services

    settings.MEDIA_ROOT = str(tmp_path)
    req = make_request("approved")
    for row in demo.plan_rows():
        services.plan_task_create(user=world.user("keeper"), county=world.county, data=row)
    today = timezone.localdate()
    services.reports_run(kind="weekly", today=today + timedelta(days=7 - today.weekday()))

    log_in(page, "approver", PASSWORD)
    page.click(".navbar-toggler")  # the menu, folded at phone width
    with page.expect_navigation():
        page.click("[data-testid=nav-reports]")
    page.wait_for_load_state("domcontentloaded")
    assert "周报告" in page.locator("[data-testid=reports]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    with page.expect_download() as info:
        page.locator("[data-testid=report-pdf]").first.click()
    pdf = PdfReader(info.value.path())
    text = "".join("".join(p.extract_text() for p in pdf.pages).split())
    assert "村（社区）减负工作周报告" in text and "批准准入1" in text and "长期坚持" in text

    page.goto(f"{page.base_url}/reports/ledger/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
    assert page.locator("#id_division").input_value() == "150223000000"  # the own county first
    with page.expect_download() as info:
        page.click("[data-testid=ledger-download]")
    wb = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()), read_only=True)
    assert "准入审批" in wb.sheetnames and "派发任务" in wb.sheetnames
    numbers = [r[0] for r in wb["准入审批"].iter_rows(min_row=2, values_only=True)]
    assert numbers == [req.number]
