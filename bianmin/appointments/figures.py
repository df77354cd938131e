"""Figures for the hall manager: waits, service times, no-shows, load per window and hour, 就近可办 per street."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

from django.conf import settings
from django.utils import timezone

from bianmin.appointments.constants import AppointmentState, TicketState
from bianmin.appointments.models import Appointment, HallItem, QueueTicket
from bianmin.appointments.selectors import distance_km, district_prefix, region_point
from bianmin.catalog.models import ServiceItem
from bianmin.organisations.constants import RegionLevel
from bianmin.organisations.models import Hall, Region


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return round(ordered[rank - 1], 1)


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    value = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return round(value, 1)


def hall_figures(*, hall: Hall, start: dt.date, end: dt.date) -> dict:
    tickets = list(QueueTicket.objects.filter(hall=hall, on__gte=start, on__lte=end).select_related("window"))
    waits = [(t.called_at - t.issued_at).total_seconds() / 60 for t in tickets if t.called_at]
    services = [
        (t.finished_at - t.called_at).total_seconds() / 60
        for t in tickets
        if t.state == TicketState.DONE and t.called_at and t.finished_at
    ]
    load: Counter = Counter()
    for t in tickets:
        if t.called_at and t.window:
            load[(t.window.number, timezone.localtime(t.called_at).hour)] += 1
    windows = sorted({w for w, _h in load})
    hours = sorted({h for _w, h in load})
    return {
        "tickets": len(tickets),
        "served": sum(1 for t in tickets if t.state == TicketState.DONE),
        "wait_median": median(waits),
        "wait_p90": percentile(waits, 90),
        "service_median": median(services),
        "service_p90": percentile(services, 90),
        "ticket_no_shows": sum(1 for t in tickets if t.state == TicketState.NO_SHOW),
        "appointments": Appointment.objects.filter(hall=hall, on__gte=start, on__lte=end).count(),
        "appointment_no_shows": Appointment.objects.filter(
            hall=hall, on__gte=start, on__lte=end, state=AppointmentState.NO_SHOW
        ).count(),
        "load": [
            {"window": w, "hour": h, "count": load[(w, h)]} for w in windows for h in hours if load[(w, h)]
        ],
        "load_windows": windows,
        "load_hours": hours,
        "load_table": [[w, [load.get((w, h), 0) for h in hours]] for w in windows],
    }


def _in_scope(item: ServiceItem) -> bool:
    """Items serving natural persons handled on site (办理形式 1), as in the 就近可办比例 KPI (design.md §7)."""
    v = item.current_version
    return bool(
        v
        and v.accepts_applications
        and "1" in [str(x) for x in (v.handling_forms or [])]
        and "1" in [str(x) for x in (getattr(v, "service_objects", None) or [])]
    )


def nearby_share_by_street(*, district_code: str | None = None) -> list[dict]:
    """Per street: of the in-scope items, how many its nearest hall takes in (numerator / denominator).
    The district is settings.DISTRICT_REGION_CODE (BIANMIN_DISTRICT_CODE) unless given."""
    district_code = district_code or getattr(settings, "DISTRICT_REGION_CODE", "440507")
    items = [
        i
        for i in ServiceItem.objects.select_related("current_version", "department__region").filter(
            current_version__isnull=False, sub_items__isnull=True
        )
        if _in_scope(i)
    ]
    halls = list(Hall.objects.filter(is_active=True, latitude__isnull=False).select_related("region"))
    listed: dict[int, set[int]] = {}
    for hall_id, item_id in HallItem.objects.filter(is_active=True).values_list("hall_id", "item_id"):
        listed.setdefault(hall_id, set()).add(item_id)
    rows = []
    streets = Region.objects.filter(level=RegionLevel.STREET, code__startswith=district_prefix(district_code))
    for street in streets.order_by("sort_order", "code"):
        point = region_point(street)
        if point is None or not halls:
            continue
        nearest = min(halls, key=lambda h: distance_km(point[0], point[1], h.latitude, h.longitude))
        taken = 0
        for item in items:
            scope = item.current_version.is_nearby_scope and district_prefix(
                nearest.region.code
            ) == district_prefix(item.department.region.code)
            if scope or item.pk in listed.get(nearest.pk, set()):
                taken += 1
        rows.append(
            {
                "street_code": street.code,
                "street": street.name,
                "hall_id": nearest.pk,
                "hall": nearest.name,
                "numerator": taken,
                "denominator": len(items),
                "share": round(taken / len(items), 4) if items else None,
            }
        )
    return rows
