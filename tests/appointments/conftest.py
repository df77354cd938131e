"""A small district: a centre and a street hall with windows, schedules, categories, two items and slots.

The clock is frozen on Monday 2026-03-02 08:00 Beijing time (a working day, before opening)."""

from __future__ import annotations

import datetime as dt
import itertools
import types

import pytest
import time_machine

from bianmin.appointments import services
from bianmin.appointments.exceptions import SlotFull
from bianmin.organisations.constants import HallKind, RegionLevel, WindowKind
from bianmin.workdays import workcalendar
from tests.catalog.helpers import make_published_item
from tests.factories import (
    CitizenFactory,
    DepartmentFactory,
    HallFactory,
    RegionFactory,
    StaffFactory,
    WindowFactory,
)

BEIJING = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.date(2026, 3, 2)
_worlds = itertools.count(1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    workcalendar.invalidate()
    yield
    workcalendar.invalidate()


@pytest.fixture
def clock():
    with time_machine.travel(at(MONDAY, 8), tick=False) as traveller:
        yield traveller


def build_world(*, per_window: int = 1) -> types.SimpleNamespace:
    n = next(_worlds)
    district = RegionFactory(code=f"44{n:02d}07000000", name=f"测试区{n}", level=RegionLevel.DISTRICT)
    street = RegionFactory(
        code=f"44{n:02d}07001000", name=f"测试街道{n}", level=RegionLevel.STREET, parent=district
    )
    far_street = RegionFactory(
        code=f"44{n:02d}07002000", name=f"远郊街道{n}", level=RegionLevel.STREET, parent=district
    )
    department = DepartmentFactory(region=district, short_name="市场监管")
    social = DepartmentFactory(region=district, short_name="社保")
    centre = HallFactory(name=f"区中心{n}", region=district, latitude="23.370000", longitude="116.700000")
    street_hall = HallFactory(
        name=f"街道中心{n}",
        kind=HallKind.STREET_HALL,
        region=street,
        latitude="23.400000",
        longitude="116.760000",
    )
    far_hall = HallFactory(
        name=f"远郊中心{n}",
        kind=HallKind.STREET_HALL,
        region=far_street,
        latitude="23.500000",
        longitude="116.900000",
    )
    w1 = WindowFactory(hall=centre, number="01", kind=WindowKind.COMPREHENSIVE)
    w2 = WindowFactory(hall=centre, number="02", kind=WindowKind.COMPREHENSIVE)
    w3 = WindowFactory(hall=centre, number="23", kind=WindowKind.SPECIAL, departments=[social])
    sw = WindowFactory(hall=street_hall, number="01", kind=WindowKind.COMPREHENSIVE)
    admin = StaffFactory(platform_admin=True)
    local_item = make_published_item(department=social, universal_scope="", name="社保卡申领")
    scope_item = make_published_item(department=department, universal_scope="4", name="个体工商户登记")
    morning = (dt.time(9, 0), dt.time(12, 0))
    for window in (w1, w2, w3, sw):
        services.window_schedule_set(
            window=window, periods=[(d, *morning) for d in range(5)], acting_user=admin
        )
    # window 02 is open only until 10:00 on Mondays: fewer places after 10:00
    services.window_schedule_set(
        window=w2,
        periods=[(0, dt.time(9, 0), dt.time(10, 0))] + [(d, *morning) for d in range(1, 5)],
        acting_user=admin,
    )
    for hall in (centre, street_hall):
        services.hall_setting_set(
            hall=hall, acting_user=admin, slot_minutes=60, appointments_per_window=per_window
        )
        services.ticket_category_set(hall=hall, letter="A", name="综合", acting_user=admin, is_default=True)
    category_c = services.ticket_category_set(
        hall=centre, letter="C", name="社保", acting_user=admin, departments=[social]
    )
    services.hall_items_set(hall=street_hall, items=[local_item], acting_user=admin)
    services.hall_items_set(hall=centre, items=[local_item], acting_user=admin)
    for hall in (centre, street_hall):
        services.slots_generate(hall=hall, start=MONDAY, working_days=3)
    return types.SimpleNamespace(
        district=district,
        street=street,
        far_street=far_street,
        department=department,
        social=social,
        centre=centre,
        street_hall=street_hall,
        far_hall=far_hall,
        w1=w1,
        w2=w2,
        w3=w3,
        sw=sw,
        admin=admin,
        local_item=local_item,
        scope_item=scope_item,
        category_c=category_c,
        clerk=StaffFactory(window_clerk=True, hall=centre),
        other_clerk=StaffFactory(window_clerk=True, hall=street_hall),
        manager=StaffFactory(role="hall_manager", hall=centre),
        citizen=CitizenFactory(),
    )


@pytest.fixture
def world(db, clock):
    return build_world()


def race(jobs) -> list:
    """Run each job in its own thread and connection, all released at once; "locked" (SQLite) is retried."""
    import threading

    from django.db import OperationalError, connections

    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=20)
            for _attempt in range(300):
                try:
                    outcomes[index] = job()
                    return
                except OperationalError as locked:
                    if "locked" not in str(locked):
                        raise
                    threading.Event().wait(0.01)
            outcomes[index] = "gave up"
        except SlotFull:
            outcomes[index] = "full"
        except Exception as unexpected:
            outcomes[index] = repr(unexpected)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return outcomes
