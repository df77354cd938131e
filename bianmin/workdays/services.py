"""The working-day calendar's write path, its extension point, and the arithmetic everybody calls.

Other apps use:
    from bianmin.workdays.services import add, between, add_with_provenance, between_with_provenance
    from bianmin.workdays.services import register_calendar_listener
(see workcalendar.py for the exact definitions of add and between).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.accounts.constants import Role
from bianmin.accounts.rules import is_platform_admin
from bianmin.audit.services import audit_record
from bianmin.core.exceptions import PermissionDenied
from bianmin.workdays import workcalendar
from bianmin.workdays.constants import PROVISIONAL_YEARS_AHEAD, CalendarStatus, DayKind
from bianmin.workdays.exceptions import CalendarOutOfRange, CalendarScheduleInvalid
from bianmin.workdays.models import CalendarDay, CalendarYear
from bianmin.workdays.seeding import write_year_days
from bianmin.workdays.workcalendar import (  # noqa: F401  (re-exported: the module other apps import)
    DayEntry,
    WorkdayCount,
    WorkdayResult,
    add,
    add_with_provenance,
    between,
    between_with_provenance,
    day_info,
    is_workday,
)

logger = logging.getLogger(__name__)

FIRST_ENTERABLE_YEAR = 2004
LAST_ENTERABLE_YEAR = 2100


@dataclass(frozen=True)
class HolidayPeriod:
    """One block of days off from a State Council notice, e.g. 国庆节 2027-10-01 … 2027-10-07."""

    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class AdjustedWorkday:
    """A weekend day worked instead (调休上班), with the holiday it pays for."""

    date: dt.date
    name: str = ""


@dataclass(frozen=True)
class CalendarChange:
    """What listeners receive after a year is published.

    start … end is the span whose deadlines may differ: the whole year when it was provisional before
    (every deadline over it loses its provisional mark), else the first to the last day whose working
    status changed. changed_dates lists the days whose working status flipped.
    """

    year: int
    start: dt.date
    end: dt.date
    changed_dates: tuple[dt.date, ...]
    previous_status: str
    acting_user: Any = field(default=None, compare=False)


CalendarListener = Callable[[CalendarChange], None]
_listeners: list[CalendarListener] = []


def register_calendar_listener(listener: CalendarListener) -> CalendarListener:
    """Call `listener(change)` whenever a year is published. Idempotent; usable as a decorator.

    Listeners run inside the publishing transaction, after the new calendar is in effect in this
    process, so an error in one rolls the publication back. Heavy work (recomputing many deadlines)
    should be scheduled with transaction.on_commit by the listener itself.
    """
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def unregister_calendar_listener(listener: CalendarListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def _coerce_period(item: HolidayPeriod | Mapping) -> HolidayPeriod:
    if isinstance(item, HolidayPeriod):
        return item
    return HolidayPeriod(name=item["name"], start=item["start"], end=item["end"])


def _coerce_adjusted(item: AdjustedWorkday | Mapping | dt.date) -> AdjustedWorkday:
    if isinstance(item, AdjustedWorkday):
        return item
    if isinstance(item, dt.date):
        return AdjustedWorkday(date=item)
    return AdjustedWorkday(date=item["date"], name=item.get("name", ""))


def schedule_days(
    *, year: int, holidays: Iterable[HolidayPeriod], adjusted_workdays: Iterable[AdjustedWorkday]
) -> list[DayEntry]:
    """Validate a State Council schedule and expand it into every day of the year (official)."""
    errors: dict[str, list[str]] = {}

    def fail(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if not FIRST_ENTERABLE_YEAR <= year <= LAST_ENTERABLE_YEAR:
        raise CalendarScheduleInvalid(
            _("年份须在 %(first)s 至 %(last)s 之间。")
            % {"first": FIRST_ENTERABLE_YEAR, "last": LAST_ENTERABLE_YEAR},
            fields={"year": [_("年份超出范围。")]},
        )
    off: dict[dt.date, str] = {}
    if not holidays:
        fail("holidays", _("请至少录入一个放假时段。"))
    for period in holidays:
        name = (period.name or "").strip()
        if not name or len(name) > 100:
            fail("holidays", _("每个放假时段都需要节日名称（不超过100字）。"))
            continue
        if period.start > period.end:
            fail("holidays", _("%(name)s：开始日期晚于结束日期。") % {"name": name})
            continue
        if period.start.year != year or period.end.year != year:
            fail("holidays", _("%(name)s：日期须在 %(year)s 年内。") % {"name": name, "year": year})
            continue
        day = period.start
        while day <= period.end:
            if day in off:
                fail("holidays", _("%(day)s 重复出现在多个放假时段中。") % {"day": day.isoformat()})
            off[day] = name
            day += dt.timedelta(days=1)
    worked: dict[dt.date, str] = {}
    for item in adjusted_workdays:
        if item.date.year != year:
            fail(
                "adjusted_workdays",
                _("%(day)s 不在 %(year)s 年内。") % {"day": item.date.isoformat(), "year": year},
            )
        elif item.date.weekday() < 5:
            fail(
                "adjusted_workdays",
                _("%(day)s 不是周六或周日，无须调休上班。") % {"day": item.date.isoformat()},
            )
        elif item.date in off:
            fail("adjusted_workdays", _("%(day)s 同时被录入为放假日。") % {"day": item.date.isoformat()})
        elif item.date in worked:
            fail("adjusted_workdays", _("%(day)s 重复录入。") % {"day": item.date.isoformat()})
        else:
            worked[item.date] = (item.name or "").strip()[:100]
    if errors:
        raise CalendarScheduleInvalid(_("放假安排有误，请检查后重试。"), fields=errors)

    entries = []
    official = CalendarStatus.OFFICIAL
    day = dt.date(year, 1, 1)
    while day.year == year:
        if day in off:
            entries.append(DayEntry(day, False, DayKind.HOLIDAY, off[day], official))
        elif day in worked:
            entries.append(DayEntry(day, True, DayKind.ADJUSTED_WORKDAY, worked[day], official))
        elif day.weekday() >= 5:
            entries.append(DayEntry(day, False, DayKind.WEEKEND, "", official))
        else:
            entries.append(DayEntry(day, True, DayKind.WORKDAY, "", official))
        day += dt.timedelta(days=1)
    return entries


def _current_year_view(year: int) -> tuple[str, list[DayEntry] | None]:
    try:
        info, days = workcalendar.year_days(year)
    except CalendarOutOfRange:
        return "", None
    return info.status, days


@transaction.atomic
def calendar_year_publish(
    *,
    year: int,
    holidays: Iterable[HolidayPeriod | Mapping],
    adjusted_workdays: Iterable[AdjustedWorkday | Mapping | dt.date],
    acting_user,
    source_note: str = "",
) -> CalendarYear:
    """Enter (or correct) a year's official schedule; replaces its provisional days and tells the listeners."""
    if not is_platform_admin(acting_user):
        raise PermissionDenied(_("只有平台管理员可以录入放假安排。"))
    periods = [_coerce_period(item) for item in holidays]
    adjusted = [_coerce_adjusted(item) for item in adjusted_workdays]
    entries = schedule_days(year=year, holidays=periods, adjusted_workdays=adjusted)

    previous_status, previous_days = _current_year_view(year)
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    stored_status = calendar_year.status if calendar_year else ""
    now = timezone.now()
    if calendar_year is None:
        calendar_year = CalendarYear.objects.create(
            year=year,
            status=CalendarStatus.OFFICIAL,
            published_at=now,
            entered_by=acting_user,
            source_note=source_note[:200],
        )
    else:
        calendar_year.status = CalendarStatus.OFFICIAL
        calendar_year.published_at = now
        calendar_year.entered_by = acting_user
        calendar_year.source_note = source_note[:200]
        calendar_year.save(
            update_fields=["status", "published_at", "entered_by", "source_note", "updated_at"]
        )
        CalendarDay.objects.filter(calendar_year=calendar_year).delete()
    write_year_days(CalendarDay, calendar_year, entries)

    if previous_days is not None:
        before = {entry.date: entry.is_workday for entry in previous_days}
        changed = tuple(entry.date for entry in entries if before.get(entry.date) != entry.is_workday)
    else:  # nothing known before: compare with a plain Monday-to-Friday week
        changed = tuple(entry.date for entry in entries if entry.is_workday != (entry.date.weekday() < 5))

    audit_record(
        actor=acting_user,
        action="workdays.year_published",
        target=calendar_year,
        role=Role.PLATFORM_ADMIN,
        changes={
            "status": [stored_status or previous_status or None, CalendarStatus.OFFICIAL],
            "source_note": source_note[:200],
            "holidays": [{"name": p.name, "start": p.start, "end": p.end} for p in periods],
            "adjusted_workdays": [{"date": a.date, "name": a.name} for a in adjusted],
            "changed_dates": list(changed),
        },
    )

    workcalendar.invalidate()
    transaction.on_commit(
        workcalendar.invalidate
    )  # also after commit: another thread may have reloaded meanwhile

    if previous_status != CalendarStatus.OFFICIAL:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif changed:
        start, end = changed[0], changed[-1]
    else:
        return calendar_year  # an official year entered again unchanged: no deadline moves
    change = CalendarChange(
        year=year,
        start=start,
        end=end,
        changed_dates=changed,
        previous_status=previous_status,
        acting_user=acting_user,
    )
    for listener in list(_listeners):
        listener(change)
    return calendar_year


@transaction.atomic
def calendar_provisional_years_store(*, today: dt.date) -> list[int]:
    """Store the computed provisional years up to the horizon that have no row yet (idempotent).

    Not needed for the arithmetic (it computes provisional years itself); it makes them visible and
    listable in the admin. A stored provisional year is replaced when its official schedule is published.
    """
    horizon = today.year + PROVISIONAL_YEARS_AHEAD
    existing = set(CalendarYear.objects.filter(year__lte=horizon).values_list("year", flat=True))
    stored = []
    for year in range(today.year, horizon + 1):
        if year in existing or workcalendar.package_covers(year):
            continue
        calendar_year = CalendarYear.objects.create(
            year=year,
            status=CalendarStatus.PROVISIONAL,
            source_note=_("按《全国年节及纪念日放假办法》推算，未含调休"),
        )
        write_year_days(CalendarDay, calendar_year, workcalendar.provisional_days(year))
        audit_record(
            actor=None,
            action="workdays.provisional_year_stored",
            target=calendar_year,
            changes={"year": year},
        )
        stored.append(year)
    if stored:
        workcalendar.invalidate()
    return stored
