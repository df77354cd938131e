"""The look of the shells in a real browser: phone widths, 长辈版, the phone menu, focus; screenshots.

Screenshots are written to a temporary folder; set BIANMIN_SCREENSHOTS_DIR=docs/screenshots to refresh the
committed ones.
"""

import os
import re
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
        assert path.stat().st_size > 10_000  # a real rendering, not a blank page
        return path

    return _shot


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_portal_home_desktop(page, live_server, demo_data, shots):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("您要办什么事？")
    expect(page.get_by_role("searchbox")).to_have_attribute(
        "placeholder", "请输入您要办理的事项，如：开饭店、低保、社保卡"
    )
    assert _overflow(page) <= 0
    # The CJK font stack is in use and the brand colour is the government blue.
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"PingFang SC"')
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-nav')).backgroundColor")
        == "rgb(11, 87, 176)"
    )
    shots(page, "portal-home-desktop")


@pytest.mark.parametrize("width", [360, 390])
def test_portal_home_on_a_phone_has_no_horizontal_scroll_and_a_menu_button(
    page, live_server, demo_data, shots, width
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/")
    assert _overflow(page) <= 0
    nav = page.locator("#site-nav")
    toggle = page.locator("button[aria-controls=site-nav]")
    expect(nav).to_be_hidden()
    toggle.click()
    expect(nav).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(nav).to_be_hidden()
    if width == 390:
        shots(page, "portal-home-phone")


def test_elderly_mode_without_and_with_javascript(browser, live_server, demo_data, shots):
    # Without JavaScript the switch is a plain form: the server sets the cookie and redirects back.
    context = browser.new_context(
        java_script_enabled=False, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="长辈版").click()
    page.wait_for_load_state()
    assert any(c["name"] == "elderly" and c["value"] == "1" for c in context.cookies())
    context.close()

    # With JavaScript the class flips at once and larger type applies.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"
    page.get_by_role("button", name="长辈版").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\belderly\b"))
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    assert any(c["name"] == "elderly" and c["value"] == "1" for c in context.cookies())
    page.reload()
    expect(page.locator("body")).to_have_class(re.compile(r"\belderly\b"))
    # Fewer items per row: the theme grid shows two columns instead of four.
    columns = page.evaluate(
        "getComputedStyle(document.querySelector('.grid-tiles')).gridTemplateColumns.split(' ').length"
    )
    assert columns == 2
    shots(page, "portal-home-elderly")
    context.close()


def test_skip_link_is_first_and_focus_is_visible(page, live_server, demo_data):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("跳到主要内容")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"


def test_data_confirm_asks_before_following_a_link(page, live_server, demo_data):
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => { const a = document.createElement('a'); a.id = 'danger'; a.href = '/lookup/';
        a.textContent = '作废'; a.dataset.confirm = '作废后不可恢复，确定作废吗？'; document.querySelector('main').prepend(a); }"""
    )
    messages = []

    def dismiss(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("#danger")
    assert messages == ["作废后不可恢复，确定作废吗？"]
    assert page.url == live_server.url + "/"
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("#danger")
    assert page.url == live_server.url + "/lookup/"


def test_clerk_workbench(page, sign_in, shots):
    sign_in(page, "clerk")
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.locator(".wb-sidebar")).to_contain_text("工作台首页")
    assert _overflow(page) <= 0
    shots(page, "workbench-clerk")


def test_admin_index_is_branded(page, live_server, sign_in, shots):
    sign_in(page, "admin")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/admin/")
    expect(page.locator("#site-name")).to_contain_text("龙湖区政务服务网")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('#header')).backgroundColor")
        == "rgb(8, 58, 117)"
    )
    shots(page, "admin-index")


_INDENT = """() => {
    const header = document.querySelector('.site-header .container');
    const start = header.getBoundingClientRect().left + parseFloat(getComputedStyle(header).paddingLeft);
    return Math.round(document.querySelector('main h1').getBoundingClientRect().left - start);
}"""


def test_citizen_pages_on_a_phone_have_no_horizontal_scroll(page, live_server, sign_in):
    # The message centre's tab strip scrolls inside itself; its visually hidden "条未读" once escaped it and
    # widened the whole page by 60 px at 375 px.
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "citizen")
    for path in (
        "/my/",
        "/my/messages/",
        "/my/cases/",
        "/my/licences/",
        "/my/appointments/",
        "/requests/new/",
        "/my/requests/",
        "/halls/",
        "/ratings/",
    ):
        page.goto(live_server.url + path)
        assert _overflow(page) <= 0, path
        # The heading starts where the header's brand does (pages that opened a second .container were indented).
        assert page.evaluate(_INDENT) == 0, path
    # A form card opening with hidden inputs (csrf, idempotency key) has no extra gap above its first field.
    page.goto(live_server.url + "/requests/new/")
    first_field = "getComputedStyle(document.querySelector('main form .form-field')).marginTop"
    assert page.evaluate(first_field) == "0px"
    # Figure headers over right-aligned numbers are right-aligned too (.table th's left once won over .text-right).
    page.goto(live_server.url + "/ratings/")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('main th.text-right')).textAlign") == "right"
    )
