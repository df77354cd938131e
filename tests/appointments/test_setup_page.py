"""The hall manager's setup page: windows with weekly schedules and items, prefixes, items taken in."""

import datetime as dt

from bianmin.appointments.models import HallItem, HallSetting, TicketCategory, WindowItem, WindowSchedule
from bianmin.organisations.models import Window
from tests.factories import StaffFactory


def _url(hall) -> str:
    return f"/workbench/halls/{hall.pk}/setup/"


def test_only_the_halls_manager_and_platform_admins_open_the_setup_page(world, client):
    client.force_login(world.manager)
    page = client.get(_url(world.centre))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-window="23"' in html and 'data-category="C"' in html and world.local_item.code in html
    assert client.get(_url(world.street_hall)).status_code == 404  # another hall: not theirs
    client.force_login(world.clerk)
    assert client.get(_url(world.centre)).status_code == 403  # clerks call numbers, they do not set up halls
    assert client.get("/workbench/halls/").status_code == 403  # nor read the manager's figures
    client.force_login(world.admin)
    assert client.get(_url(world.street_hall)).status_code == 200


def test_the_manager_sets_a_weekly_schedule_in_plain_text(world, client):
    client.force_login(world.manager)
    response = client.post(
        _url(world.centre),
        {
            "action": "schedule",
            "window": world.w3.pk,
            "day1": "09:00-12:00， 14:30-17:30",
            "day3": "9:00-11:00",
        },
    )
    assert response.status_code == 302
    assert list(WindowSchedule.objects.filter(window=world.w3).values_list("weekday", "start", "end")) == [
        (1, dt.time(9), dt.time(12)),
        (1, dt.time(14, 30), dt.time(17, 30)),
        (3, dt.time(9), dt.time(11)),
    ]
    refused = client.post(
        _url(world.centre), {"action": "schedule", "window": world.w3.pk, "day0": "早上九点"}
    )
    assert refused.status_code == 400 and "09:00-12:00" in refused.content.decode()
    assert WindowSchedule.objects.filter(window=world.w3).count() == 3  # unchanged
    # a window of another hall cannot be reached through this hall's page
    other = client.post(_url(world.centre), {"action": "schedule", "window": world.sw.pk, "day0": ""})
    assert other.status_code == 404
    assert WindowSchedule.objects.filter(window=world.sw).exists()


def test_the_manager_maintains_windows_items_prefixes_and_settings(world, client):
    client.force_login(world.manager)
    post = lambda data: client.post(_url(world.centre), data)  # noqa: E731
    assert (
        post(
            {
                "action": "window_add",
                "number": "30",
                "name": "社保",
                "kind": "special",
                "departments": [world.social.pk],
            }
        ).status_code
        == 302
    )
    window = Window.objects.get(hall=world.centre, number="30")
    assert (
        post({"action": "window_items", "window": window.pk, "items": world.local_item.code}).status_code
        == 302
    )
    assert list(WindowItem.objects.filter(window=window).values_list("item__code", flat=True)) == [
        world.local_item.code
    ]
    assert post({"action": "items_add", "items": f"{world.scope_item.code}\n"}).status_code == 302
    assert HallItem.objects.filter(hall=world.centre, item=world.scope_item, is_active=True).exists()
    unknown = post({"action": "items_add", "items": "NO-SUCH-ITEM"})
    assert unknown.status_code == 400 and "NO-SUCH-ITEM" in unknown.content.decode()
    assert (
        post(
            {"action": "category", "letter": "b", "name": "市场监管", "departments": [world.department.pk]}
        ).status_code
        == 302
    )
    assert TicketCategory.objects.get(hall=world.centre, letter="B").departments.get() == world.department
    assert (
        post({"action": "setting", "slot_minutes": "30", "appointments_per_window": "3"}).status_code == 302
    )
    assert HallSetting.objects.get(hall=world.centre).slot_minutes == 30
    assert post({"action": "hall", "address": "新址", "latitude": "23.1", "longitude": ""}).status_code == 400
    assert post({"action": "window_active", "window": window.pk, "is_active": "0"}).status_code == 302
    assert not Window.objects.get(pk=window.pk).is_active


def test_a_manager_of_another_hall_posts_nothing_here(world, client):
    client.force_login(StaffFactory(role="hall_manager", hall=world.street_hall))
    response = client.post(_url(world.centre), {"action": "items_add", "items": world.scope_item.code})
    assert response.status_code == 404
    assert not HallItem.objects.filter(hall=world.centre, item=world.scope_item).exists()


def test_workbench_navigation_leads_clerks_to_calling_and_bookings_and_managers_to_setup(world, client):
    client.force_login(world.clerk)
    html = client.get("/workbench/").content.decode()
    assert 'href="/workbench/queue/"' in html and 'href="/workbench/appointments/"' in html
    assert 'href="/workbench/halls/setup/"' not in html
    client.force_login(world.manager)
    assert 'href="/workbench/halls/setup/"' in client.get("/workbench/").content.decode()
    assert client.get("/workbench/halls/setup/")["Location"] == _url(world.centre)
