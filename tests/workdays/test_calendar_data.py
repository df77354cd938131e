"""The calendar's days: 2026 as officially scheduled, provisional 2027/2028, refusal beyond the horizon."""

import datetime as dt

import chinese_calendar
import pytest

from bianmin.workdays import workcalendar
from bianmin.workdays.constants import CalendarStatus, DayKind
from bianmin.workdays.exceptions import CalendarOutOfRange
from bianmin.workdays.models import CalendarDay, CalendarYear
from bianmin.workdays.services import add, add_with_provenance, between, day_info, is_workday

pytestmark = pytest.mark.django_db

D = dt.date


def days_range(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def test_data_migration_stored_every_package_year_with_every_day():
    years = list(CalendarYear.objects.order_by("year").values_list("year", flat=True))
    assert years == list(range(2004, 2027))
    assert set(CalendarYear.objects.values_list("status", flat=True)) == {CalendarStatus.OFFICIAL}
    assert CalendarDay.objects.filter(calendar_year__year=2024).count() == 366
    assert CalendarDay.objects.filter(calendar_year__year=2026).count() == 365


def test_stored_official_days_agree_with_the_package_for_every_day():
    mismatches = [
        (day, is_work)
        for day, is_work in CalendarDay.objects.values_list("date", "is_workday")
        if chinese_calendar.is_workday(day) != is_work
    ]
    assert mismatches == []


def test_2026_national_day(today_2026):
    for day in days_range(D(2026, 10, 1), D(2026, 10, 7)):
        info = day_info(day)
        assert (info.is_workday, info.kind, info.holiday_name) == (False, DayKind.HOLIDAY, "国庆节"), day
    for day in (D(2026, 9, 20), D(2026, 10, 10)):  # Sunday and Saturday worked (调休)
        info = day_info(day)
        assert info.is_workday and info.kind == DayKind.ADJUSTED_WORKDAY and info.holiday_name == "国庆节"
        assert day.weekday() >= 5
    assert day_info(D(2026, 10, 11)).kind == DayKind.WEEKEND
    assert day_info(D(2026, 10, 8)).kind == DayKind.WORKDAY
    assert day_info(D(2026, 10, 1)).source == CalendarStatus.OFFICIAL


def test_2026_spring_festival(today_2026):
    assert [is_workday(d) for d in days_range(D(2026, 2, 15), D(2026, 2, 23))] == [False] * 9
    assert is_workday(D(2026, 2, 14)) and is_workday(D(2026, 2, 28))  # Saturdays worked
    assert not is_workday(D(2026, 2, 8))  # an ordinary Sunday
    assert is_workday(D(2026, 2, 24))


def test_2026_other_holidays_as_encoded(today_2026):
    off = [
        (D(2026, 1, 1), D(2026, 1, 3)),
        (D(2026, 4, 4), D(2026, 4, 6)),
        (D(2026, 5, 1), D(2026, 5, 5)),
        (D(2026, 6, 19), D(2026, 6, 21)),
        (D(2026, 9, 25), D(2026, 9, 27)),
    ]
    for start, end in off:
        assert not any(is_workday(d) for d in days_range(start, end)), start
    assert is_workday(D(2026, 1, 4)) and is_workday(D(2026, 5, 9))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 9, 30), 0, D(2026, 9, 30)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # 10-01…10-07 off
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # 10-08 Thu, 10-09 Fri, 10-10 Sat worked
        (D(2026, 9, 30), 4, D(2026, 10, 12)),  # 10-11 Sunday off
        (D(2026, 9, 18), 1, D(2026, 9, 20)),  # Friday -> the worked Sunday
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Friday -> the worked Saturday before 春节
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # 02-15…02-23 off
        (D(2026, 2, 14), 4, D(2026, 2, 27)),
        (D(2026, 2, 14), 5, D(2026, 2, 28)),  # the worked Saturday after 春节
        (D(2026, 12, 31), 1, D(2027, 1, 4)),  # 2027-01-01 Friday 元旦 (provisional), weekend
        (D(2026, 10, 12), -1, D(2026, 10, 10)),
        (D(2026, 10, 8), -1, D(2026, 9, 30)),
    ],
)
def test_add_hand_checked(today_2026, start, n, expected):
    assert add(start, n) == expected
    assert between(start, expected) == n


def test_between_hand_checked(today_2026):
    assert between(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert between(D(2026, 9, 30), D(2026, 9, 30)) == 0
    assert between(D(2026, 10, 12), D(2026, 9, 30)) == -4
    assert between(D(2026, 1, 1), D(2026, 12, 31)) == sum(
        chinese_calendar.is_workday(d) for d in days_range(D(2026, 1, 2), D(2026, 12, 31))
    )


def test_provisional_2027_spring_festival(today_2026):
    # 除夕 2027-02-05 and 初一–初三 02-06…02-08 off; no 调休, so the weekends stay weekends
    for day in days_range(D(2027, 2, 5), D(2027, 2, 8)):
        info = day_info(day)
        assert (info.is_workday, info.kind, info.holiday_name, info.source) == (
            False,
            DayKind.HOLIDAY,
            "春节",
            CalendarStatus.PROVISIONAL,
        ), day
    assert is_workday(D(2027, 2, 4)) and is_workday(D(2027, 2, 9))
    result = add_with_provenance(D(2027, 2, 4), 1)
    assert result.date == D(2027, 2, 9) and result.is_provisional
    assert not add_with_provenance(D(2026, 9, 30), 3).is_provisional


def test_provisional_years_hold_the_thirteen_statutory_days(today_2026):
    info, days = workcalendar.year_days(2027)
    assert info.status == CalendarStatus.PROVISIONAL
    holidays = {d.date: d.holiday_name for d in days if d.kind == DayKind.HOLIDAY}
    assert len(holidays) == 13
    assert holidays[D(2027, 1, 1)] == "元旦"
    assert holidays[D(2027, 4, 5)] == "清明节"
    assert holidays[D(2027, 5, 1)] == holidays[D(2027, 5, 2)] == "劳动节"
    assert holidays[D(2027, 6, 9)] == "端午节"
    assert holidays[D(2027, 9, 15)] == "中秋节"
    assert [holidays[D(2027, 10, d)] for d in (1, 2, 3)] == ["国庆节"] * 3
    assert not any(d.kind == DayKind.ADJUSTED_WORKDAY for d in days)
    # 2028: 中秋 falls on 10-03, a 国庆 day: 12 distinct days, one carrying both names
    holidays_2028 = workcalendar.statutory_holidays(2028)
    assert len(holidays_2028) == 12
    assert holidays_2028[D(2028, 10, 3)] == "中秋节、国庆节"  # as the 2023 notice wrote it
    assert holidays_2028[D(2028, 1, 25)] == "春节"  # 除夕


def test_beyond_the_horizon_is_refused(today_2026):
    with pytest.raises(CalendarOutOfRange) as caught:
        add(D(2031, 3, 2), 5)
    assert caught.value.code == "calendar_out_of_range"
    assert "2028-12-31" in str(caught.value.message) and "2031-03-02" in str(caught.value.message)
    with pytest.raises(CalendarOutOfRange):
        add(D(2028, 12, 1), 40)  # runs past 2028-12-31
    with pytest.raises(CalendarOutOfRange):
        between(D(2026, 1, 1), D(2029, 1, 2))
    with pytest.raises(CalendarOutOfRange):
        add(D(2003, 12, 31), 1)
    assert add(D(2028, 12, 1), 10) == D(2028, 12, 15)


def test_the_horizon_moves_with_the_clock():
    import time_machine

    with time_machine.travel(dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        assert day_info(D(2029, 1, 1)).source == CalendarStatus.PROVISIONAL
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        with pytest.raises(CalendarOutOfRange):
            day_info(D(2029, 1, 1))


def test_without_stored_years_the_package_still_answers(today_2026):
    """A flushed database (transaction=True tests) still computes: official years fall back to the package."""
    CalendarYear.objects.all().delete()
    workcalendar.invalidate()
    assert add(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert day_info(D(2026, 10, 10)).source == CalendarStatus.OFFICIAL
    assert add_with_provenance(D(2026, 12, 31), 1).is_provisional
