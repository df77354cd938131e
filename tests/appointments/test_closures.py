"""When the hall no longer opens at a booked time — a day off entered in the working-day calendar, or opening
hours changed so that no window serves the slot — the hall cancels the bookings, tells each applicant (message
centre and SMS) with a link to book again, and never counts it against them. Doing it twice changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from bianmin.appointments import selectors, services
from bianmin.appointments.constants import AppointmentState, CancelReason
from bianmin.appointments.models import Appointment, Slot
from bianmin.audit.models import AuditEntry
from bianmin.notifications.models import Message
from bianmin.notifications.senders import MemorySmsSender
from bianmin.workdays.services import calendar_year_publish
from tests.appointments.conftest import MONDAY, at
from tests.factories import StaffFactory

TUESDAY = MONDAY + dt.timedelta(days=1)


def _slot(world, day=TUESDAY, hour=9, hall=None):
    return Slot.objects.get(hall=hall or world.centre, on=day, start=dt.time(hour))


def _close_tuesday(world):
    calendar_year_publish(
        year=2026,
        holidays=[{"name": "临时闭厅", "start": TUESDAY, "end": TUESDAY}],
        adjusted_workdays=[],
        acting_user=world.admin,
    )


def test_a_day_off_entered_in_the_calendar_cancels_that_days_bookings_and_tells_each_applicant(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        online = services.appointment_book(
            acting_user=world.citizen, slot=_slot(world), item=world.local_item
        )
        phone = services.appointment_book(
            acting_user=world.clerk, slot=_slot(world, hour=10), name="王五", mobile="13912345678"
        )
        monday = services.appointment_book(acting_user=world.citizen, slot=_slot(world, day=MONDAY, hour=11))
    MemorySmsSender.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _close_tuesday(world)

    online.refresh_from_db()
    phone.refresh_from_db()
    assert (online.state, online.cancel_reason) == (AppointmentState.CANCELLED, CancelReason.DAY_CLOSED)
    assert (phone.state, phone.cancel_reason) == (AppointmentState.CANCELLED, CancelReason.DAY_CLOSED)
    assert online.is_cancelled_by_hall and online.cancelled_at is not None
    assert Appointment.objects.get(pk=monday.pk).state == AppointmentState.BOOKED  # other days untouched
    # the closed day holds no places and no bookings any more
    assert {(s.capacity, s.booked) for s in Slot.objects.filter(hall=world.centre, on=TUESDAY)} == {(0, 0)}

    rebook = f"/halls/{world.centre.pk}/book/?item={world.local_item.code}"
    message = Message.objects.get(
        recipient=world.citizen, target_ref=online.code, title__startswith="预约已由大厅取消"
    )
    assert message.link == rebook and "不计爽约" in message.body and "2026-03-03" in message.body
    texts = {m["mobile"]: m["text"] for m in MemorySmsSender.outbox}
    assert set(texts) == {world.citizen.mobile, "13912345678"}
    assert online.code in texts[world.citizen.mobile] and texts[world.citizen.mobile].endswith(rebook)
    assert phone.code in texts["13912345678"] and "重新预约：http" in texts["13912345678"]
    audit = AuditEntry.objects.filter(action="appointments.cancel_by_hall").order_by("id")
    assert [(e.actor_id, e.changes["reason"]) for e in audit] == [(world.admin.pk, "day_closed")] * 2

    # idempotent: syncing the day again (nightly job, the same schedule published again) tells nobody twice
    with django_capture_on_commit_callbacks(execute=True):
        services.slots_generate(hall=world.centre, start=MONDAY, working_days=3)
        services.slots_refresh(hall=world.centre)
        _close_tuesday(world)
    assert Message.objects.filter(title__startswith="预约已由大厅取消").count() == 1
    assert len(MemorySmsSender.outbox) == 2
    assert AuditEntry.objects.filter(action="appointments.cancel_by_hall").count() == 2


def test_a_booking_cancelled_by_the_hall_counts_against_nobody(world, clock):
    """Not a no-show, not one of the day's bookings: the applicant books again at once."""
    booking = services.appointment_book(acting_user=world.citizen, slot=_slot(world))
    _close_tuesday(world)
    clock.move_to(at(TUESDAY, 13))
    assert services.appointments_mark_no_shows() == 0
    assert Appointment.objects.get(pk=booking.pk).no_show_on is None
    assert selectors.person_bookings_on(person_key=booking.person_key, on=TUESDAY) == 0
    again = services.appointment_book(
        acting_user=world.citizen, slot=_slot(world, day=TUESDAY + dt.timedelta(days=1))
    )
    assert again.state == AppointmentState.BOOKED


def test_hours_changed_so_that_no_window_serves_the_slot_cancel_its_bookings_fewer_places_keep_them(
    world, django_capture_on_commit_callbacks
):
    nine, ten = _slot(world), _slot(world, hour=10)
    with django_capture_on_commit_callbacks(execute=True):
        at_nine = services.appointment_book(acting_user=world.citizen, slot=nine)
        at_ten = services.appointment_book(
            acting_user=world.clerk, slot=ten, name="王五", mobile="13912345678"
        )
    MemorySmsSender.outbox.clear()
    # window 01 closes on Tuesdays: fewer places at 09:00, but windows 02 and 23 still serve it
    with django_capture_on_commit_callbacks(execute=True):
        services.window_schedule_set(
            window=world.w1,
            periods=[(d, dt.time(9), dt.time(12)) for d in (0, 2, 3, 4)],
            acting_user=world.manager,
        )
    assert Appointment.objects.get(pk=at_nine.pk).state == AppointmentState.BOOKED
    assert MemorySmsSender.outbox == []
    # now every window opens only 09:00-10:00 on Tuesdays: the 10:00 booking has nobody to serve it
    with django_capture_on_commit_callbacks(execute=True):
        for window in (world.w2, world.w3):
            services.window_schedule_set(
                window=window,
                periods=[(1, dt.time(9), dt.time(10))] + [(d, dt.time(9), dt.time(12)) for d in (0, 2, 3, 4)],
                acting_user=world.manager,
            )
    assert Appointment.objects.get(pk=at_nine.pk).state == AppointmentState.BOOKED
    cancelled = Appointment.objects.get(pk=at_ten.pk)
    assert (cancelled.state, cancelled.cancel_reason) == (
        AppointmentState.CANCELLED,
        CancelReason.HOURS_CHANGED,
    )
    assert (Slot.objects.get(pk=ten.pk).capacity, Slot.objects.get(pk=ten.pk).booked) == (0, 0)
    assert [m["mobile"] for m in MemorySmsSender.outbox] == ["13912345678"]
    assert "开放时间调整" in MemorySmsSender.outbox[0]["text"]
    entry = AuditEntry.objects.get(action="appointments.cancel_by_hall")
    assert (entry.actor_id, entry.changes["reason"]) == (world.manager.pk, "hours_changed")


def test_closing_the_only_window_on_the_setup_page_cancels_the_street_halls_bookings(world, client):
    street_manager = StaffFactory(role="hall_manager", hall=world.street_hall)
    booking = services.appointment_book(acting_user=world.citizen, slot=_slot(world, hall=world.street_hall))
    client.force_login(street_manager)
    response = client.post(
        f"/workbench/halls/{world.street_hall.pk}/setup/",
        {"action": "window_active", "window": world.sw.pk, "is_active": "0"},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.state, booking.cancel_reason) == (AppointmentState.CANCELLED, CancelReason.HOURS_CHANGED)
    assert not Slot.objects.filter(hall=world.street_hall, on__gte=TUESDAY, capacity__gt=0).exists()


def test_a_slot_that_has_begun_is_left_alone(world, clock):
    """A closure entered during the day cancels the day's later bookings only: people may already be there."""
    early = services.appointment_book(acting_user=world.citizen, slot=_slot(world, day=MONDAY, hour=9))
    late = services.appointment_book(acting_user=world.citizen, slot=_slot(world, day=MONDAY, hour=11))
    clock.move_to(at(MONDAY, 9, 10))
    calendar_year_publish(
        year=2026,
        holidays=[{"name": "临时闭厅", "start": MONDAY, "end": MONDAY}],
        adjusted_workdays=[],
        acting_user=world.admin,
    )
    assert Appointment.objects.get(pk=early.pk).state == AppointmentState.BOOKED
    assert Appointment.objects.get(pk=late.pk).cancel_reason == CancelReason.DAY_CLOSED


def test_my_appointments_and_the_api_offer_to_book_again(world, client):
    booking = services.appointment_book(acting_user=world.citizen, slot=_slot(world), item=world.local_item)
    _close_tuesday(world)
    client.force_login(world.citizen)
    page = client.get("/my/appointments/").content.decode()
    assert (
        "不计爽约" in page and f'href="/halls/{world.centre.pk}/book/?item={world.local_item.code}"' in page
    )
    api = APIClient()
    api.force_authenticate(world.citizen)
    row = next(r for r in api.get("/api/v1/appointments/").json()["results"] if r["code"] == booking.code)
    assert (row["state"], row["cancel_reason"]) == ("cancelled", "day_closed")
    assert row["rebook_url"] == f"/halls/{world.centre.pk}/book/?item={world.local_item.code}"


@pytest.mark.parametrize("reason", [CancelReason.APPLICANT, CancelReason.STAFF])
def test_ordinary_cancellations_record_who_cancelled(world, reason):
    actor = world.citizen if reason == CancelReason.APPLICANT else world.manager
    booking = services.appointment_book(acting_user=world.citizen, slot=_slot(world))
    services.appointment_cancel(appointment=booking.code, acting_user=actor)
    booking.refresh_from_db()
    assert booking.cancel_reason == reason and not booking.is_cancelled_by_hall


def test_a_window_closed_through_the_organisations_api_cancels_at_once(
    world, django_capture_on_commit_callbacks
):
    """Not only the hall setup page: closing the street hall's only window with PATCH /api/v1/windows/<id>/
    takes its places out of the slots and cancels what no window can serve, in the same request."""
    street_manager = StaffFactory(role="hall_manager", hall=world.street_hall)
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.appointment_book(
            acting_user=world.citizen,
            slot=_slot(world, hall=world.street_hall),
        )
    MemorySmsSender.outbox.clear()
    api = APIClient()
    api.force_authenticate(street_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(f"/api/v1/windows/{world.sw.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200, response.content
    booking.refresh_from_db()
    assert (booking.state, booking.cancel_reason) == (AppointmentState.CANCELLED, CancelReason.HOURS_CHANGED)
    assert not Slot.objects.filter(hall=world.street_hall, capacity__gt=0).exists()
    assert [m["mobile"] for m in MemorySmsSender.outbox] == [world.citizen.mobile]
    # opening it again gives the places back; the cancelled booking stays cancelled
    api.patch(f"/api/v1/windows/{world.sw.pk}/", {"is_active": True}, format="json")
    assert Slot.objects.get(pk=_slot(world, hall=world.street_hall).pk).capacity == 1
    assert Appointment.objects.get(pk=booking.pk).state == AppointmentState.CANCELLED
