"""Writing whole years of days. Takes the model classes so that the data migration can pass historical models."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from bianmin.workdays.constants import CalendarStatus
from bianmin.workdays.workcalendar import DayEntry, package_covers, package_days

PACKAGE_SOURCE_NOTE = "chinese_calendar 软件包（国务院办公厅历年放假安排）"


def write_year_days(day_model, calendar_year, entries: Iterable[DayEntry]) -> int:
    rows = [
        day_model(
            date=entry.date,
            calendar_year=calendar_year,
            is_workday=entry.is_workday,
            kind=str(entry.kind),
            holiday_name=entry.holiday_name,
            source=str(entry.source),
        )
        for entry in entries
    ]
    day_model.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def seed_package_years(year_model, day_model, *, first: int = 2004, last: int = 2100) -> list[int]:
    """Store every year the chinese_calendar package covers and the database lacks. Returns the years added."""
    existing = set(year_model.objects.values_list("year", flat=True))
    added = []
    now = timezone.now()
    for year in range(first, last + 1):
        if year in existing:
            continue
        if not package_covers(year):
            if year > first and added:
                break
            continue
        calendar_year = year_model.objects.create(
            year=year, status=CalendarStatus.OFFICIAL, published_at=now, source_note=PACKAGE_SOURCE_NOTE
        )
        write_year_days(day_model, calendar_year, package_days(year) or [])
        added.append(year)
    return added
