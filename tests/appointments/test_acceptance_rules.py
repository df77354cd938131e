"""Issue #6 acceptance points the other files leave open: a clerk acts only in their own hall for every queue and
booking action; a holder's 过号 is a no-show that counts towards the online-booking block; a holder who comes
after the slot has ended takes a number like everybody else; concurrent reschedules never overbook a slot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from bianmin.appointments import selectors, services
from bianmin.appointments.constants import AppointmentState, TicketState
from bianmin.appointments.exceptions import (
    AppointmentStateConflict,
    AppointmentValidationError,
    QueueNotFound,
    QueuePermissionDenied,
    SlotFull,
)
from bianmin.appointments.models import Appointment, QueueTicket, Slot
from tests.appointments.conftest import MONDAY, at, build_world, race
from tests.factories import CitizenFactory, make_id_card


def _slot(world, day=MONDAY, hour=9, hall=None):
    return Slot.objects.get(hall=hall or world.centre, on=day, start=dt.time(hour))


def test_a_clerk_of_another_hall_can_do_nothing_with_this_halls_numbers_or_bookings(world, clock):
    booking = services.appointment_book(acting_user=world.citizen, slot=_slot(world))
    clock.move_to(at(MONDAY, 9, 5))
    ticket = services.ticket_take(hall=world.centre)
    services.ticket_call_next(window=world.w1, acting_user=world.clerk)
    stranger = world.other_clerk  # a window clerk of the street hall
    for action in (services.ticket_no_show, services.ticket_start, services.ticket_finish):
        with pytest.raises(QueueNotFound):
            action(ticket=ticket.pk, acting_user=stranger)
    with pytest.raises(QueueNotFound):
        services.ticket_transfer(ticket=ticket.pk, acting_user=stranger, window=world.w2)
    with pytest.raises(QueueNotFound):
        services.ticket_open_case(
            ticket=ticket.pk,
            acting_user=stranger,
            item=world.local_item,
            applicant={"kind": "person", "name": "张三", "id_no": make_id_card(3), "mobile": "13800138000"},
        )
    with pytest.raises(QueuePermissionDenied):
        services.ticket_take(hall=world.centre, acting_user=stranger)
    with pytest.raises(QueuePermissionDenied):
        services.appointment_check_in(hall=world.centre, code=booking.code, acting_user=stranger)
    with pytest.raises(QueueNotFound):
        services.appointment_reschedule(
            appointment=booking.code, slot=_slot(world, hour=11), acting_user=stranger
        )
    with pytest.raises(QueueNotFound):
        selectors.ticket_get_for_staff(user=stranger, pk=ticket.pk)
    # nothing moved
    ticket.refresh_from_db()
    assert (ticket.state, ticket.window_id, ticket.transfer_count) == (TicketState.CALLED, world.w1.pk, 0)
    assert Appointment.objects.get(pk=booking.pk).state == AppointmentState.BOOKED
    # and the own hall's clerk cannot send a number to another hall's window
    with pytest.raises(AppointmentValidationError):
        services.ticket_transfer(ticket=ticket.pk, acting_user=world.clerk, window=world.sw)


@override_settings(APPOINTMENT_NO_SHOW_LIMIT=1)
def test_a_checked_in_holder_marked_no_show_at_the_window_counts_towards_the_block(world, clock):
    booking = services.appointment_book(acting_user=world.citizen, slot=_slot(world))
    clock.move_to(at(MONDAY, 9, 1))
    services.appointment_check_in(hall=world.centre, code=booking.code)
    ticket = services.ticket_call_next(window=world.w1, acting_user=world.clerk)
    services.ticket_recall(ticket=ticket.pk, acting_user=world.clerk)
    services.ticket_no_show(ticket=ticket.pk, acting_user=world.clerk)
    booking.refresh_from_db()
    assert (booking.state, booking.no_show_on) == (AppointmentState.NO_SHOW, MONDAY)
    assert selectors.person_no_show_block_until(
        person_key=booking.person_key, today=MONDAY
    ) == MONDAY + dt.timedelta(days=30)


def test_a_holder_after_the_slot_ended_is_sent_to_take_a_number_and_gets_no_priority(world, clock):
    booking = services.appointment_book(acting_user=world.citizen, slot=_slot(world))
    clock.move_to(at(MONDAY, 10, 5))
    with pytest.raises(AppointmentStateConflict):
        services.appointment_check_in(hall=world.centre, code=booking.code)
    walk_in = services.ticket_take(hall=world.centre)
    assert walk_in.priority_from is None and walk_in.appointment_id is None
    # a booking of another hall or another day is not found here
    tomorrow = services.appointment_book(
        acting_user=world.citizen, slot=_slot(world, day=MONDAY + dt.timedelta(1))
    )
    with pytest.raises(QueueNotFound):
        services.appointment_check_in(hall=world.centre, code=tomorrow.code)
    with pytest.raises(QueueNotFound):
        services.appointment_check_in(hall=world.street_hall, code=booking.code)


def test_rescheduling_into_a_full_slot_is_refused_and_keeps_the_old_place(world):
    full = _slot(world, hour=10)  # 2 places
    for _n in range(2):
        services.appointment_book(acting_user=CitizenFactory(), slot=full)
    mine = services.appointment_book(acting_user=world.citizen, slot=_slot(world, hour=11))
    with pytest.raises(SlotFull):
        services.appointment_reschedule(appointment=mine.code, slot=full, acting_user=world.citizen)
    mine.refresh_from_db()
    assert mine.slot_id == _slot(world, hour=11).pk and Slot.objects.get(pk=full.pk).booked == 2
    assert Slot.objects.get(pk=mine.slot_id).booked == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bookings_racing_a_schedule_change_that_closes_the_slot_end_cancelled_or_refused(clock):
    """Four people book Tuesday 11:00 while the manager closes every window at 11:00 on Tuesdays: whichever
    commits first, no booking stays active in the closed slot and its counters match the rows."""
    world = build_world()
    slot = _slot(world, day=MONDAY + dt.timedelta(days=1), hour=11)
    users = [CitizenFactory() for _n in range(4)]

    def close():
        for window in (world.w1, world.w2, world.w3):
            services.window_schedule_set(
                window=window,
                periods=[(1, dt.time(9), dt.time(11))] + [(d, dt.time(9), dt.time(12)) for d in (0, 2, 3, 4)],
                acting_user=world.admin,
            )
        return "closed"

    def book(user):
        return lambda: services.appointment_book(acting_user=user, slot=slot.pk) and "booked"

    outcomes = race([book(u) for u in users] + [close])
    assert outcomes[-1] == "closed" and set(outcomes[:-1]) <= {"booked", "full"}, outcomes
    slot.refresh_from_db()
    rows = Appointment.objects.filter(slot=slot)
    assert (slot.capacity, slot.booked) == (0, 0)
    assert not rows.exclude(state=AppointmentState.CANCELLED).exists()
    assert rows.count() == outcomes.count("booked")  # every booking that got in was cancelled by the hall


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_kiosks_taking_numbers_at_the_same_moment_get_distinct_numbers(clock):
    """Six kiosks take numbers at once (threads, own connections): six distinct numbers, none lost or repeated."""
    world = build_world()
    clock.move_to(at(MONDAY, 9, 5))
    numbers = race([lambda: services.ticket_take(hall=world.centre).number for _n in range(6)])
    assert sorted(numbers) == [f"A{n:03d}" for n in range(1, 7)], numbers
    assert QueueTicket.objects.filter(hall=world.centre).count() == 6
