"""A citizen asks a colloquial question, finds 食品经营许可 and reads its 办事指南 (materials table included).

Screenshots of /items/ and of the guide go to a temporary folder; BIANMIN_SCREENSHOTS_DIR=docs/screenshots
refreshes the committed ones.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("BIANMIN_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def _shot(page, name):
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        return path

    return _shot


def test_citizen_finds_the_food_licence_by_a_colloquial_question(page, live_server, demo_data, shots):
    page.set_default_timeout(60_000)  # the shared 2-core machine is often saturated
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(live_server.url + "/")
    assert response.status == 200, page.content()[:2000]
    box = page.get_by_role("searchbox")
    box.fill("开饭店需要办什么证")
    box.press("Enter")

    page.wait_for_url("**/items/?q=*")
    results = page.locator("#item-results h2 a")
    expect(results.first).to_have_text("食品经营许可")
    expect(page.locator("#item-results .badge-online").first).to_be_visible()
    shots(page, "catalog-search-results")

    results.first.click()
    expect(page.locator("h1")).to_have_text("食品经营许可")
    # The parent item sends the citizen to the sub-item that is applied for (新办).
    page.get_by_role("link", name="食品经营许可（新办）").click()
    expect(page.locator("h1")).to_have_text("食品经营许可（新办）")

    table = page.locator("#materials-table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(7)
    expect(table.locator("tbody tr").first).to_contain_text("食品经营许可申请书")
    expect(table).to_contain_text("容缺后补")
    expect(table.get_by_role("link", name="空白表格").first).to_be_visible()
    headings = page.locator("h2.section-title").all_inner_texts()
    assert headings == [
        "一、受理条件",
        "二、申请材料",
        "三、办理时限与收费",
        "四、办理方式与地点",
        "五、设定依据",
    ]
    expect(page.get_by_role("link", name="在线申请").first).to_have_attribute(
        "href", "/apply/" + page.url.rstrip("/").rsplit("/", 1)[-1] + "/"
    )
    expect(page.locator("text=《中华人民共和国食品安全法》第三十五条")).to_be_visible()
    shots(page, "catalog-item-guide")

    # Printing hides the header, navigation and buttons.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="在线申请").first).to_be_hidden()


def test_browse_by_theme_and_flag(page, live_server, demo_data, shots):
    page.set_default_timeout(60_000)
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(live_server.url + "/items/")
    assert response.status == 200, page.content()[:2000]
    page.select_option("#f-theme", "social_assistance")
    page.get_by_label("一次办").check()
    page.get_by_role("button", name="应用筛选").click()
    expect(page.locator("#item-results")).to_contain_text("最低生活保障对象认定")
    expect(page.locator("#item-results")).not_to_contain_text("食品经营许可")
    page.goto(live_server.url + "/items/")
    shots(page, "catalog-items")
    page.goto(live_server.url + "/certificates/")
    expect(page.locator("#certificate-table")).to_contain_text("无犯罪记录证明")
    shots(page, "catalog-certificates")
