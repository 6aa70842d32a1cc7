"""The township's plaque walk in a real browser at phone width (390 px): record with a photo, see the
violations and the compliant preview, record a removal, and the county's count moves."""

from __future__ import annotations

import pytest

from .browser import log_in, page_width
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page):
    assert page_width(page) <= 390


def test_township_records_a_plaque_from_a_phone(page, world, rules, tmp_path):
    from PIL import Image

    photo = tmp_path / "plaque.jpg"
    Image.new("RGB", (3000, 4000), (240, 240, 240)).save(photo, format="JPEG")
    not_image = tmp_path / "plaque2.jpg"
    not_image.write_bytes(b"this is a text file pretending to be a photo")
    village = world.village_a1.code

    log_in(page, "township", PASSWORD)
    page.goto(f"{page.base_url}/plaques/villages/")
    page.click(f'[data-testid="signage-villages"] [data-code="{village}"]')
    page.wait_for_selector('[data-testid="plaque-preview"]')
    assert page.locator('[data-testid="plaque-preview"] svg').count() == 6
    assert "哈达图嘎查党组织" in page.locator('[data-testid="plaque-preview"]').inner_html()
    # The Song face is served by the registry itself (no CDN) and loads.
    loaded = page.evaluate("""() => document.fonts.load('20px "Registry Song"', '党').then(f => f.length)""")
    assert loaded == 1
    _no_horizontal_scroll(page)

    page.click('[data-testid="add-plaque"]')
    page.select_option("#id_which", "outside|__other__")
    page.fill("#id_text", "哈达图嘎查综治工作站")
    page.fill("#id_owner_department", "旗委政法委")
    # The phone's number field takes no letters ("abc" is refused server-side: test_signage_pages).
    page.fill("#id_width_cm", "40")
    page.fill("#id_height_cm", "200")
    page.set_input_files("#id_photo", str(not_image))
    page.click('[data-testid="save-plaque"]')
    page.wait_for_load_state("domcontentloaded")
    assert "该文件不是照片" in page.locator("main").inner_text()
    _no_horizontal_scroll(page)

    page.set_input_files("#id_photo", str(photo))
    page.click('[data-testid="save-plaque"]')
    page.wait_for_selector('[data-testid="violations"]')
    violations = page.locator('[data-testid="violations"]').inner_text()
    assert "不得悬挂" in violations and "除上述4个标牌和2个标识外" in violations
    assert page.locator('[data-testid="plaques"] img').count() == 1
    _no_horizontal_scroll(page)

    page.goto(f"{page.base_url}/plaques/figures/{world.county.code}/")
    assert page.locator('[data-figure="removed"]').inner_text() == "0"
    assert page.locator('[data-figure="non_compliant"]').inner_text() == "1"

    page.goto(f"{page.base_url}/plaques/villages/{village}/")
    page.locator('[data-testid^="remove-"]').first.click()
    page.set_input_files("#id_photo", str(photo))
    page.click('[data-testid="save-removal"]')
    page.wait_for_selector('[data-testid="removed"]')
    assert "哈达图嘎查综治工作站" in page.locator('[data-testid="removed"]').inner_text()

    page.goto(f"{page.base_url}/plaques/figures/{world.county.code}/")
    assert page.locator('[data-figure="removed"]').inner_text() == "1"
    assert page.locator('[data-figure="non_compliant"]').inner_text() == "0"
    _no_horizontal_scroll(page)


def test_township_records_village_attributes_from_a_phone(page, world, rules):
    log_in(page, "township", PASSWORD)
    page.goto(f"{page.base_url}/divisions/?parent={world.township_a.code}")
    _no_horizontal_scroll(page)
    page.click(f'[data-testid="edit-{world.village_a1.code}"]')
    page.select_option("#id_area_type", "pastoral")
    page.fill("#id_households", "260")
    page.fill("#id_service_floor_area", "120")
    page.click('[data-testid="save-attributes"]')
    page.wait_for_selector('[data-testid="floor-minimum"]')
    assert page.locator('[data-testid="attr-floor-area"]').inner_text().startswith("120.0")
    assert "150.0" in page.locator('[data-testid="floor-minimum"]').inner_text()
    assert "260" in page.locator('[data-testid="attr-households"]').inner_text()
