import datetime as dt

import pytest
from rest_framework.test import APIClient

from bianmin.appointments import figures, registries, selectors, services
from bianmin.appointments.constants import AppointmentState, TicketState
from bianmin.appointments.exceptions import QueueNotFound, TicketStateConflict
from bianmin.appointments.models import Appointment, QueueTicket, Slot
from tests.appointments.conftest import MONDAY, at
from tests.factories import make_id_card


def test_numbers_per_category_and_category_from_the_items_department(world):
    a1 = services.ticket_take(hall=world.centre)
    c1 = services.ticket_take(hall=world.centre, item=world.local_item)  # 社保 → C
    a2 = services.ticket_take(hall=world.centre, acting_user=world.clerk)
    assert [a1.number, c1.number, a2.number] == ["A001", "C001", "A002"]
    assert (a1.source, a2.source) == ("kiosk", "staff")


def test_appointment_holders_go_ahead_of_walk_ins_in_their_slot(world, clock):
    slot = Slot.objects.get(hall=world.centre, on=MONDAY, start=dt.time(10))
    booking = services.appointment_book(acting_user=world.citizen, slot=slot)
    clock.move_to(at(MONDAY, 9, 30))
    walk_in_1 = services.ticket_take(hall=world.centre)
    clock.move_to(at(MONDAY, 9, 50))
    holder = services.appointment_check_in(hall=world.centre, code=booking.code)
    walk_in_2 = services.ticket_take(hall=world.centre)
    # before 10:00 the holder queues like everybody else
    assert [t.pk for t in selectors.queue_waiting(hall=world.centre, on=MONDAY)] == [
        walk_in_1.pk,
        holder.pk,
        walk_in_2.pk,
    ]
    clock.move_to(at(MONDAY, 10, 1))
    assert [t.pk for t in selectors.queue_waiting(hall=world.centre, on=MONDAY)] == [
        holder.pk,
        walk_in_1.pk,
        walk_in_2.pk,
    ]
    assert selectors.tickets_ahead(ticket=walk_in_2) == 2
    called = services.ticket_call_next(window=world.w1, acting_user=world.clerk)
    assert called.pk == holder.pk
    assert Appointment.objects.get(pk=booking.pk).state == AppointmentState.CHECKED_IN


def test_call_recall_no_show_rules(world):
    t = services.ticket_take(hall=world.centre)
    services.ticket_call_next(window=world.w1, acting_user=world.clerk)
    with pytest.raises(TicketStateConflict) as busy:
        services.ticket_call_next(window=world.w1, acting_user=world.clerk)
    assert busy.value.code == "window_busy"
    with pytest.raises(TicketStateConflict) as early:
        services.ticket_no_show(ticket=t.pk, acting_user=world.clerk)  # called once: recall first
    assert early.value.code == "not_called_enough"
    services.ticket_recall(ticket=t.pk, acting_user=world.clerk)
    services.ticket_no_show(ticket=t.pk, acting_user=world.clerk)
    t.refresh_from_db()
    assert (t.state, t.call_count) == (TicketState.NO_SHOW, 2)
    with pytest.raises(TicketStateConflict):
        services.ticket_recall(ticket=t.pk, acting_user=world.clerk)
    with pytest.raises(TicketStateConflict) as empty:
        services.ticket_call_next(window=world.w1, acting_user=world.clerk)
    assert empty.value.code == "queue_empty"


def test_special_windows_call_their_categories_and_transfer_keeps_the_place(world):
    a = services.ticket_take(hall=world.centre)
    c = services.ticket_take(hall=world.centre, item=world.local_item)
    assert (
        services.ticket_call_next(window=world.w3, acting_user=world.clerk).pk == c.pk
    )  # 社保 window skips A
    services.ticket_transfer(ticket=c.pk, acting_user=world.clerk, window=world.w2)
    assert (
        services.ticket_call_next(window=world.w1, acting_user=world.clerk).pk == a.pk
    )  # not the transferred one
    assert services.ticket_call_next(window=world.w2, acting_user=world.clerk).pk == c.pk


def test_finishing_publishes_service_finished_and_a_case_can_be_opened(
    world, django_capture_on_commit_callbacks
):
    heard = []
    registries.register_service_finished(heard.append)
    try:
        t = services.ticket_take(hall=world.centre)
        services.ticket_call_next(window=world.w1, acting_user=world.clerk)
        case = services.ticket_open_case(
            ticket=t.pk,
            acting_user=world.clerk,
            item=world.local_item,
            applicant={"kind": "person", "name": "张三", "id_no": make_id_card(7), "mobile": "13800138000"},
        )
        assert (case.hall_id, case.window_id) == (world.centre.pk, world.w1.pk)
        with django_capture_on_commit_callbacks(execute=True):
            services.ticket_finish(ticket=t.pk, acting_user=world.clerk)
    finally:
        registries.unregister_service_finished(heard.append)
    t.refresh_from_db()
    assert (t.state, t.case_id) == (TicketState.DONE, case.pk)
    assert [(d.ticket_id, d.window_id, d.case_id) for d in heard] == [(t.pk, world.w1.pk, case.pk)]


def test_a_clerk_acts_only_in_their_own_hall(world):
    t = services.ticket_take(hall=world.centre)
    with pytest.raises(QueueNotFound):
        services.ticket_call_next(window=world.w1, acting_user=world.other_clerk)
    with pytest.raises(QueueNotFound):
        services.ticket_recall(ticket=t.pk, acting_user=world.other_clerk)
    api = APIClient()
    api.force_authenticate(world.other_clerk)
    assert api.post("/api/v1/tickets/call-next/", {"window": world.w1.pk}, format="json").status_code == 404
    assert api.post(f"/api/v1/tickets/{t.pk}/recall/", format="json").status_code == 404
    assert api.get(f"/api/v1/hall-figures/{world.centre.pk}/").status_code == 404
    api.force_authenticate(world.clerk)
    response = api.post("/api/v1/tickets/call-next/", {"window": world.w1.pk}, format="json")
    assert response.status_code == 200 and response.json()["number"] == "A001"
    assert api.post(f"/api/v1/tickets/{t.pk}/recall/").json()["call_count"] == 2
    assert api.get(f"/api/v1/hall-figures/{world.centre.pk}/").status_code == 403  # clerks are not managers


def test_api_booking_with_idempotency_key_and_check_in(world, django_assert_max_num_queries):
    api = APIClient()
    api.force_authenticate(world.citizen)
    slot = Slot.objects.get(hall=world.centre, on=MONDAY, start=dt.time(9))
    first = api.post("/api/v1/appointments/", {"slot": slot.pk}, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    again = api.post("/api/v1/appointments/", {"slot": slot.pk}, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 201 and again.json()["code"] == first.json()["code"]
    assert Slot.objects.get(pk=slot.pk).booked == 1
    full = Slot.objects.get(hall=world.centre, on=MONDAY, start=dt.time(11))
    Slot.objects.filter(pk=full.pk).update(booked=full.capacity)
    refused = api.post("/api/v1/appointments/", {"slot": full.pk}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "slot_full")
    code = first.json()["code"]
    ticket = api.post(f"/api/v1/appointments/{code}/check-in/", {"hall": world.centre.pk}, format="json")
    assert ticket.status_code == 201 and ticket.json()["appointment_code"] == code
    with django_assert_max_num_queries(6):
        listed = api.get("/api/v1/appointments/")
    assert listed.json()["count"] == 1
    with django_assert_max_num_queries(6):
        slots = APIClient().get(f"/api/v1/slots/?hall={world.centre.pk}&date={MONDAY + dt.timedelta(days=1)}")
    assert [s["capacity"] for s in slots.json()["results"]] == [3, 3, 3]
    near = APIClient().get(f"/api/v1/nearest-halls/?item={world.local_item.code}&near=23.40,116.76")
    assert [h["id"] for h in near.json()] == [world.street_hall.pk, world.centre.pk]


def test_hall_figures_on_hand_built_data(world):
    def served(issued, waited, service, window):
        t = services.ticket_take(hall=world.centre)
        called = at(MONDAY, 9) + dt.timedelta(minutes=issued + waited)
        QueueTicket.objects.filter(pk=t.pk).update(
            issued_at=at(MONDAY, 9) + dt.timedelta(minutes=issued),
            called_at=called,
            window=window,
            state=TicketState.DONE,
            finished_at=called + dt.timedelta(minutes=service),
        )

    served(0, 5, 10, world.w1)
    served(0, 10, 20, world.w1)
    served(10, 30, 6, world.w2)
    served(60, 15, 8, world.w1)
    gone = services.ticket_take(hall=world.centre)
    QueueTicket.objects.filter(pk=gone.pk).update(state=TicketState.NO_SHOW)
    f = figures.hall_figures(hall=world.centre, start=MONDAY, end=MONDAY)
    assert (f["tickets"], f["served"], f["ticket_no_shows"]) == (5, 4, 1)
    assert (f["wait_median"], f["wait_p90"]) == (12.5, 30.0)
    assert (f["service_median"], f["service_p90"]) == (9.0, 20.0)
    assert f["load"] == [
        {"window": "01", "hour": 9, "count": 2},
        {"window": "01", "hour": 10, "count": 1},
        {"window": "02", "hour": 9, "count": 1},
    ]


def test_the_counter_opens_a_case_for_the_ticket_being_served(world, client):
    """At the window console: call, then 为此号受理办件 — the case records hall and window, the ticket the case."""
    t = services.ticket_take(hall=world.centre, item=world.local_item)
    client.force_login(world.clerk)
    url = f"/workbench/queue/?window={world.w1.pk}"
    client.post(url, {"window": world.w1.pk, "action": "call"})
    page = client.get(url).content.decode()
    assert "data-open-case" in page and f'value="{world.local_item.code}"' in page
    applicant = {"kind": "person", "name": "张三", "id_no": make_id_card(8), "mobile": "13800138000"}
    bad = client.post(
        url,
        {
            "window": world.w1.pk,
            "ticket": t.pk,
            "action": "open_case",
            "item": world.local_item.code,
            **applicant,
            "id_no": "123",
        },
    )
    assert bad.status_code == 302 and QueueTicket.objects.get(pk=t.pk).case_id is None
    done = client.post(
        url,
        {
            "window": world.w1.pk,
            "ticket": t.pk,
            "action": "open_case",
            "item": world.local_item.code,
            **applicant,
        },
    )
    t.refresh_from_db()
    assert t.case_id is not None and done["Location"].endswith(f"{t.case_id}/")
    assert (t.case.hall_id, t.case.window_id, t.state) == (world.centre.pk, world.w1.pk, TicketState.SERVING)
    # another hall's clerk cannot open a case on this ticket
    client.force_login(world.other_clerk)
    other = client.post(
        f"/workbench/queue/?window={world.sw.pk}",
        {
            "window": world.sw.pk,
            "ticket": t.pk,
            "action": "open_case",
            "item": world.local_item.code,
            **applicant,
        },
    )
    assert other.status_code == 302 and QueueTicket.objects.get(pk=t.pk).case_id == t.case_id


def test_kiosk_ticket_shows_how_many_are_ahead_and_a_qr_code_of_the_phone_page(world, client):
    services.ticket_take(hall=world.centre)
    category = world.centre.ticket_categories.get(letter="A")
    page = client.post(f"/halls/{world.centre.pk}/kiosk/", {"category": category.pk}).content.decode()
    ticket = QueueTicket.objects.filter(hall=world.centre).order_by("-pk").first()
    assert ticket.number == "A002" and "前面还有 1 人" in page
    assert "data-ticket-qr" in page and "<svg" in page and f"/tickets/{ticket.token}/" in page
    assert 'data-ahead="1"' in client.get(f"/tickets/{ticket.token}/").content.decode()
    services.ticket_call_next(window=world.w1, acting_user=world.clerk)  # A001 goes to window 01
    assert 'data-ahead="0"' in client.get(f"/tickets/{ticket.token}/status/").content.decode()
