"""The "done means" walk in a real browser at phone width: a township clerk records, issues and refuses;
the county's civil-affairs user sees the demanding institution counted and sends it a letter."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from .browser import log_in, page_width
from .factories import PASSWORD
from .fixtures_certificates import VALID_ID, VALID_ID_X

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page):
    assert page_width(page) <= 392


def _record(page, world, name, id_number, certificate, purpose, institution):
    page.goto(f"{page.base_url}/certificates/register/new/")
    page.select_option("#id_village", world.village_a1.pk)
    page.fill("#id_applicant_name", name)
    page.fill("#id_id_number", id_number)
    page.fill("#id_certificate_name", certificate)
    page.fill("#id_purpose", purpose)
    page.fill("#id_institution_name", institution)
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("[data-testid=request-form] button")


def _pdf_text(page) -> str:
    href = page.locator("[data-testid=document-link]").get_attribute("href")
    response = page.request.get(page.base_url + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    return "".join(text.split())


def test_record_issue_refuse_and_send_a_letter(page, world, cert_lists):
    log_in(page, "township", PASSWORD)
    # Bad input first: a wrong check digit is said in Chinese and nothing is recorded.
    _record(page, world, "其木格", VALID_ID[:-1] + "1", "在世证明", "领取养老金", "某商业银行")
    assert "校验码" in page.locator("[data-testid=error-id_number]").inner_text()
    # Issue a retained-list certificate.
    _record(page, world, "张建国", VALID_ID_X, "草场承包证明", "申请草原保险", "某保险公司")
    assert "BL-02" in page.locator("[data-testid=item]").inner_text()
    assert (
        VALID_ID_X not in page.content()
        and "********" in page.locator("[data-testid=id-masked]").inner_text()
    )
    with page.expect_navigation():
        page.click("#a-issue button.btn-success")
    assert page.locator("[data-testid=status]").inner_text() == "已出具"
    assert "草场（土地）承包经营情况证明" in _pdf_text(page)
    # Refuse a negative-list one, asked for in traditional characters.
    _record(page, world, "其木格", VALID_ID, "在世證明", "领取养老金", "某商业银行")
    assert "FM-10 健在证明" in page.locator("[data-testid=item]").inner_text()
    with page.expect_navigation():
        page.click("#a-refuse button.btn-danger")
    assert page.locator("[data-testid=status]").inner_text() == "不予出具（负面清单）"
    slip = _pdf_text(page)
    assert "FM-10" in slip and "健在证明" in slip and "某商业银行" in slip
    _no_horizontal_scroll(page)

    page.context.clear_cookies()
    log_in(page, "reviewer_civil", PASSWORD)
    page.goto(f"{page.base_url}/certificates/demands/")
    ranking = page.locator("[data-testid=ranking]")
    assert "某商业银行" in ranking.inner_text() and "1 次" in ranking.inner_text()
    assert "某保险公司" not in ranking.inner_text()  # an issued certificate is no unreasonable demand
    _no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("[data-testid=ranking] button")
    assert "民函〔" in page.locator("[data-testid=actions]").inner_text()
    assert "已发函 1" in page.locator("[data-testid=ranking]").inner_text()


def test_the_public_check_at_phone_width(page, world, cert_lists):
    page.goto(f"{page.base_url}/certificates/check/")
    page.fill("#id_q", "证明老人还活着")
    page.fill("#id_division", "150223")
    with page.expect_navigation():
        page.click("[data-testid=check-form] button")
    answer = page.locator("[data-testid=check-answer]")
    assert answer.get_attribute("data-answer") == "no" and "健在证明" in answer.inner_text()
    _no_horizontal_scroll(page)
