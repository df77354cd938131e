"""Reads: which halls take an item, nearest halls with today's wait, the queue order, scoped lookups."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models import Window as Over
from django.db.models.functions import RowNumber
from django.utils import timezone

from bianmin.accounts import rules
from bianmin.accounts.constants import Role
from bianmin.appointments import conf
from bianmin.appointments.constants import (
    ACTIVE_APPOINTMENT_STATES,
    BOOKABLE_WINDOW_KINDS,
    AppointmentState,
    TicketState,
)
from bianmin.appointments.exceptions import QueueNotFound
from bianmin.appointments.models import (
    Appointment,
    HallItem,
    QueueTicket,
    Slot,
    TicketCategory,
    WindowItem,
    WindowSchedule,
)
from bianmin.catalog.models import ServiceItem
from bianmin.organisations.constants import HallKind, WindowKind
from bianmin.organisations.models import Hall, Region, Window

LOCAL_HALL_KINDS = (HallKind.STREET_HALL, HallKind.COMMUNITY_STATION)


def _now() -> dt.datetime:
    return timezone.localtime()


# --- hall data ------------------------------------------------------------------------------------


def items_taken_at_local_halls(item_ids: Iterable[int]) -> set[int]:
    """catalog.flags nearby provider: items listed at an active street hall or community station."""
    ids = list(item_ids)
    if not ids:
        return set()
    return set(
        HallItem.objects.filter(
            item_id__in=ids, is_active=True, hall__is_active=True, hall__kind__in=LOCAL_HALL_KINDS
        ).values_list("item_id", flat=True)
    )


def district_prefix(region_code: str) -> str:
    return (region_code or "")[:6]


def item_covers_district(item: ServiceItem) -> bool:
    version = item.current_version
    return bool(version and version.is_nearby_scope)


def halls_for_item(*, item: ServiceItem) -> QuerySet[Hall]:
    """Active halls that take the item in: listed ones, and every hall of the district for a 通办 item."""
    condition = Q(hall_items__item=item, hall_items__is_active=True)
    if item_covers_district(item):
        condition |= Q(region__code__startswith=district_prefix(item.department.region.code))
    return Hall.objects.filter(condition, is_active=True).select_related("region").distinct()


def items_taken_at(*, hall: Hall) -> QuerySet[ServiceItem]:
    """Items the hall takes in: its listed items, and every district-wide (通办) item of its district.
    Annotated with `listed` (True for a listed item)."""
    listed = HallItem.objects.filter(hall=hall, is_active=True, item=OuterRef("pk"))
    district = Q(
        current_version__is_nearby_scope=True,
        department__region__code__startswith=district_prefix(hall.region.code),
    )
    return (
        ServiceItem.objects.filter(Q(Exists(listed)) | district, current_version__isnull=False)
        .annotate(listed=Exists(listed))
        .select_related("department", "current_version")
        .order_by("code")
    )


def window_setup(*, hall: Hall) -> list[dict]:
    """Each window of the hall with its departments, listed items (special windows) and weekly periods."""
    windows = list(Window.objects.filter(hall=hall).prefetch_related("departments").order_by("number"))
    items: dict[int, list[str]] = {}
    for window_id, code in WindowItem.objects.filter(window__hall=hall).values_list(
        "window_id", "item__code"
    ):
        items.setdefault(window_id, []).append(code)
    periods: dict[int, list[dict]] = {}
    for row in WindowSchedule.objects.filter(window__hall=hall).order_by("weekday", "start"):
        periods.setdefault(row.window_id, []).append(
            {"weekday": row.weekday, "start": row.start, "end": row.end}
        )
    return [
        {
            "window": w,
            "id": w.pk,
            "hall_id": w.hall_id,
            "number": w.number,
            "name": w.name,
            "kind": w.kind,
            "kind_label": w.get_kind_display(),
            "is_active": w.is_active,
            "departments": [d.short_code for d in w.departments.all()],
            "department_names": [d.short_name for d in w.departments.all()],
            "items": sorted(items.get(w.pk, [])),
            "periods": periods.get(w.pk, []),
        }
        for w in windows
    ]


def ticket_category_rows(*, hall: Hall) -> list[dict]:
    return [
        {
            "category": c,
            "letter": c.letter,
            "name": c.name,
            "departments": [d.short_code for d in c.departments.all()],
            "department_names": [d.short_name for d in c.departments.all()],
            "themes": [t.code for t in c.themes.all()],
            "theme_names": [t.name for t in c.themes.all()],
            "is_default": c.is_default,
        }
        for c in hall.ticket_categories.prefetch_related("departments", "themes")
    ]


def hall_takes_item(*, hall: Hall, item: ServiceItem) -> bool:
    return halls_for_item(item=item).filter(pk=hall.pk).exists()


def window_serves_item(*, window: Window, item: ServiceItem) -> bool:
    """Comprehensive windows take any item of their hall; special windows their listed items and departments."""
    if not window.is_active or not hall_takes_item(hall=window.hall, item=item):
        return False
    if window.kind == WindowKind.COMPREHENSIVE:
        return True
    if window.kind != WindowKind.SPECIAL:
        return False
    return (
        WindowItem.objects.filter(window=window, item=item).exists()
        or window.departments.filter(pk=item.department_id).exists()
    )


def windows_open(*, hall: Hall, on: dt.date, start: dt.time, end: dt.time) -> int:
    """Bookable windows of the hall open for the whole of [start, end] on that weekday."""
    return (
        WindowSchedule.objects.filter(
            window__hall=hall,
            window__is_active=True,
            window__kind__in=BOOKABLE_WINDOW_KINDS,
            weekday=on.weekday(),
            start__lte=start,
            end__gte=end,
        )
        .values("window")
        .distinct()
        .count()
    )


# --- queue ----------------------------------------------------------------------------------------


def queue_waiting(*, hall: Hall | int, on: dt.date, now: dt.datetime | None = None) -> list[QueueTicket]:
    """Waiting tickets in calling order: appointment holders whose slot has begun first (by slot, then arrival),
    then everybody else by arrival."""
    now = now or _now()
    tickets = list(
        QueueTicket.objects.filter(hall=hall, on=on, state=TicketState.WAITING).select_related(
            "category", "target_window"
        )
    )
    far = dt.datetime.max.replace(tzinfo=dt.UTC)

    def key(t: QueueTicket):
        prioritised = t.priority_from is not None and t.priority_from <= now
        return (0 if prioritised else 1, t.priority_from if prioritised else far, t.issued_at, t.pk)

    return sorted(tickets, key=key)


def window_categories(window: Window) -> set[int]:
    """Categories a window calls: comprehensive windows all of the hall's; special windows those of their departments."""
    categories = list(window.hall.ticket_categories.prefetch_related("departments"))
    if window.kind == WindowKind.COMPREHENSIVE:
        return {c.pk for c in categories}
    mine = set(window.departments.values_list("pk", flat=True))
    return {c.pk for c in categories if mine & {d.pk for d in c.departments.all()}}


def next_for_window(*, window: Window, on: dt.date, now: dt.datetime | None = None) -> QueueTicket | None:
    categories = window_categories(window)
    for ticket in queue_waiting(hall=window.hall_id, on=on, now=now):
        if ticket.target_window_id is not None:
            if ticket.target_window_id == window.pk:
                return ticket
            continue
        if ticket.category_id in categories:
            return ticket
    return None


def tickets_ahead(*, ticket: QueueTicket, now: dt.datetime | None = None) -> int | None:
    if ticket.state != TicketState.WAITING:
        return None
    order = [t.pk for t in queue_waiting(hall=ticket.hall_id, on=ticket.on, now=now)]
    return order.index(ticket.pk) if ticket.pk in order else None


def median_service_minutes(*, hall: Hall | int, today: dt.date) -> float:
    """Median minutes from call to finish over the hall's last 30 days (a default before there is history)."""
    hall_id = getattr(hall, "pk", hall)
    return _median_service_minutes(hall_ids=[hall_id], today=today).get(
        hall_id, float(conf.get("QUEUE_DEFAULT_SERVICE_MINUTES"))
    )


SERVICE_SAMPLE = 2000  # the latest finished services per hall that the median looks at


def _median_service_minutes(*, hall_ids: list[int], today: dt.date) -> dict[int, float]:
    """{hall id: median service minutes over its last 30 days} for halls with history, in one query (the latest
    SERVICE_SAMPLE services of each hall, picked by a window function)."""
    if not hall_ids:
        return {}
    rows = (
        QueueTicket.objects.filter(
            hall_id__in=hall_ids,
            on__gte=today - dt.timedelta(days=30),
            on__lte=today,
            state=TicketState.DONE,
            called_at__isnull=False,
            finished_at__isnull=False,
        )
        .annotate(
            rank=Over(RowNumber(), partition_by=[F("hall_id")], order_by=[F("finished_at").desc(), F("pk")])
        )
        .filter(rank__lte=SERVICE_SAMPLE)
        .values_list("hall_id", "called_at", "finished_at")
    )
    minutes: dict[int, list[float]] = {}
    for hall_id, start, end in rows:
        minutes.setdefault(hall_id, []).append((end - start).total_seconds() / 60)
    return {hall_id: statistics.median(values) for hall_id, values in minutes.items()}


def open_windows_now(*, hall: Hall | int, now: dt.datetime) -> int:
    local = timezone.localtime(now)
    return (
        WindowSchedule.objects.filter(
            window__hall=hall,
            window__is_active=True,
            window__kind__in=BOOKABLE_WINDOW_KINDS,
            weekday=local.weekday(),
            start__lte=local.time(),
            end__gt=local.time(),
        )
        .values("window")
        .distinct()
        .count()
    )


def pick_category(categories: list[TicketCategory], item: ServiceItem | None, theme_ids: set[int]):
    """The queue category an item's number is issued under: the first whose departments include the item's
    department, then the first sharing one of its themes, else the hall's default (else its first). None when
    the hall has no categories. `categories` come with departments and themes prefetched."""
    if not categories:
        return None
    if item is not None:
        for c in categories:
            if any(d.pk == item.department_id for d in c.departments.all()):
                return c
        for c in categories:
            if theme_ids & {t.pk for t in c.themes.all()}:
                return c
    return next((c for c in categories if c.is_default), categories[0])


def item_theme_ids(item: ServiceItem | None) -> set[int]:
    if item is None or not item.current_version_id:
        return set()
    return set(item.current_version.themes.values_list("pk", flat=True))


@dataclass
class HallWait:
    waiting: int
    service_minutes: float
    windows: int
    expected_minutes: int
    category: TicketCategory | None = None  # the queue counted; None: the whole hall


def hall_waits(
    *, halls: Iterable[Hall], item: ServiceItem | None = None, now: dt.datetime | None = None
) -> dict[int, HallWait]:
    """Today's expected wait at each hall, in a constant number of queries however many halls.

    With an item: the queue the applicant would join for it — the category its number would be issued under
    (pick_category, the same rule as taking a number) — counted against the windows open now that call that
    category. Without an item, or at a hall without categories: the whole hall's queue and its open windows.
    Expected minutes = people waiting × the hall's median service time ÷ those windows (at least 1).
    """
    now = now or _now()
    local = timezone.localtime(now)
    today = local.date()
    halls = list(halls)
    hall_ids = [h.pk for h in halls]
    if not hall_ids:
        return {}
    categories: dict[int, list[TicketCategory]] = {}
    if item is not None:
        for c in TicketCategory.objects.filter(hall_id__in=hall_ids).prefetch_related(
            "departments", "themes"
        ):
            categories.setdefault(c.hall_id, []).append(c)
    theme_ids = item_theme_ids(item) if categories else set()
    waiting: dict[tuple[int, int], int] = {}
    for hall_id, category_id, n in (
        QueueTicket.objects.filter(hall_id__in=hall_ids, on=today, state=TicketState.WAITING)
        .values_list("hall_id", "category_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        waiting[(hall_id, category_id)] = n
    open_now = list(
        WindowSchedule.objects.filter(
            window__hall_id__in=hall_ids,
            window__is_active=True,
            window__kind__in=BOOKABLE_WINDOW_KINDS,
            weekday=local.weekday(),
            start__lte=local.time(),
            end__gt=local.time(),
        )
        .values_list("window_id", "window__hall_id", "window__kind")
        .distinct()
    )
    window_departments: dict[int, set[int]] = {}
    special = [w for w, _h, kind in open_now if kind != WindowKind.COMPREHENSIVE]
    if categories and special:
        for window_id, department_id in Window.departments.through.objects.filter(
            window_id__in=special
        ).values_list("window_id", "department_id"):
            window_departments.setdefault(window_id, set()).add(department_id)
    default_minutes = float(conf.get("QUEUE_DEFAULT_SERVICE_MINUTES"))
    medians = _median_service_minutes(hall_ids=hall_ids, today=today)
    result = {}
    for hall in halls:
        category = pick_category(categories.get(hall.pk, []), item, theme_ids)
        mine = [(w, kind) for w, h, kind in open_now if h == hall.pk]
        if category is None:
            count = sum(n for (h, _c), n in waiting.items() if h == hall.pk)
            windows = len(mine)
        else:
            count = waiting.get((hall.pk, category.pk), 0)
            category_departments = {d.pk for d in category.departments.all()}
            windows = sum(
                1
                for w, kind in mine
                if kind == WindowKind.COMPREHENSIVE or window_departments.get(w, set()) & category_departments
            )
        service = medians.get(hall.pk, default_minutes)
        expected = math.ceil(count * service / max(1, windows)) if count else 0
        result[hall.pk] = HallWait(
            waiting=count,
            service_minutes=round(service, 1),
            windows=windows,
            expected_minutes=expected,
            category=category,
        )
    return result


def hall_wait(*, hall: Hall, now: dt.datetime | None = None) -> HallWait:
    """Today's expected wait for the whole hall: people waiting × median service time, shared by the windows
    open now (≥ 1)."""
    return hall_waits(halls=[hall], now=now)[hall.pk]


# --- nearest halls --------------------------------------------------------------------------------


def distance_km(lat1, lng1, lat2, lng2) -> float:
    r = 6371.0
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def region_point(region: Region) -> tuple | None:
    """A street's (or a community's street's) position: its street hall, else any hall inside it."""
    street_code = region.code[:9]
    halls = Hall.objects.filter(
        region__code__startswith=street_code, is_active=True, latitude__isnull=False, longitude__isnull=False
    ).order_by("kind", "sort_order")  # community_station < district_centre < street_hall alphabetically
    preferred = [h for h in halls if h.kind == HallKind.STREET_HALL] or list(halls)
    if not preferred:
        return None
    return preferred[0].latitude, preferred[0].longitude


@dataclass
class NearHall:
    hall: Hall
    distance_km: float | None
    wait: HallWait


def nearest_halls(
    *,
    item: ServiceItem,
    region: Region | None = None,
    point: tuple | None = None,
    now: dt.datetime | None = None,
) -> list[NearHall]:
    """Halls that take the item in, nearest first (to the point, or to the applicant's street), each with today's
    expected wait in the queue the item's number would join there (hall_waits; constant queries per list)."""
    now = now or _now()
    if point is None and region is not None:
        point = region_point(region)
    halls = list(halls_for_item(item=item))
    waits = hall_waits(halls=halls, item=item, now=now)
    rows = []
    for hall in halls:
        distance = None
        if point is not None and hall.latitude is not None and hall.longitude is not None:
            distance = round(distance_km(point[0], point[1], hall.latitude, hall.longitude), 2)
        rows.append(NearHall(hall=hall, distance_km=distance, wait=waits[hall.pk]))
    rows.sort(key=lambda r: (r.distance_km is None, r.distance_km or 0, r.hall.sort_order, r.hall.name))
    return rows


# --- slots and appointments -----------------------------------------------------------------------


def slots_available(
    *, hall: Hall, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> QuerySet[Slot]:
    now = now or _now()
    local = timezone.localtime(now)
    return (
        Slot.objects.filter(hall=hall, on__gte=max(start, local.date()), on__lte=end)
        .exclude(on=local.date(), start__lte=local.time())
        .order_by("on", "start")
    )


def appointment_list_for_user(*, user) -> QuerySet[Appointment]:
    qs = Appointment.objects.select_related("slot", "hall", "item", "item__current_version")
    if rules.is_platform_admin(user):
        return qs
    halls = rules.hall_ids(user, (Role.WINDOW_CLERK, Role.HALL_MANAGER))
    return qs.filter(Q(user=user) | Q(booked_by=user) | Q(hall_id__in=halls))


def upcoming_first(qs: QuerySet[Appointment], *, today: dt.date) -> QuerySet[Appointment]:
    """Today's and upcoming appointments first (soonest first), then past ones (latest first)."""
    upcoming = Q(on__gte=today)
    return qs.annotate(
        is_past=Case(When(upcoming, then=Value(0)), default=Value(1)),
        upcoming_on=Case(When(upcoming, then=F("on"))),
        upcoming_start=Case(When(upcoming, then=F("slot__start"))),
    ).order_by(
        "is_past",
        F("upcoming_on").asc(nulls_last=True),
        F("upcoming_start").asc(nulls_last=True),
        "-on",
        "-slot__start",
        "-pk",
    )


def applicant_appointments(*, user, today: dt.date, past_limit: int = 30) -> tuple[list, list]:
    """我的预约: (today's and upcoming, soonest first; past, latest first)."""
    qs = Appointment.objects.filter(user=user).select_related(
        "slot", "hall", "item__current_version", "ticket__window"
    )
    upcoming = list(qs.filter(on__gte=today).order_by("on", "slot__start", "pk"))
    past = list(qs.filter(on__lt=today).order_by("-on", "-slot__start", "-pk")[:past_limit])
    return upcoming, past


def appointment_get_for_user(*, user, code: str) -> Appointment:
    appointment = appointment_list_for_user(user=user).filter(code=code).first()
    if appointment is None:
        raise QueueNotFound()
    return appointment


def staff_hall_ids(user) -> set[int]:
    if rules.is_platform_admin(user):
        return set(Hall.objects.values_list("pk", flat=True))
    return rules.hall_ids(user, (Role.WINDOW_CLERK, Role.HALL_MANAGER))


def ticket_list_for_staff(*, user, on: dt.date | None = None) -> QuerySet[QueueTicket]:
    qs = QueueTicket.objects.filter(hall_id__in=staff_hall_ids(user)).select_related(
        "hall", "category", "window", "target_window", "appointment"
    )
    if on is not None:
        qs = qs.filter(on=on)
    return qs


def ticket_get_for_staff(*, user, pk: int) -> QueueTicket:
    ticket = ticket_list_for_staff(user=user).filter(pk=pk).first()
    if ticket is None:
        raise QueueNotFound()
    return ticket


def display_board(*, hall: Hall, on: dt.date) -> dict:
    """What the big screen shows: numbers being called (latest first), and how many wait per category."""
    called = list(
        QueueTicket.objects.filter(hall=hall, on=on, state__in=(TicketState.CALLED, TicketState.SERVING))
        .select_related("window")
        .order_by("-last_called_at")[:8]
    )
    waiting = dict(
        QueueTicket.objects.filter(hall=hall, on=on, state=TicketState.WAITING)
        .values_list("category__letter")
        .annotate(n=Count("pk"))
    )
    categories = [
        {"letter": c.letter, "name": c.name, "waiting": waiting.get(c.letter, 0)}
        for c in hall.ticket_categories.all()
    ]
    return {"called": called, "categories": categories, "waiting_total": sum(waiting.values())}


def person_no_show_block_until(*, person_key: str, today: dt.date) -> dt.date | None:
    """The last day online booking is blocked: N no-shows within W days block it for B days after the Nth."""
    limit = conf.get("APPOINTMENT_NO_SHOW_LIMIT")
    window = conf.get("APPOINTMENT_NO_SHOW_WINDOW_DAYS")
    block = conf.get("APPOINTMENT_BLOCK_DAYS")
    days = sorted(
        Appointment.objects.filter(
            person_key=person_key,
            state=AppointmentState.NO_SHOW,
            no_show_on__gte=today - dt.timedelta(days=window + block),
        ).values_list("no_show_on", flat=True)
    )
    until = None
    for i in range(limit - 1, len(days)):
        if (days[i] - days[i - limit + 1]).days < window:
            end = days[i] + dt.timedelta(days=block)
            if end >= today and (until is None or end > until):
                until = end
    return until


def person_bookings_on(*, person_key: str, on: dt.date) -> int:
    return Appointment.objects.filter(
        person_key=person_key, on=on, state__in=ACTIVE_APPOINTMENT_STATES
    ).count()
