"""Demo/reference data: the official years of chinese_calendar (normally already there from the data
migration) and the provisional years up to the horizon, stored so the admin lists them. Idempotent."""

from bianmin.workdays import workcalendar
from bianmin.workdays.models import CalendarDay, CalendarYear
from bianmin.workdays.seeding import seed_package_years
from bianmin.workdays.services import calendar_provisional_years_store


def seed(*, today) -> str:
    official = seed_package_years(CalendarYear, CalendarDay)
    provisional = calendar_provisional_years_store(today=today)
    workcalendar.invalidate()
    return f"official years added {len(official)}, provisional years stored {len(provisional)}"
