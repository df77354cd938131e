"""A citizen books a slot, checks in at the kiosk with the booking code, the clerk calls the number and the hall's
big screen shows it without a reload (htmx polling). Screenshots of the kiosk and the display go to docs/screenshots/."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from bianmin.organisations.models import Hall, Window

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BEIJING = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def monday_morning():
    """A working Monday, 08:30 in Longhu; the clock keeps ticking so htmx polling sees fresh data."""
    with time_machine.travel(dt.datetime(2026, 11, 30, 8, 30, tzinfo=BEIJING), tick=True) as traveller:
        yield traveller


def test_book_check_in_call_and_see_it_on_the_display(monday_morning, browser, live_server, sign_in):
    centre = Hall.objects.get(name="龙湖区政务服务中心")
    window = Window.objects.get(hall=centre, number="01")

    citizen = sign_in(
        browser.new_context(locale="zh-CN").new_page(), "citizen", next_path=f"/halls/{centre.pk}/book/"
    )
    expect(citizen.locator("h1")).to_contain_text("龙湖区政务服务中心")
    with citizen.expect_navigation():
        citizen.locator("button[data-slot='09:00']").first.click()
    assert "/my/appointments/" in citizen.url, citizen.locator("main").inner_text()
    expect(citizen.locator("main")).to_contain_text("预约成功")
    # the seeded demo already holds a booking of the citizen's for the next working day; today's come first
    # (soonest on top), so the first card is today's 09:00 booking, the one just made
    today_card = citizen.locator("article", has_text="2026-11-30 09:00")
    expect(today_card).to_have_count(1)
    expect(citizen.locator("[data-section='upcoming'] article").first).to_contain_text("2026-11-30 09:00")
    code = today_card.locator(".booking-code").inner_text().strip()
    assert len(code) == 8
    expect(citizen.locator("main")).to_contain_text(f"预约码 {code}")

    monday_morning.move_to(dt.datetime(2026, 11, 30, 9, 1, tzinfo=BEIJING))  # the slot has begun

    kiosk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    kiosk.goto(f"{live_server.url}/halls/{centre.pk}/kiosk/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    kiosk.screenshot(path=str(SHOTS / "queue-kiosk.png"))
    kiosk.locator("#code").fill(code)
    kiosk.get_by_role("button", name="签到取号").click()
    number = kiosk.locator("[data-ticket-number]").inner_text().strip()
    expect(kiosk.locator(".kiosk-ticket")).to_contain_text("预约优先")
    kiosk.screenshot(path=str(SHOTS / "queue-kiosk-ticket.png"))
    # the 完成 link styled as a button: its text must not take the screen's white link colour on white
    done = kiosk.locator(".kiosk-btn-secondary")
    colours = done.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
    assert colours[0] != colours[1], colours

    display = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080}).new_page()
    display.goto(f"{live_server.url}/halls/{centre.pk}/display/")
    expect(display.locator(f"[data-called='{number}']")).to_have_count(0)
    # a mark on the page's window object survives only if the page is never reloaded or navigated
    display.evaluate("window.__sameDisplayPage = true")
    display_loads = []
    display.on("load", lambda _page: display_loads.append(1))

    clerk = sign_in(browser.new_context(locale="zh-CN").new_page(), "clerk", next_path="/workbench/")
    clerk.goto(f"{live_server.url}/workbench/queue/?window={window.pk}")
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="叫下一位").click()
    expect(clerk.locator("[data-current]")).to_have_text(number)  # the holder goes ahead of the walk-ins

    expect(display.locator(f"[data-called='{number}']")).to_be_visible(
        timeout=10_000
    )  # no reload: htmx polling
    expect(display.locator("tr.is-latest")).to_contain_text("01 号窗口")
    assert display.evaluate("window.__sameDisplayPage === true") and display_loads == []
    display.screenshot(path=str(SHOTS / "queue-display.png"))
