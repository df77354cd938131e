"""Reads of the calendar. The calendar is public: no user scoping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bianmin.workdays import workcalendar
from bianmin.workdays.constants import DayKind
from bianmin.workdays.models import CalendarYear
from bianmin.workdays.workcalendar import DayEntry, YearInfo


@dataclass(frozen=True)
class HolidayBlock:
    """Consecutive days off around a holiday (weekend days inside the block included)."""

    name: str
    start: dt.date
    end: dt.date

    @property
    def length(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class YearCalendar:
    year: int
    status: str
    record: CalendarYear | None
    days: list[DayEntry]

    @property
    def is_provisional(self) -> bool:
        return self.status == "provisional"

    @property
    def holidays(self) -> list[DayEntry]:
        return [d for d in self.days if d.kind == DayKind.HOLIDAY]

    @property
    def adjusted_workdays(self) -> list[DayEntry]:
        return [d for d in self.days if d.kind == DayKind.ADJUSTED_WORKDAY]

    @property
    def holiday_blocks(self) -> list[HolidayBlock]:
        """Consecutive holiday days grouped for display (e.g. 国庆节 10-01 … 10-07)."""
        blocks: list[HolidayBlock] = []
        for day in self.holidays:
            if blocks and (day.date - blocks[-1].end).days == 1:
                last = blocks[-1]
                names = last.name.split("、")
                extra = [n for n in day.holiday_name.split("、") if n and n not in names]
                blocks[-1] = HolidayBlock("、".join([*names, *extra]), last.start, day.date)
            else:
                blocks.append(HolidayBlock(day.holiday_name, day.date, day.date))
        return blocks


def calendar_year_get(*, year: int) -> YearCalendar:
    """A covered year with its days; raises CalendarOutOfRange outside the calendar. One query at most."""
    info: YearInfo
    info, days = workcalendar.year_days(year)
    record = CalendarYear.objects.select_related("entered_by").filter(year=year).first()
    return YearCalendar(year=year, status=str(info.status), record=record, days=days)


def calendar_years_list() -> list[YearInfo]:
    return workcalendar.covered_years()
