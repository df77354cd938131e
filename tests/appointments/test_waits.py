"""The nearest-hall finder's "today's expected wait" counts the queue the applicant would join for the item (the
business category its number would be issued under, with the windows open now that call it), the whole hall when
no category applies; and it costs the same number of queries however many halls are listed."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from bianmin.appointments import selectors, services
from bianmin.appointments.constants import TicketState
from bianmin.appointments.models import QueueTicket
from bianmin.organisations.constants import HallKind, WindowKind
from tests.appointments.conftest import MONDAY, at
from tests.factories import HallFactory, WindowFactory


def _queue(world):
    """At the centre 3 walk-ins in A (综合) and 1 社保 number in C; at the street hall 2 in A."""
    for _n in range(3):
        services.ticket_take(hall=world.centre)
    services.ticket_take(hall=world.centre, item=world.local_item)
    for _n in range(2):
        services.ticket_take(hall=world.street_hall)


def test_the_wait_counts_the_queue_of_the_items_category(world, clock):
    _queue(world)
    clock.move_to(at(MONDAY, 9, 30))  # windows 01, 02 (comprehensive) and 23 (社保, special) are open
    social = {r.hall: r.wait for r in selectors.nearest_halls(item=world.local_item)}
    centre = social[world.centre]
    # 社保卡申领 is a 社保 item: it joins C, where 1 waits, called by 01, 02 and 23 → 1 × 10 min ÷ 3 → 4 min
    assert (centre.category.letter, centre.waiting, centre.windows, centre.expected_minutes) == ("C", 1, 3, 4)
    # the street hall maps nothing to 社保: its default A queue (2 waiting, one window) is the one to join
    street = social[world.street_hall]
    assert (street.category.letter, street.waiting, street.windows, street.expected_minutes) == (
        "A",
        2,
        1,
        20,
    )

    market = {r.hall: r.wait for r in selectors.nearest_halls(item=world.scope_item)}
    # 个体工商户登记 (市场监管) has no category of its own at the centre: the default A — 3 waiting, and only the
    # comprehensive windows 01 and 02 call A (the 社保 window 23 does not) → 3 × 10 ÷ 2 → 15 min
    centre = market[world.centre]
    assert (centre.category.letter, centre.waiting, centre.windows, centre.expected_minutes) == (
        "A",
        3,
        2,
        15,
    )
    # a hall without categories: the whole hall's queue
    assert market[world.far_hall].category is None and market[world.far_hall].waiting == 0

    # without an item (the finder's plain list, the hall's own figure): the whole hall
    whole = selectors.hall_wait(hall=world.centre)
    assert (whole.category, whole.waiting, whole.windows, whole.expected_minutes) == (None, 4, 3, 14)


def test_the_wait_follows_the_halls_service_time_and_ignores_numbers_no_longer_waiting(world, clock):
    _queue(world)
    clock.move_to(at(MONDAY, 9, 30))
    served = QueueTicket.objects.filter(hall=world.centre, category__letter="A").order_by("pk").first()
    QueueTicket.objects.filter(pk=served.pk).update(
        state=TicketState.DONE, called_at=at(MONDAY, 9), finished_at=at(MONDAY, 9, 30)
    )
    wait = {r.hall: r.wait for r in selectors.nearest_halls(item=world.scope_item)}[world.centre]
    # 2 still waiting in A × 30 min (the centre's median so far) ÷ 2 windows
    assert (wait.waiting, wait.service_minutes, wait.expected_minutes) == (2, 30.0, 30)


def test_the_finder_shows_the_queue_and_the_api_names_it(world, clock, client):
    _queue(world)
    clock.move_to(at(MONDAY, 9, 30))
    page = client.get(f"/halls/?item={world.local_item.code}").content.decode()
    assert 'data-queue="C"' in page and 'data-queue="A"' in page
    rows = APIClient().get(f"/api/v1/nearest-halls/?item={world.local_item.code}").json()
    by_hall = {r["id"]: r for r in rows}
    assert (by_hall[world.centre.pk]["queue_letter"], by_hall[world.centre.pk]["waiting"]) == ("C", 1)
    assert (by_hall[world.street_hall.pk]["queue_letter"], by_hall[world.street_hall.pk]["waiting"]) == (
        "A",
        2,
    )


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_wait_costs_the_same_queries_for_three_halls_or_nine(world, clock):
    _queue(world)
    clock.move_to(at(MONDAY, 9, 30))
    selectors.nearest_halls(
        item=world.scope_item, region=world.street
    )  # the item's version and department load
    three = _queries(lambda: selectors.nearest_halls(item=world.scope_item, region=world.street))
    for n in range(6):  # more halls of the district, each with a window, a schedule, a category and a queue
        hall = HallFactory(name=f"社区站{n}", kind=HallKind.COMMUNITY_STATION, region=world.street)
        window = WindowFactory(
            hall=hall, number="01", kind=WindowKind.SPECIAL, departments=[world.department]
        )
        services.window_schedule_set(
            window=window, periods=[(0, dt.time(9), dt.time(12))], acting_user=world.admin
        )
        services.ticket_category_set(
            hall=hall, letter="B", name="市场监管", acting_user=world.admin, departments=[world.department]
        )
        services.ticket_take(hall=hall, item=world.scope_item)
    rows = []
    nine = _queries(lambda: rows.extend(selectors.nearest_halls(item=world.scope_item, region=world.street)))
    assert len(rows) == 9
    assert nine == three <= 12
    station = next(r.wait for r in rows if r.hall.name == "社区站0")
    assert (station.category.letter, station.waiting, station.windows) == ("B", 1, 1)
    assert _queries(lambda: selectors.hall_waits(halls=[r.hall for r in rows])) <= 6
