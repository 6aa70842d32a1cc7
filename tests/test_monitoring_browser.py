"""The monitor's walk in a real browser at phone width (390 px): bad input refused in Chinese, an unplanned
form and an inspection reported with a photo; the organisation department closes them; the reporter sees the
outcome; the institution appears in the public ranking, which never names the reporter."""

from __future__ import annotations

import pytest

from .browser import log_in, page_width
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page):
    assert page_width(page) <= 390


def _send(page):
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("[data-testid=report-form] button")


def _close(page, report_id, outcome, reason, correction):
    page.goto(f"{page.base_url}/monitoring/reports/{report_id}/")
    page.check(f"input[name=outcome][value={outcome}]")
    page.fill("#id_reason", reason)
    page.fill("#id_correction", correction)
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("[data-testid=close-form] button")


def test_a_monitor_reports_from_a_phone_and_the_county_closes(page, world, points, tmp_path, settings):
    from PIL import Image

    from monitoring.models import BurdenReport

    settings.MEDIA_ROOT = tmp_path
    photo = tmp_path / "迎检.jpg"
    Image.new("RGB", (2000, 1500), (200, 180, 40)).save(photo, format="JPEG")
    not_image = tmp_path / "照片.jpg"
    not_image.write_bytes(b"a text file pretending to be a photo")
    monitor = world.user("monitor")
    monitor.display_name = "高娃监测员"
    monitor.save()

    log_in(page, "monitor", PASSWORD)
    page.goto(f"{page.base_url}/monitoring/")
    assert world.village_a1.name in page.locator("[data-testid=my-points]").inner_text()
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("[data-testid=report-new]")
    assert page.locator("#id_village option").count() == 1  # only the monitor's own point

    # An empty report: every required field is named in Chinese, nothing is written.
    page.fill("#id_seen_on", "")
    _send(page)
    assert "必填" in page.locator("[data-testid=error-description]").inner_text()
    assert "必填" in page.locator("[data-testid=error-institution_name]").inner_text()

    # A "photo" that is not an image.
    page.select_option("#id_kind", "unplanned_form")
    page.fill("#id_institution_name", "旗应急管理局")
    page.fill("#id_description", "通过微信群要求三天内填报隐患排查表")
    page.fill("#id_seen_on", "2026-11-30")
    page.fill("#id_form_name", "自然灾害风险隐患排查表")
    page.set_input_files("#id_photos", str(not_image))
    _send(page)
    assert "不是照片" in page.locator("[data-testid=error-photos]").inner_text()
    assert not BurdenReport.objects.exists()

    # The unplanned form, for real.
    page.set_input_files("#id_photos", [])
    page.fill("#id_institution_name", "旗应急管理局")
    page.fill("#id_description", "通过微信群要求三天内填报隐患排查表")
    page.fill("#id_form_name", "自然灾害风险隐患排查表")
    page.fill("#id_seen_on", "2026-11-30")
    page.select_option("#id_kind", "unplanned_form")
    _send(page)
    assert page.locator("[data-testid=status]").inner_text() == "待受理"
    form_report = BurdenReport.objects.get(kind="unplanned_form")

    # An inspection with who, how many, what was asked and a photo.
    page.goto(f"{page.base_url}/monitoring/reports/new/")
    page.select_option("#id_kind", "inspection")
    page.fill("#id_institution_name", "旗农牧和科技局")
    page.fill("#id_description", "检查春季防疫，要求全程陪同")
    page.fill("#id_seen_on", "2026-11-28")
    page.fill("#id_visitors", "旗农牧和科技局检查组")
    page.fill("#id_visitor_count", "6")
    page.fill("#id_asked", "汇报材料、防疫台账")
    page.fill("#id_hours", "5")
    page.set_input_files("#id_photos", str(photo))
    _send(page)
    inspection = BurdenReport.objects.get(kind="inspection")
    assert inspection.visitor_count == 6 and inspection.evidence.get().content_type == "image/jpeg"
    assert page.locator("[data-testid=evidence] img").count() == 1
    _no_horizontal_scroll(page)

    page.context.clear_cookies()
    log_in(page, "reviewer_org", PASSWORD)
    page.goto(f"{page.base_url}/monitoring/")
    waiting = page.locator("[data-testid=waiting]").inner_text()
    assert "旗应急管理局" in waiting and "旗农牧和科技局" in waiting
    _close(page, form_report.pk, "substantiated", "核实：该表不在年度计划内", "已责令停止直接向村下发表格")
    assert page.locator("[data-testid=status]").inner_text() == "属实"
    _close(page, inspection.pk, "substantiated", "核实：重复检查", "检查纳入全旗统一督查计划")
    assert "匿名" in page.locator("[data-testid=reporter]").inner_text()  # anonymous by default

    page.context.clear_cookies()
    log_in(page, "monitor", PASSWORD)
    page.goto(f"{page.base_url}/monitoring/reports/{form_report.pk}/")
    outcome = page.locator("[data-testid=outcome]").inner_text()
    assert "属实" in outcome and "已责令停止直接向村下发表格" in outcome
    _no_horizontal_scroll(page)

    page.context.clear_cookies()
    page.goto(f"{page.base_url}/monitoring/ranking/150223/")
    ranking = page.locator("[data-testid=ranking]").inner_text()
    assert "旗应急管理局" in ranking and "旗农牧和科技局" in ranking
    assert "高娃监测员" not in page.content()
    _no_horizontal_scroll(page)


def test_the_department_imports_points_and_monitors_on_a_phone(page, world, tmp_path, settings):
    """Upload → preview with per-row Chinese errors (nothing written) → a corrected file → confirm."""
    from monitoring.models import MonitorContact, MonitoringPoint

    settings.MEDIA_ROOT = tmp_path
    a1, a2, c1 = world.village_a1.code, world.village_a2.code, world.village_c1.code
    header = "村代码,村名,监测员账号,监测员姓名,监测员手机号,备注\n"
    bad = tmp_path / "监测点.csv"
    bad.write_text(
        header + f"{a1},哈达图嘎查,monitor,高娃,13812345678,\n{c1},东园村,,,,\n{a2},,monitor,高娃,1381234,\n",
        encoding="utf-8-sig",
    )
    good = tmp_path / "监测点（改）.csv"
    good.write_text(
        header + f"{a1},哈达图嘎查,monitor,高娃,13812345678,\n{a2},大苏吉嘎查,,,,\n", encoding="utf-8-sig"
    )

    log_in(page, "reviewer_org", PASSWORD)
    page.goto(f"{page.base_url}/monitoring/points/")
    with page.expect_navigation():
        page.click("[data-testid=points-import]")
    _no_horizontal_scroll(page)
    page.set_input_files("#id_file", str(bad))
    with page.expect_navigation():
        page.click("[data-testid=points-import-form] button")
    page.wait_for_selector("[data-testid=job-status][data-status=invalid]")
    errors = page.locator("[data-testid=import-errors]").inner_text()
    rows = [line.split("\t") for line in errors.splitlines()[1:]]  # the table: 行, 列, 错误
    assert ["3", "村代码", "这个村不在本县。"] in rows, errors
    assert "这个村不在本县" in errors and "11位手机号" in errors
    assert page.locator("[data-testid=import-confirm]").count() == 0
    assert not MonitoringPoint.objects.exists()
    _no_horizontal_scroll(page)

    page.goto(f"{page.base_url}/monitoring/points/import/")
    page.set_input_files("#id_file", str(good))
    with page.expect_navigation():
        page.click("[data-testid=points-import-form] button")
    page.wait_for_selector("[data-testid=job-status][data-status=checked]")
    assert not MonitoringPoint.objects.exists()  # the preview writes nothing
    with page.expect_navigation():
        page.click("[data-testid=import-confirm]")
    page.wait_for_selector("[data-testid=job-status][data-status=done]")
    assert set(MonitoringPoint.objects.values_list("village_id", flat=True)) == {a1, a2}
    assert MonitorContact.objects.get().phone_masked == "138****5678"
    page.goto(f"{page.base_url}/monitoring/points/")
    assert "13812345678" in page.locator("[data-testid=monitor-phone]").inner_text()
    _no_horizontal_scroll(page)


def test_a_monitor_withdraws_a_report_from_a_phone(page, world, file_report):
    """The reason is required (Chinese error, nothing changed); withdrawn, the department sees it and why."""
    from monitoring.models import BurdenReport

    report = file_report()
    log_in(page, "monitor", PASSWORD)
    page.goto(f"{page.base_url}/monitoring/reports/{report.pk}/")
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("[data-testid=withdraw-link]")
    with page.expect_navigation():
        page.click("[data-testid=withdraw]")
    assert "必须填写理由" in page.locator("[data-testid=error-reason]").inner_text()
    assert BurdenReport.objects.get(pk=report.pk).status == "open"
    page.fill("#id_reason", "单位写错了，另行上报")
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("[data-testid=withdraw]")
    assert "撤回" in page.locator("[data-testid=status]").inner_text()
    assert "单位写错了" in page.locator("[data-testid=withdrawal]").inner_text()
    assert page.locator("[data-testid=reporter-actions]").count() == 0
    _no_horizontal_scroll(page)

    page.context.clear_cookies()
    log_in(page, "reviewer_org", PASSWORD)
    page.goto(f"{page.base_url}/monitoring/reports/{report.pk}/")
    assert "单位写错了" in page.locator("[data-testid=withdrawal]").inner_text()
    assert page.locator("[data-testid=close-form]").count() == 0
