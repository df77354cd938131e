"""Appointments: booked, rescheduled and cancelled bookings are confirmed in the message centre (and by SMS to
the mobile on the booking); the day-before reminder reaches each booking once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from bianmin.appointments import services
from bianmin.appointments.models import Slot
from bianmin.notifications import appointments as reminders
from bianmin.notifications.models import Message
from bianmin.notifications.senders import MemorySmsSender
from tests.appointments.conftest import MONDAY, at
from tests.appointments.conftest import build_world as build_hall_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    with time_machine.travel(at(MONDAY, 8), tick=False):
        yield build_hall_world()


def _slot(w, day=MONDAY, hour=9):
    return Slot.objects.get(hall=w.centre, on=day, start=dt.time(hour))


def test_booking_rescheduling_and_cancelling_are_confirmed(hall, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = services.appointment_book(acting_user=hall.citizen, slot=_slot(hall), item=hall.local_item)
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_reschedule(
            appointment=a.code, slot=_slot(hall, hour=11), acting_user=hall.citizen
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(appointment=a.code, acting_user=hall.citizen)
    messages = list(Message.objects.filter(recipient=hall.citizen).order_by("id"))
    assert [m.title.split(" · ")[0] for m in messages] == ["预约成功", "预约已改期", "预约已取消"]
    assert {(m.category, m.target_ref, m.link) for m in messages} == {
        ("appointment", a.code, "/my/appointments/")
    }
    assert "2026-03-02 09:00-" in messages[0].body and a.code in messages[0].body
    assert "11:00" in messages[1].body
    assert [m["mobile"] for m in MemorySmsSender.outbox] == [hall.citizen.mobile] * 3


def test_a_phone_booking_cancelled_by_the_hall_is_told_by_sms(hall, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = services.appointment_book(
            acting_user=hall.clerk, slot=_slot(hall), name="王五", mobile="13912345678"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.appointment_cancel(appointment=a.code, acting_user=hall.manager)
    assert not Message.objects.exists()  # no account to write to; the clerk is not the person served
    texts = [m["text"] for m in MemorySmsSender.outbox if m["mobile"] == "13912345678"]
    assert len(texts) == 2 and a.code in texts[0] and "由大厅取消" in texts[1]


def test_the_reminder_reaches_tomorrows_bookings_once(hall, django_capture_on_commit_callbacks):
    tuesday = MONDAY + dt.timedelta(days=1)
    with time_machine.travel(at(MONDAY, 8), tick=False):
        online = services.appointment_book(acting_user=hall.citizen, slot=_slot(hall, day=tuesday, hour=10))
        phone = services.appointment_book(
            acting_user=hall.clerk, slot=_slot(hall, day=tuesday, hour=10), name="王五", mobile="13912345678"
        )
        services.appointment_book(acting_user=hall.citizen, slot=_slot(hall, hour=11))  # today: not reminded
    MemorySmsSender.outbox.clear()
    assert reminders.send_reminders(today=MONDAY) == 2
    reminder = Message.objects.get(target_kind="appointment_reminder")
    assert reminder.recipient == hall.citizen and reminder.target_ref == online.code
    assert {m["mobile"] for m in MemorySmsSender.outbox} == {hall.citizen.mobile, "13912345678"}
    assert any(phone.code in m["text"] for m in MemorySmsSender.outbox)
    assert reminders.send_reminders(today=MONDAY) == 1  # the account is not reminded twice
    assert Message.objects.filter(target_kind="appointment_reminder").count() == 1


def test_a_failing_message_never_breaks_the_booking(hall, monkeypatch, django_capture_on_commit_callbacks):
    def broken(appointment):
        raise RuntimeError("wording bug")

    monkeypatch.setitem(reminders.WORDINGS, "booked", broken)
    with django_capture_on_commit_callbacks(execute=True):
        a = services.appointment_book(acting_user=hall.citizen, slot=_slot(hall))
    assert Slot.objects.get(pk=a.slot_id).booked == 1
    assert not Message.objects.exists()
