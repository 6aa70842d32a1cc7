"""The gate in a real browser, on a phone-sized screen: live screening (htmx, no inline script), filing, progress chart."""

import pytest

from .browser import log_in
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csp_errors(page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return errors


def test_file_a_request_with_live_screening(page, world, gate_lists):
    errors = _csp_errors(page)
    log_in(page, "submitter", PASSWORD)
    page.goto(f"{page.base_url}/gate/requests/new/")
    assert "新建准入申请" in page.locator("h1").inner_text()
    page.check("input[name=village_role][value=assist]")
    page.fill("#id_title", "违法建筑拆除")
    page.fill("#id_description", "由村委会负责本村违法建筑拆除工作")
    verdict = page.locator('[data-testid="screening-verdict"]')
    verdict.wait_for(timeout=10000)
    page.wait_for_selector('[data-verdict="block"]', timeout=10000)
    assert "FM-02" in page.locator('[data-testid="live-screening"]').inner_text()
    page.fill("#id_title", "开展春季植树")
    page.fill("#id_description", "协助林草局组织村民义务植树，林草局提供树苗")
    page.wait_for_selector('[data-verdict="review"]', timeout=10000)
    page.check("input[name=scope_kind][value=townships]")
    assert page.locator('[data-scope-panel="townships"]').is_visible()
    page.check(f"input[name=townships][value='{world.township_a.code}']")
    page.click('[data-testid="save-submit"]')
    page.wait_for_selector('[data-testid="request-status"]')
    assert page.locator('[data-testid="request-status"]').get_attribute("data-status") == "in_review"
    assert not errors, errors


def test_progress_chart_draws(page, world, make_request):
    from gate import services

    req = make_request("approved")
    services.access_request_dispatch(user=world.user("submitter"), request_id=req.pk)
    errors = _csp_errors(page)
    log_in(page, "submitter", PASSWORD)
    page.goto(f"{page.base_url}/gate/requests/{req.pk}/progress/")
    page.wait_for_function(
        "() => typeof Chart === 'function' && Chart.getChart('progress-chart') !== undefined"
    )
    assert "百灵庙镇" in page.locator('[data-testid="progress-table"]').inner_text()
    assert not errors, errors
