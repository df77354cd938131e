"""The people's voice in a real browser: a citizen asks the smart guide, files a complaint, the hotline dispatches
it, the department answers, the citizen confirms and rates the service; screenshots of /guide/ and /ratings/.

Screenshots go to docs/screenshots/ (voice-guide.png, voice-desk-request.png, voice-department-request.png,
voice-ratings.png, voice-rate-phone.png).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


def test_ask_complain_answer_rate(page, browser, live_server, sign_in):
    url = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. the smart guide answers a plain question with items, key facts and the FAQ
    page.goto(url + "/guide/")
    page.get_by_label("您的问题").fill("开奶茶店要办什么证")
    page.get_by_role("button", name="提问").click()
    first = page.locator(".guide-item").first
    expect(first).to_contain_text("食品经营许可")
    expect(first).to_contain_text("申请材料")
    expect(first.get_by_role("link", name="查看指南并申请")).to_have_attribute(
        "href", re.compile(r"^/items/")
    )
    expect(page.locator(".guide-faq").first).to_contain_text("开饭店、奶茶店要办什么证")
    _shot(page, "voice-guide")

    # 2. the citizen files a complaint
    sign_in(page, "citizen", next_path="/requests/new/")
    page.get_by_label("诉求类型").select_option("complaint")
    page.get_by_label("标题").fill("奶茶店卫生差")
    page.get_by_label("诉求内容").fill(
        "金霞街道一家奶茶店后厨卫生很差，食品过期仍在销售，请市场监管部门检查。"
    )
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".request-state")).to_have_text("待分办")
    number = page.url.rstrip("/").rsplit("/", 1)[-1]

    # 3. the hotline classifies it and dispatches it to the suggested department
    desk = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(desk, "hotline", next_path=f"/workbench/requests/{number}/")
    desk.locator("#classify-category").select_option("food-safety")
    desk.locator("#classify-form").get_by_role("button", name="保存分类").click()
    expect(desk.locator(".kv")).to_contain_text("食品安全")
    expect(desk.locator("#department option[selected]")).to_contain_text("市场监督管理局")
    _shot(desk, "voice-desk-request")
    desk.locator("#dispatch-form").get_by_role("button", name="分办").click()
    expect(desk.locator(".request-state")).to_have_text("办理中")

    # 4. the department answers
    reviewer = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(reviewer, "reviewer", next_path=f"/workbench/requests/{number}/")
    reviewer.get_by_label("答复内容").fill("已于当日现场检查，责令该店停业整改并下架过期食品。")
    reviewer.locator("#answer-form").get_by_role("button", name="提交答复").click()
    expect(reviewer.locator(".request-state")).to_have_text("已答复")
    _shot(reviewer, "voice-department-request")

    # 5. the citizen confirms and rates the service
    page.goto(f"{url}/my/requests/{number}/")
    expect(page.locator(".request-answer")).to_contain_text("责令该店停业整改")
    page.get_by_role("button", name="确认办结").click()
    expect(page.locator(".request-state")).to_have_text("已办结")
    page.get_by_role("link", name="评价本次服务").click()
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("办事效率").check()
    page.get_by_label("意见建议（差评请写明原因）").fill("处理很及时。")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".given-level")).to_have_text("满意")
    expect(page.get_by_role("button", name="提交追评")).to_be_visible()

    # the rate page on a phone
    phone = browser.new_page(viewport={"width": 375, "height": 740}, locale="zh-CN")
    phone.goto(page.url)
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    _shot(phone, "voice-rate-phone")

    # 6. the public figures count it, without personal data
    page.goto(url + "/ratings/")
    expect(page.locator("h1")).to_have_text("政务服务好差评")
    expect(page.locator("main")).to_contain_text("汕头市龙湖区市场监督管理局")
    expect(page.locator("main")).not_to_contain_text("处理很及时")
    _shot(page, "voice-ratings")

    # 7. in English, the request's history reads the stored channel and kind in English
    with page.expect_navigation():
        page.locator("form[action='/i18n/setlang/'] button[value='en']").click()
    page.goto(f"{url}/my/requests/{number}/")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Website")
    expect(timeline).to_contain_text("Complaint")
    expect(timeline).not_to_contain_text("网站")
