import datetime as dt

import pytest

from bianmin.appointments import selectors, services
from bianmin.appointments.exceptions import QueuePermissionDenied
from bianmin.appointments.models import Slot
from bianmin.catalog.models import ServiceItem
from tests.appointments.conftest import MONDAY
from tests.factories import StaffFactory


def test_slot_capacity_follows_the_windows_open_in_the_slot(world):
    slots = {s.start: s for s in Slot.objects.filter(hall=world.centre, on=MONDAY)}
    assert sorted(slots) == [dt.time(9), dt.time(10), dt.time(11)]
    assert slots[dt.time(9)].capacity == 3  # 01, 02 and 23
    assert slots[dt.time(10)].capacity == 2  # 02 closes at 10:00 on Mondays
    # the weekend is closed: three working days are Mon, Tue, Wed
    assert set(Slot.objects.filter(hall=world.centre).values_list("on", flat=True)) == {
        MONDAY,
        MONDAY + dt.timedelta(days=1),
        MONDAY + dt.timedelta(days=2),
    }


def test_items_taken_at_a_street_hall_are_nearby_in_the_catalog(world):
    item = ServiceItem.objects.get(pk=world.local_item.pk)
    assert item.is_taken_at_local_hall and item.is_nearby
    services.hall_items_set(hall=world.street_hall, items=[item], acting_user=world.admin, active=False)
    item.refresh_from_db()
    assert not item.is_taken_at_local_hall and not item.is_nearby  # only the centre takes it now


def test_district_wide_items_are_taken_at_every_hall_of_the_district(world):
    halls = set(selectors.halls_for_item(item=world.scope_item))
    assert halls == {world.centre, world.street_hall, world.far_hall}
    assert set(selectors.halls_for_item(item=world.local_item)) == {world.centre, world.street_hall}


def test_special_windows_serve_their_departments_comprehensive_windows_any_item(world):
    assert selectors.window_serves_item(window=world.w3, item=world.local_item)
    assert not selectors.window_serves_item(window=world.w3, item=world.scope_item)
    assert selectors.window_serves_item(window=world.w1, item=world.scope_item)


def test_only_the_halls_manager_edits_hall_data(world):
    with pytest.raises(QueuePermissionDenied):
        services.hall_items_set(hall=world.centre, items=[world.scope_item], acting_user=world.clerk)
    other_manager = StaffFactory(role="hall_manager", hall=world.street_hall)
    with pytest.raises(QueuePermissionDenied):
        services.window_schedule_set(window=world.w1, periods=[], acting_user=other_manager)
    services.window_schedule_set(window=world.w1, periods=[], acting_user=world.manager)


def test_nearest_halls_by_street_and_by_position_with_the_wait(world):
    rows = selectors.nearest_halls(item=world.scope_item, region=world.far_street)
    assert [r.hall for r in rows] == [world.far_hall, world.street_hall, world.centre]
    assert rows[0].distance_km == 0
    rows = selectors.nearest_halls(item=world.local_item, point=(23.371, 116.701))
    assert [r.hall for r in rows] == [world.centre, world.street_hall]
    for _n in range(4):
        services.ticket_take(hall=world.centre)
    wait = selectors.hall_wait(
        hall=world.centre, now=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    )
    # 4 waiting × 10 min default service time ÷ 3 windows open = 13.3 → 14 minutes
    assert (wait.waiting, wait.windows, wait.expected_minutes) == (4, 3, 14)


def test_nearby_share_per_street_counts_what_the_nearest_hall_takes_in(world):
    """就近可办 per street: the street's nearest hall takes the district-wide items and its listed ones."""
    from bianmin.appointments import figures

    def rows():
        return {
            r["street_code"]: r for r in figures.nearby_share_by_street(district_code=world.district.code)
        }

    before = rows()
    near, far = before[world.street.code], before[world.far_street.code]
    assert (near["hall_id"], far["hall_id"]) == (world.street_hall.pk, world.far_hall.pk)
    assert near["denominator"] == far["denominator"] >= 2
    assert near["numerator"] == far["numerator"] + 1  # the 社保卡 item is listed at the street hall only
    services.hall_items_set(hall=world.far_hall, items=[world.local_item], acting_user=world.admin)
    after = rows()[world.far_street.code]
    assert after["numerator"] == near["numerator"]
    assert after["share"] == round(after["numerator"] / after["denominator"], 4)


def test_a_closure_entered_in_the_working_day_calendar_closes_that_days_slots(world):
    """Publishing a schedule that makes Tuesday a day off: Tuesday's slots lose their places, and the booking is
    cancelled by the hall (test_closures.py: how the applicant is told)."""
    from bianmin.workdays.services import calendar_year_publish

    tuesday = MONDAY + dt.timedelta(days=1)
    booked = Slot.objects.get(hall=world.centre, on=tuesday, start=dt.time(9))
    services.appointment_book(acting_user=world.citizen, slot=booked)
    calendar_year_publish(
        year=2026,
        holidays=[{"name": "临时闭厅", "start": tuesday, "end": tuesday}],
        adjusted_workdays=[],
        acting_user=world.admin,
    )
    assert [(s.capacity, s.booked) for s in Slot.objects.filter(hall=world.centre, on=tuesday)] == [
        (0, 0),
        (0, 0),
        (0, 0),
    ]
    assert (
        Slot.objects.get(hall=world.centre, on=MONDAY, start=dt.time(9)).capacity == 3
    )  # other days as they were
