import datetime as dt

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from bianmin.appointments import selectors, services
from bianmin.appointments.constants import AppointmentState
from bianmin.appointments.exceptions import (
    BookingBlocked,
    DailyLimitReached,
    QueueNotFound,
    QueuePermissionDenied,
    SlotFull,
)
from bianmin.appointments.models import Appointment, Slot
from tests.appointments.conftest import MONDAY, at, build_world, race
from tests.factories import CitizenFactory


def _slot(world, day=MONDAY, hour=9):
    return Slot.objects.get(hall=world.centre, on=day, start=dt.time(hour))


def test_online_booking_cancel_and_reschedule_move_the_counters(world):
    slot, later = _slot(world), _slot(world, hour=11)
    a = services.appointment_book(acting_user=world.citizen, slot=slot, item=world.local_item)
    assert (a.state, a.channel, a.user) == (AppointmentState.BOOKED, "online", world.citizen)
    assert Slot.objects.get(pk=slot.pk).booked == 1
    services.appointment_reschedule(appointment=a.code, slot=later, acting_user=world.citizen)
    assert (Slot.objects.get(pk=slot.pk).booked, Slot.objects.get(pk=later.pk).booked) == (0, 1)
    services.appointment_cancel(appointment=a.code, acting_user=world.citizen)
    assert Slot.objects.get(pk=later.pk).booked == 0
    assert Appointment.objects.get(pk=a.pk).state == AppointmentState.CANCELLED


def test_a_full_slot_refuses_and_idempotency_returns_the_same_booking(world):
    slot = _slot(world, hour=10)  # capacity 2
    first = services.appointment_book(acting_user=world.citizen, slot=slot, idempotency_key="k1")
    again = services.appointment_book(acting_user=world.citizen, slot=slot, idempotency_key="k1")
    assert again.pk == first.pk
    services.appointment_book(acting_user=CitizenFactory(), slot=slot)
    with pytest.raises(SlotFull):
        services.appointment_book(acting_user=CitizenFactory(), slot=slot)
    assert Slot.objects.get(pk=slot.pk).booked == 2


def test_phone_booking_by_staff_of_the_hall_only(world):
    slot = _slot(world)
    a = services.appointment_book(acting_user=world.clerk, slot=slot, name="王五", mobile="13912345678")
    assert (a.channel, a.user, a.mobile_masked) == ("phone", None, "139****5678")
    with pytest.raises(QueuePermissionDenied):
        services.appointment_book(acting_user=world.other_clerk, slot=slot, name="赵六", mobile="13912345679")
    with pytest.raises(QueueNotFound):  # another hall's clerk does not see it
        services.appointment_cancel(appointment=a.code, acting_user=world.other_clerk)


@override_settings(APPOINTMENT_DAILY_LIMIT=2)
def test_per_person_per_day_limit(world):
    services.appointment_book(acting_user=world.citizen, slot=_slot(world, hour=9))
    services.appointment_book(acting_user=world.citizen, slot=_slot(world, hour=10))
    with pytest.raises(DailyLimitReached):
        services.appointment_book(acting_user=world.citizen, slot=_slot(world, hour=11))
    services.appointment_book(acting_user=world.citizen, slot=_slot(world, day=MONDAY + dt.timedelta(days=1)))


def test_three_no_shows_in_30_days_block_online_booking_for_30_days(world, clock):
    tue, wed = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)
    for day in (MONDAY, tue):
        services.appointment_book(acting_user=world.citizen, slot=_slot(world, day=day))
    clock.move_to(at(wed, 8))
    assert services.appointments_mark_no_shows() == 2
    services.appointment_book(
        acting_user=world.citizen, slot=_slot(world, day=wed)
    )  # two no-shows: still allowed
    clock.move_to(at(wed, 13))
    assert services.appointments_mark_no_shows() == 1
    services.slots_generate(hall=world.centre, start=wed, working_days=30)
    next_week = Slot.objects.filter(hall=world.centre, on__gt=wed).order_by("on", "start").first()
    with pytest.raises(BookingBlocked) as refused:
        services.appointment_book(acting_user=world.citizen, slot=next_week)
    assert refused.value.extra["blocked_until"] == (wed + dt.timedelta(days=30)).isoformat()
    # staff may still book by phone for the same person; the block ends after 30 days
    assert (
        selectors.person_no_show_block_until(
            person_key=f"u:{world.citizen.pk}", today=wed + dt.timedelta(days=31)
        )
        is None
    )


def _book_in_threads(slot_pk: int, users: list) -> list:
    def booking(user):
        def job():
            services.appointment_book(acting_user=user, slot=slot_pk)
            return "booked"

        return job

    return race([booking(u) for u in users])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_overbooking_under_concurrent_bookings(clock):
    """Eight people book the last places of a 2-place slot at the same moment, each in its own thread and
    connection: exactly two get in, the others are told the slot is full, and the counter equals the rows."""
    world = build_world()
    slot = Slot.objects.get(hall=world.centre, on=MONDAY, start=dt.time(10))
    assert slot.capacity == 2
    users = [CitizenFactory() for _n in range(8)]
    outcomes = _book_in_threads(slot.pk, users)
    assert sorted(outcomes) == ["booked"] * 2 + ["full"] * 6, outcomes
    slot.refresh_from_db()
    assert slot.booked == 2 == Appointment.objects.filter(slot=slot).count()


def test_my_appointments_list_today_and_upcoming_first_then_past(world, clock, client):
    """我的预约: today's and upcoming bookings soonest first, then past ones latest first (page and API)."""
    tuesday, wednesday = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)
    monday_9 = services.appointment_book(acting_user=world.citizen, slot=_slot(world))
    wednesday_9 = services.appointment_book(acting_user=world.citizen, slot=_slot(world, wednesday))
    tuesday_11 = services.appointment_book(acting_user=world.citizen, slot=_slot(world, tuesday, 11))
    tuesday_9 = services.appointment_book(acting_user=world.citizen, slot=_slot(world, tuesday))
    clock.move_to(at(tuesday, 8))  # Monday's booking is now in the past
    client.force_login(world.citizen)
    page = client.get("/my/appointments/").content.decode()
    order = [
        page.index(f'data-appointment="{a.code}"') for a in (tuesday_9, tuesday_11, wednesday_9, monday_9)
    ]
    assert order == sorted(order)
    assert page.index('data-section="upcoming"') < order[0] and order[2] < page.index('data-section="past"')
    assert page.index('data-section="past"') < order[3]
    assert "data-ticket-link" not in page
    ticket = services.appointment_check_in(hall=world.centre, code=tuesday_9.code)  # at the kiosk
    page = client.get("/my/appointments/").content.decode()
    assert f"/tickets/{ticket.token}/" in page  # the phone page with how many are ahead

    api = APIClient()
    api.force_authenticate(world.citizen)
    codes = [r["code"] for r in api.get("/api/v1/appointments/").json()["results"]]
    assert codes == [tuesday_9.code, tuesday_11.code, wednesday_9.code, monday_9.code]


def test_rescheduling_and_cancelling_on_the_web_by_the_applicant_and_by_hall_staff(world, client):
    tuesday = MONDAY + dt.timedelta(days=1)
    mine = services.appointment_book(acting_user=world.citizen, slot=_slot(world))
    client.force_login(world.citizen)
    page = client.get(f"/my/appointments/{mine.code}/reschedule/").content.decode()
    assert f'data-slot="{tuesday.isoformat()} 10:00"' in page
    moved = client.post(f"/my/appointments/{mine.code}/reschedule/", {"slot": _slot(world, tuesday, 10).pk})
    assert moved.status_code == 302 and moved["Location"] == "/my/appointments/"
    mine.refresh_from_db()
    assert (mine.on, mine.slot.start) == (tuesday, dt.time(10))
    assert (_slot(world).booked, _slot(world, tuesday, 10).booked) == (0, 1)

    # a phone booking by the clerk, listed for the day, moved and cancelled on the phone
    client.force_login(world.clerk)
    booked = client.post(
        f"/halls/{world.centre.pk}/book/",
        {"slot": _slot(world, tuesday).pk, "name": "李四", "mobile": "13900139000"},
    )
    phone = Appointment.objects.get(name="李四")
    assert booked["Location"] == f"/workbench/appointments/?hall={world.centre.pk}&date={tuesday.isoformat()}"
    listing = client.get(booked["Location"]).content.decode()
    assert f'data-appointment="{phone.code}"' in listing and f'data-appointment="{mine.code}"' in listing
    assert "139****9000" in listing and "13900139000" not in listing
    client.post(f"/workbench/appointments/{phone.code}/reschedule/", {"slot": _slot(world, tuesday, 11).pk})
    phone.refresh_from_db()
    assert phone.slot.start == dt.time(11)
    client.post(f"/workbench/appointments/{phone.code}/cancel/")
    assert Appointment.objects.get(pk=phone.pk).state == AppointmentState.CANCELLED

    # another hall's clerk neither sees nor moves the centre's bookings
    client.force_login(world.other_clerk)
    assert client.get(f"/workbench/appointments/{mine.code}/reschedule/").status_code == 404
    assert client.post(f"/workbench/appointments/{mine.code}/cancel/").status_code == 404
    assert Appointment.objects.get(pk=mine.pk).state == AppointmentState.BOOKED


def test_phone_booking_page_for_staff_is_one_form_with_slots_to_pick(world, client):
    client.force_login(world.clerk)
    page = client.get(f"/halls/{world.centre.pk}/book/").content.decode()
    assert page.count('type="radio" name="slot"') == Slot.objects.filter(hall=world.centre).count()
    slot = _slot(world, MONDAY + dt.timedelta(days=1))
    refused = client.post(
        f"/halls/{world.centre.pk}/book/",
        {"slot": slot.pk, "name": "王五", "mobile": "123", "idempotency_key": "k"},
    )
    html = refused.content.decode()
    assert refused.status_code == 200 and "请填写正确的手机号码" in html and 'value="王五"' in html
    assert (
        f'value="{slot.pk}" required checked' in html and not Appointment.objects.filter(name="王五").exists()
    )
    ok = client.post(
        f"/halls/{world.centre.pk}/book/",
        {"slot": slot.pk, "name": "王五", "mobile": "13700137000", "idempotency_key": "k"},
    )
    assert ok.status_code == 302 and Appointment.objects.get(name="王五").channel == "phone"
