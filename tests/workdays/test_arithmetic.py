"""Properties of add/between, provenance, and the in-memory cache (no query per computation)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bianmin.workdays import workcalendar
from bianmin.workdays.exceptions import CalendarOutOfRange
from bianmin.workdays.models import CalendarYear
from bianmin.workdays.services import add, add_with_provenance, between, between_with_provenance

pytestmark = pytest.mark.django_db

D = dt.date
FIRST, LAST = D(2004, 1, 1), D(2028, 12, 31)  # with the clock in 2026


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(min_value=FIRST, max_value=D(2028, 6, 30)),
    n=st.integers(min_value=-120, max_value=120),
)
def test_between_undoes_add(today_2026, start, n):
    try:
        deadline = add(start, n)
    except CalendarOutOfRange:
        assert start < D(2004, 7, 1) and n < 0
        return
    assert between(start, deadline) == n
    if n > 0:
        assert deadline > start and workcalendar.is_workday(deadline)
        # nothing earlier reaches N: the day before the deadline counts N - 1
        assert between(start, deadline - dt.timedelta(days=1)) == n - 1
    elif n == 0:
        assert deadline == start


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=st.dates(min_value=FIRST, max_value=LAST), b=st.dates(min_value=FIRST, max_value=LAST))
def test_between_is_antisymmetric_and_counts_working_days(today_2026, a, b):
    assert between(a, b) == -between(b, a)
    if a <= b and (b - a).days < 60:
        expected = sum(workcalendar.is_workday(a + dt.timedelta(days=i)) for i in range(1, (b - a).days + 1))
        assert between(a, b) == expected


def test_provenance_marks_only_spans_touching_provisional_days(today_2026):
    assert add_with_provenance(D(2026, 12, 1), 5).is_provisional is False
    assert add_with_provenance(D(2026, 12, 25), 5).is_provisional is True
    assert add_with_provenance(D(2027, 1, 4), 0).is_provisional is False  # nothing counted
    assert between_with_provenance(D(2026, 12, 1), D(2026, 12, 31)).is_provisional is False
    assert between_with_provenance(D(2026, 12, 31), D(2027, 1, 1)).is_provisional is True
    assert between_with_provenance(D(2027, 1, 1), D(2026, 12, 31)).is_provisional is True


def test_computations_do_not_query_the_database(today_2026):
    add(D(2026, 1, 5), 1)  # loads the calendar once
    with CaptureQueriesContext(connection) as queries:
        for i in range(20_000):
            add(D(2026, 1, 1) + dt.timedelta(days=i % 700), i % 30)
            between(D(2026, 1, 1), D(2026, 1, 1) + dt.timedelta(days=i % 700))
    assert len(queries) == 0


def test_another_process_publishing_is_seen_after_the_check_interval(today_2026, settings):
    settings.WORKDAYS_CACHE_SECONDS = 0  # check on every call
    assert add_with_provenance(D(2026, 12, 31), 1).is_provisional is True
    # another process stored 2027 as official: this process only sees a new signature
    year = CalendarYear.objects.create(year=2027, status="official")
    from bianmin.workdays.models import CalendarDay
    from bianmin.workdays.seeding import write_year_days

    days = [
        workcalendar.DayEntry(d.date, d.is_workday, d.kind, d.holiday_name, "official")
        for d in workcalendar.provisional_days(2027)
    ]
    write_year_days(CalendarDay, year, days)
    assert add_with_provenance(D(2026, 12, 31), 1).is_provisional is False


def test_cached_calendar_is_reused_within_the_interval(today_2026, settings):
    settings.WORKDAYS_CACHE_SECONDS = 3600
    first = workcalendar.get_index()
    CalendarYear.objects.create(year=2027, status="official")
    assert workcalendar.get_index() is first
    workcalendar.invalidate()
    assert workcalendar.get_index() is not first
