"""The hall-data API: read by everybody, written by platform admins and by a hall's manager for their own hall."""

import datetime as dt

from rest_framework.test import APIClient

from bianmin.appointments import services
from bianmin.appointments.models import HallItem, Slot, TicketCategory, WindowItem, WindowSchedule
from bianmin.audit.models import AuditEntry
from bianmin.organisations.models import Hall, Window
from tests.appointments.conftest import MONDAY
from tests.factories import StaffFactory


def _api(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def test_everybody_reads_the_hall_data(world):
    api = _api()
    items = api.get(f"/api/v1/halls/{world.street_hall.pk}/items/").json()
    by_code = {r["code"]: r["source"] for r in items["results"]}
    # the listed 就近办 item, and the district-wide (通办) item every hall of the district takes in
    assert by_code == {world.local_item.code: "listed", world.scope_item.code: "district"}
    listed = api.get(f"/api/v1/halls/{world.street_hall.pk}/items/?source=listed").json()
    assert [r["code"] for r in listed["results"]] == [world.local_item.code]

    setup = {w["number"]: w for w in api.get(f"/api/v1/halls/{world.centre.pk}/window-setup/").json()}
    assert setup["23"]["kind"] == "special" and setup["23"]["departments"] == [world.social.short_code]
    assert {(p["weekday"], p["start"], p["end"]) for p in setup["02"]["periods"]} >= {(0, "09:00", "10:00")}
    assert api.get(f"/api/v1/halls/{world.centre.pk}/booking-setting/").json() == {
        "slot_minutes": 60,
        "appointments_per_window": 1,
    }
    categories = api.get(f"/api/v1/halls/{world.centre.pk}/ticket-categories/").json()
    assert [(c["letter"], c["departments"], c["is_default"]) for c in categories] == [
        ("A", [], True),
        ("C", [world.social.short_code], False),
    ]
    windows = api.get(f"/api/v1/halls/{world.centre.pk}/windows/").json()
    assert [w["number"] for w in windows] == ["01", "02", "23"]
    # and nobody writes without signing in
    assert api.put(
        f"/api/v1/windows/{world.w1.pk}/schedule/", {"periods": []}, format="json"
    ).status_code in (
        401,
        403,
    )


def test_the_manager_edits_their_hall_address_position_and_hours(world):
    api = _api(world.manager)
    response = api.patch(
        f"/api/v1/halls/{world.centre.pk}/",
        {
            "address": "新地址 1 号",
            "latitude": "23.380000",
            "longitude": "116.710000",
            "opening_hours": "周一至周六",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    world.centre.refresh_from_db()
    assert (world.centre.address, str(world.centre.latitude), world.centre.opening_hours) == (
        "新地址 1 号",
        "23.380000",
        "周一至周六",
    )
    assert AuditEntry.objects.filter(action="hall.update", actor_role="hall_manager").exists()
    # the name and kind are the platform administrator's
    refused = api.patch(f"/api/v1/halls/{world.centre.pk}/", {"name": "改名"}, format="json")
    assert refused.status_code == 400 and "name" in refused.json()["detail"]
    # a position needs both coordinates, and in range
    half = api.patch(f"/api/v1/halls/{world.centre.pk}/", {"latitude": "23.1"}, format="json")
    assert half.status_code == 400 and "latitude" in half.json()["fields"]
    wrong = api.patch(
        f"/api/v1/halls/{world.centre.pk}/", {"latitude": "123", "longitude": "116"}, format="json"
    )
    assert wrong.status_code == 400 and "latitude" in wrong.json()["fields"]
    admin = _api(world.admin).patch(
        f"/api/v1/halls/{world.centre.pk}/", {"name": "区中心（新）"}, format="json"
    )
    assert admin.status_code == 200 and admin.json()["name"] == "区中心（新）"


def test_a_hall_manager_cannot_edit_another_hall(world):
    api = _api(world.manager)  # manager of the centre
    other = world.street_hall
    assert api.patch(f"/api/v1/halls/{other.pk}/", {"address": "x"}, format="json").status_code == 403
    assert (
        api.post(
            f"/api/v1/halls/{other.pk}/items/", {"items": [world.scope_item.code]}, format="json"
        ).status_code
        == 403
    )
    put = api.put(
        f"/api/v1/windows/{world.sw.pk}/schedule/",
        {"periods": [{"weekday": 0, "start": "09:00", "end": "12:00"}]},
        format="json",
    )
    assert put.status_code == 403
    assert (
        api.put(
            f"/api/v1/halls/{other.pk}/booking-setting/",
            {"slot_minutes": 30, "appointments_per_window": 2},
            format="json",
        ).status_code
        == 403
    )
    assert (
        api.post(
            f"/api/v1/halls/{other.pk}/ticket-categories/", {"letter": "Z", "name": "其他"}, format="json"
        ).status_code
        == 403
    )
    assert (
        api.post(
            f"/api/v1/halls/{other.pk}/windows/",
            {"number": "09", "name": "x", "kind": "comprehensive"},
            format="json",
        ).status_code
        == 403
    )
    # nor move one of their windows into another hall
    moved = api.patch(f"/api/v1/windows/{world.w1.pk}/", {"number": "01"}, format="json")
    assert moved.status_code == 200
    assert Hall.objects.get(pk=other.pk).address != "x"
    assert not WindowSchedule.objects.filter(window=world.sw, weekday=0).exclude(start=dt.time(9)).exists()
    # clerks and citizens edit no hall data, not even their own hall's
    for user in (world.clerk, world.citizen):
        assert (
            _api(user).patch(f"/api/v1/halls/{world.centre.pk}/", {"address": "y"}, format="json").status_code
            == 403
        )
        assert (
            _api(user)
            .put(f"/api/v1/windows/{world.w1.pk}/schedule/", {"periods": []}, format="json")
            .status_code
            == 403
        )


def test_windows_and_their_schedules_and_items(world):
    api = _api(world.manager)
    created = api.post(
        f"/api/v1/halls/{world.centre.pk}/windows/",
        {"number": "24", "name": "社保专窗", "kind": "special", "departments": [world.social.short_code]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    window = Window.objects.get(pk=created.json()["id"])
    assert window.hall == world.centre and list(window.departments.all()) == [world.social]
    duplicate = api.post(
        f"/api/v1/halls/{world.centre.pk}/windows/",
        {"number": "24", "name": "x", "kind": "special"},
        format="json",
    )
    assert duplicate.status_code == 400
    bad_kind = api.post(
        f"/api/v1/halls/{world.centre.pk}/windows/",
        {"number": "25", "name": "x", "kind": "vip"},
        format="json",
    )
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()["fields"]
    unknown_dept = api.patch(f"/api/v1/windows/{window.pk}/", {"departments": ["9999"]}, format="json")
    assert unknown_dept.status_code == 400 and "departments" in unknown_dept.json()["fields"]

    schedule = api.put(
        f"/api/v1/windows/{window.pk}/schedule/",
        {
            "periods": [
                {"weekday": 1, "start": "09:00", "end": "12:00"},
                {"weekday": 1, "start": "14:30", "end": "17:30"},
            ]
        },
        format="json",
    )
    assert schedule.status_code == 200, schedule.json()
    assert [(p["weekday"], p["start"], p["end"]) for p in schedule.json()["periods"]] == [
        (1, "09:00", "12:00"),
        (1, "14:30", "17:30"),
    ]
    overlap = api.put(
        f"/api/v1/windows/{window.pk}/schedule/",
        {
            "periods": [
                {"weekday": 1, "start": "09:00", "end": "12:00"},
                {"weekday": 1, "start": "11:00", "end": "13:00"},
            ]
        },
        format="json",
    )
    assert overlap.status_code == 400 and overlap.json()["code"] == "period_overlap"
    assert "重叠" in overlap.json()["detail"]
    backwards = api.put(
        f"/api/v1/windows/{window.pk}/schedule/",
        {"periods": [{"weekday": 7, "start": "12:00", "end": "09:00"}]},
        format="json",
    )
    assert backwards.status_code == 400 and "periods" in backwards.json()["fields"]

    items = api.put(f"/api/v1/windows/{window.pk}/items/", {"items": [world.local_item.code]}, format="json")
    assert items.status_code == 200 and items.json()["items"] == [world.local_item.code]
    assert WindowItem.objects.filter(window=window).count() == 1
    comprehensive = api.put(
        f"/api/v1/windows/{world.w1.pk}/items/", {"items": [world.local_item.code]}, format="json"
    )
    assert comprehensive.status_code == 400 and comprehensive.json()["code"] == "window_not_special"
    unknown = api.put(f"/api/v1/windows/{window.pk}/items/", {"items": ["NOPE"]}, format="json")
    assert unknown.status_code == 400 and "items" in unknown.json()["fields"]


def test_items_taken_in_setting_and_prefixes(world):
    api = _api(world.manager)
    added = api.post(
        f"/api/v1/halls/{world.centre.pk}/items/", {"items": [world.scope_item.code]}, format="json"
    )
    assert added.json() == {"changed": 1}
    assert HallItem.objects.filter(hall=world.centre, item=world.scope_item, is_active=True).exists()
    withdrawn = api.post(
        f"/api/v1/halls/{world.centre.pk}/items/",
        {"items": [world.local_item.code], "active": False},
        format="json",
    )
    assert withdrawn.json() == {"changed": 1}
    empty = api.post(f"/api/v1/halls/{world.centre.pk}/items/", {"items": []}, format="json")
    assert empty.status_code == 400 and "items" in empty.json()["fields"]

    bad = api.put(
        f"/api/v1/halls/{world.centre.pk}/booking-setting/",
        {"slot_minutes": 5, "appointments_per_window": 2},
        format="json",
    )
    assert bad.status_code == 400 and "slot_minutes" in bad.json()["fields"]
    ok = api.put(
        f"/api/v1/halls/{world.centre.pk}/booking-setting/",
        {"slot_minutes": 60, "appointments_per_window": 2},
        format="json",
    )
    assert ok.status_code == 200
    # the slots already generated follow at once: 3 windows × 2 at 09:00 on Tuesday
    tuesday = MONDAY + dt.timedelta(days=1)
    assert Slot.objects.get(hall=world.centre, on=tuesday, start=dt.time(9)).capacity == 6

    category = api.post(
        f"/api/v1/halls/{world.centre.pk}/ticket-categories/",
        {"letter": "b", "name": "市场监管", "departments": [world.department.short_code]},
        format="json",
    )
    assert category.status_code == 200 and category.json()["letter"] == "B"
    assert services.category_for(hall=world.centre, item=world.scope_item).letter == "B"
    not_a_letter = api.post(
        f"/api/v1/halls/{world.centre.pk}/ticket-categories/", {"letter": "1", "name": "x"}, format="json"
    )
    assert not_a_letter.status_code == 400 and "letter" in not_a_letter.json()["fields"]
    unknown_theme = api.post(
        f"/api/v1/halls/{world.centre.pk}/ticket-categories/",
        {"letter": "D", "name": "x", "themes": ["no-such-theme"]},
        format="json",
    )
    assert unknown_theme.status_code == 400 and "themes" in unknown_theme.json()["fields"]
    assert api.delete(f"/api/v1/halls/{world.centre.pk}/ticket-categories/B/").status_code == 204
    assert not TicketCategory.objects.filter(hall=world.centre, letter="B").exists()
    services.ticket_take(
        hall=world.centre, category=TicketCategory.objects.get(hall=world.centre, letter="C")
    )
    in_use = api.delete(f"/api/v1/halls/{world.centre.pk}/ticket-categories/C/")
    assert in_use.status_code == 409 and in_use.json()["code"] == "category_in_use"


def test_schedule_changes_resize_and_close_generated_slots(world):
    """Closing window 01 on Tuesdays takes its places out of Tuesday's slots; what is booked stays."""
    tuesday = MONDAY + dt.timedelta(days=1)
    slot = Slot.objects.get(hall=world.centre, on=tuesday, start=dt.time(9))
    assert slot.capacity == 3
    services.appointment_book(acting_user=world.citizen, slot=slot)
    services.window_schedule_set(
        window=world.w1,
        periods=[(d, dt.time(9), dt.time(12)) for d in (0, 2, 3, 4)],
        acting_user=world.manager,
    )
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked) == (2, 1)
    # every window closed on Tuesdays: no places left, and the hall cancels the booking (test_closures.py)
    for window in (world.w2, world.w3):
        services.window_schedule_set(
            window=window,
            periods=[(d, dt.time(9), dt.time(12)) for d in (0, 2, 3, 4)],
            acting_user=world.admin,
        )
    assert [(s.capacity, s.booked) for s in Slot.objects.filter(hall=world.centre, on=tuesday)] == [
        (0, 0),
        (0, 0),
        (0, 0),
    ]


def test_only_platform_admins_create_halls(world):
    payload = {
        "name": "新社区站",
        "kind": "community_station",
        "region": world.street.code,
        "address": "某路 2 号",
        "latitude": "23.41",
        "longitude": "116.77",
    }
    assert _api(world.manager).post("/api/v1/halls/", payload, format="json").status_code == 403
    created = _api(world.admin).post("/api/v1/halls/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["region_code"] == world.street.code
    unknown_region = _api(world.admin).post(
        "/api/v1/halls/", {**payload, "name": "x", "region": "1"}, format="json"
    )
    assert unknown_region.status_code == 400 and "region" in unknown_region.json()["fields"]
    other_manager = StaffFactory(role="hall_manager", hall=world.street_hall)
    assert (
        _api(other_manager)
        .patch(f"/api/v1/halls/{created.json()['id']}/", {"address": "z"}, format="json")
        .status_code
        == 403
    )
