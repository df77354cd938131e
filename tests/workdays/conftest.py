import datetime as dt

import pytest
import time_machine

from bianmin.workdays import workcalendar


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test sees the calendar of its own database (rolled back between tests)."""
    workcalendar.invalidate()
    yield
    workcalendar.invalidate()


@pytest.fixture
def today_2026():
    """The clock frozen on 2026-11-27 (Beijing time): 2027 and 2028 are provisional, 2029 on is refused."""
    with time_machine.travel(
        dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False
    ):
        yield dt.date(2026, 11, 27)
