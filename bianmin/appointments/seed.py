"""Demo halls data: queue categories, window schedules, items taken at the centre (all window-handled items), street
halls and stations (local units' items), slots for the
coming working days, a few appointments and a live queue at the district centre today.

Idempotent: hall data is upserted; appointments use idempotency keys; the live queue is made once per day.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from bianmin.accounts.models import User
from bianmin.appointments import services
from bianmin.appointments.constants import TicketState
from bianmin.appointments.models import QueueTicket, Slot, TicketCategory, WindowSchedule
from bianmin.catalog.models import ServiceItem
from bianmin.organisations.constants import HallKind
from bianmin.organisations.models import Department, Hall
from bianmin.workdays import workcalendar

CENTRE = "龙湖区政务服务中心"

# letter, name, department short names, default
CATEGORIES = [
    ("A", "综合受理", [], True),
    ("B", "市场监管", ["区市监局"], False),
    ("C", "社保医保", ["区人社局", "区医保局"], False),
    ("D", "公安户政", ["公安分局"], False),
    ("E", "不动产登记", ["自然资源分局"], False),
    ("F", "税务", ["区税务局"], False),
]
LOCAL_UNITS = ["区民政局", "区人社局", "区医保局", "区卫健局", "区退役军人局"]
OPENING = [(dt.time(9, 0), dt.time(12, 0)), (dt.time(14, 30), dt.time(17, 30))]


def seed(*, today) -> str:
    admin = User.objects.filter(Q(is_superuser=True) | Q(username="admin")).order_by("pk").first()
    if admin is None:
        return "skipped (no administrator)"
    halls = list(Hall.objects.filter(is_active=True).prefetch_related("windows"))
    units = {d.short_name: d for d in Department.objects.all()}
    local_items = list(
        ServiceItem.objects.filter(department__short_name__in=LOCAL_UNITS, current_version__isnull=False)
    )
    window_items = list(
        ServiceItem.objects.filter(
            current_version__isnull=False,
            current_version__is_window_handled=True,
            current_version__is_nearby_scope=False,  # district-wide items are taken at every hall anyway
        )
    )
    for hall in halls:
        centre = hall.kind == HallKind.DISTRICT_CENTRE
        existing = set(TicketCategory.objects.filter(hall=hall).values_list("letter", flat=True))
        for letter, name, shorts, default in CATEGORIES if centre else CATEGORIES[:1] + CATEGORIES[2:3]:
            if letter in existing:
                continue  # idempotent: a second run writes nothing
            services.ticket_category_set(
                hall=hall,
                letter=letter,
                name=name,
                acting_user=admin,
                departments=[units[s] for s in shorts if s in units],
                is_default=default,
            )
        for window in hall.windows.all():
            if not WindowSchedule.objects.filter(window=window).exists():
                days = (
                    range(5) if centre or window.number != "03" else (0, 2, 4)
                )  # a part-time special window
                services.window_schedule_set(
                    window=window, periods=[(d, s, e) for d in days for s, e in OPENING], acting_user=admin
                )
        if hall.kind in (HallKind.STREET_HALL, HallKind.COMMUNITY_STATION) and local_items:
            services.hall_items_set(hall=hall, items=local_items, acting_user=admin)
        if centre and window_items:
            # the district centre takes in every item handled at windows (一窗受理), so the finder lists it too
            services.hall_items_set(hall=hall, items=window_items, acting_user=admin)
        services.slots_generate(hall=hall, start=today, working_days=5)

    appointments = _demo_appointments(today)
    queue = _demo_queue(today)
    return f"{len(halls)} halls, {Slot.objects.filter(on__gte=today).count()} slots ahead, {appointments} appointments, {queue} tickets today"


def _demo_appointments(today: dt.date) -> int:
    citizen = User.objects.filter(username="citizen").first()
    clerk = User.objects.filter(username="clerk").first()
    centre = Hall.objects.filter(name=CENTRE).first()
    if not (citizen and clerk and centre):
        return 0
    next_day = workcalendar.add(today, 1)
    slots = list(Slot.objects.filter(hall=centre, on=next_day).order_by("start")[:4])
    count = 0
    if slots:
        services.appointment_book(acting_user=citizen, slot=slots[1], idempotency_key="demo-citizen-1")
        count += 1
        for n, slot in enumerate(slots[:3]):
            services.appointment_book(
                acting_user=clerk,
                slot=slot,
                name=f"电话预约{n + 1}",
                mobile=f"1390000{n:04d}",
                idempotency_key=f"demo-phone-{n}",
            )
            count += 1
    return count


def _demo_queue(today: dt.date) -> int:
    """A live queue at the centre: served, being served and waiting numbers (timestamps backdated)."""
    centre = Hall.objects.filter(name=CENTRE).first()
    clerk = User.objects.filter(username="clerk").first()
    if centre is None or clerk is None or QueueTicket.objects.filter(hall=centre, on=today).exists():
        return 0
    now = timezone.localtime()
    if now.date() != today:
        return 0
    categories = {c.letter: c for c in centre.ticket_categories.all()}
    windows = {w.number: w for w in centre.windows.all()}
    plan = [  # letter, minutes ago issued, window, minutes waited, minutes served (None = still open)
        ("A", 95, "01", 12, 15),
        ("B", 90, "02", 10, 22),
        ("A", 80, "03", 20, 9),
        ("C", 70, "23", 8, 12),
        ("A", 60, "01", 23, 14),
        ("D", 45, "20", 5, None),
        ("A", 30, "02", 18, None),
        ("B", 20, None, None, None),
        ("A", 15, None, None, None),
        ("C", 10, None, None, None),
        ("A", 5, None, None, None),
        ("E", 3, None, None, None),
    ]
    made = 0
    for letter, ago, window_no, waited, served in plan:
        category = categories.get(letter)
        if category is None:
            continue
        ticket = services.ticket_take(hall=centre, acting_user=clerk, category=category)
        issued = now - dt.timedelta(minutes=ago)
        fields = {"issued_at": issued}
        if window_no and window_no in windows:
            called = issued + dt.timedelta(minutes=waited)
            fields.update(
                window=windows[window_no],
                called_at=called,
                last_called_at=called,
                call_count=1,
                called_by=clerk,
            )
            if served is None:
                fields["state"] = TicketState.SERVING
            else:
                fields.update(state=TicketState.DONE, finished_at=called + dt.timedelta(minutes=served))
        QueueTicket.objects.filter(pk=ticket.pk).update(**fields)  # demo history: backdated times
        made += 1
    return made
