"""Publishing a year's official schedule: replaces provisional days, is audited, tells the listeners."""

import datetime as dt

import pytest

from bianmin.audit.models import AuditEntry
from bianmin.core.exceptions import PermissionDenied
from bianmin.workdays.constants import CalendarStatus, DayKind
from bianmin.workdays.exceptions import CalendarScheduleInvalid
from bianmin.workdays.models import CalendarDay, CalendarYear
from bianmin.workdays.services import (
    AdjustedWorkday,
    HolidayPeriod,
    add,
    add_with_provenance,
    calendar_provisional_years_store,
    calendar_year_publish,
    day_info,
    register_calendar_listener,
    unregister_calendar_listener,
)
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

D = dt.date

# A made-up but typical schedule for 2027 (the real one is published around November 2026).
HOLIDAYS_2027 = [
    HolidayPeriod("元旦", D(2027, 1, 1), D(2027, 1, 3)),
    HolidayPeriod("春节", D(2027, 2, 5), D(2027, 2, 12)),
    HolidayPeriod("清明节", D(2027, 4, 3), D(2027, 4, 5)),
    HolidayPeriod("劳动节", D(2027, 5, 1), D(2027, 5, 5)),
    HolidayPeriod("端午节", D(2027, 6, 9), D(2027, 6, 11)),
    HolidayPeriod("中秋节", D(2027, 9, 15), D(2027, 9, 17)),
    HolidayPeriod("国庆节", D(2027, 10, 1), D(2027, 10, 7)),
]
ADJUSTED_2027 = [
    AdjustedWorkday(D(2027, 2, 20), "春节"),
    AdjustedWorkday(D(2027, 4, 25), "劳动节"),
    AdjustedWorkday(D(2027, 9, 26), "国庆节"),
    AdjustedWorkday(D(2027, 10, 9), "国庆节"),
]


@pytest.fixture
def admin_user():
    return StaffFactory(platform_admin=True)


@pytest.fixture
def calls():
    received = []

    def listener(change):
        # the new calendar is already in effect when listeners run
        received.append((change, add(D(2027, 2, 4), 1)))

    register_calendar_listener(listener)
    yield received
    unregister_calendar_listener(listener)


def publish(user, **overrides):
    kwargs = {
        "year": 2027,
        "holidays": HOLIDAYS_2027,
        "adjusted_workdays": ADJUSTED_2027,
        "acting_user": user,
        "source_note": "国务院办公厅关于2027年部分节假日安排的通知",
    }
    kwargs.update(overrides)
    return calendar_year_publish(**kwargs)


def test_publishing_2027_replaces_the_provisional_year(today_2026, admin_user, calls):
    stored = calendar_provisional_years_store(today=today_2026)
    assert stored == [2027, 2028]
    assert (
        CalendarDay.objects.filter(calendar_year__year=2027, source=CalendarStatus.PROVISIONAL).count() == 365
    )
    before = add_with_provenance(D(2027, 2, 4), 1)
    assert (
        before == add_with_provenance(D(2027, 2, 4), 1)
        and before.date == D(2027, 2, 9)
        and before.is_provisional
    )

    year = publish(admin_user)

    year.refresh_from_db()
    assert (year.status, year.entered_by, year.published_at is not None) == (
        CalendarStatus.OFFICIAL,
        admin_user,
        True,
    )
    assert CalendarDay.objects.filter(calendar_year=year).count() == 365
    assert not CalendarDay.objects.filter(calendar_year=year, source=CalendarStatus.PROVISIONAL).exists()
    after = add_with_provenance(D(2027, 2, 4), 1)
    assert after.date == D(2027, 2, 15) and not after.is_provisional
    assert day_info(D(2027, 2, 20)).kind == DayKind.ADJUSTED_WORKDAY
    assert day_info(D(2027, 2, 10)).holiday_name == "春节"
    assert add(D(2027, 9, 30), 1) == D(2027, 10, 8)
    assert add(D(2027, 10, 8), 1) == D(2027, 10, 9)  # the worked Saturday

    [(change, seen_in_listener)] = calls
    assert (change.year, change.start, change.end) == (2027, D(2027, 1, 1), D(2027, 12, 31))
    assert change.previous_status == CalendarStatus.PROVISIONAL
    assert seen_in_listener == D(2027, 2, 15)
    for day in [
        D(2027, 2, 9),
        D(2027, 2, 12),
        D(2027, 2, 20),
        D(2027, 9, 26),
        D(2027, 10, 4),
        D(2027, 10, 9),
    ]:
        assert day in change.changed_dates
    assert D(2027, 2, 5) not in change.changed_dates  # off in both
    assert change.changed_dates == tuple(sorted(change.changed_dates))

    entry = AuditEntry.objects.get(action="workdays.year_published")
    assert entry.actor == admin_user and entry.object_id == str(year.pk)
    assert entry.changes["status"] == ["provisional", "official"]
    assert {"name": "春节", "start": "2027-02-05", "end": "2027-02-12"} in entry.changes["holidays"]


def test_publishing_a_year_never_stored_compares_with_the_computed_one(today_2026, admin_user, calls):
    assert not CalendarYear.objects.filter(year=2027).exists()
    publish(admin_user)
    [(change, _)] = calls
    assert change.previous_status == CalendarStatus.PROVISIONAL
    assert D(2027, 2, 9) in change.changed_dates


def test_correcting_an_official_year_reports_only_the_changed_span(today_2026, admin_user, calls):
    publish(admin_user)
    calls.clear()
    corrected = [*HOLIDAYS_2027[:-1], HolidayPeriod("国庆节", D(2027, 10, 1), D(2027, 10, 8))]
    publish(admin_user, holidays=corrected, adjusted_workdays=ADJUSTED_2027[:-1])
    [(change, _)] = calls
    assert change.previous_status == CalendarStatus.OFFICIAL
    assert (change.start, change.end) == (D(2027, 10, 8), D(2027, 10, 9))
    assert change.changed_dates == (D(2027, 10, 8), D(2027, 10, 9))
    assert add(D(2027, 9, 30), 1) == D(2027, 10, 11)

    calls.clear()
    publish(admin_user, holidays=corrected, adjusted_workdays=ADJUSTED_2027[:-1])
    assert calls == []  # nothing moved


def test_a_failing_listener_rolls_the_publication_back(today_2026, admin_user):
    def broken(change):
        raise RuntimeError("recomputation failed")

    register_calendar_listener(broken)
    try:
        with pytest.raises(RuntimeError):
            publish(admin_user)
    finally:
        unregister_calendar_listener(broken)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not AuditEntry.objects.filter(action="workdays.year_published").exists()


def test_publishing_the_year_after_the_horizon_makes_it_computable(today_2026, admin_user):
    holidays = [
        HolidayPeriod("元旦", D(2029, 1, 1), D(2029, 1, 1)),
        HolidayPeriod("国庆节", D(2029, 10, 1), D(2029, 10, 7)),
    ]
    publish(admin_user, year=2029, holidays=holidays, adjusted_workdays=[AdjustedWorkday(D(2029, 9, 29))])
    result = add_with_provenance(D(2029, 9, 28), 1)
    assert result.date == D(2029, 9, 29) and not result.is_provisional
    assert add_with_provenance(D(2028, 12, 29), 3).is_provisional  # 2028 is still provisional


@pytest.mark.parametrize("role", [None, "reviewer", "supervisor"])
def test_only_platform_administrators_may_publish(today_2026, role):
    user = StaffFactory(role=role) if role else StaffFactory()
    with pytest.raises(PermissionDenied):
        publish(user)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_superusers_may_publish(today_2026):
    user = StaffFactory(is_superuser=True, is_staff=True)
    assert publish(user).status == CalendarStatus.OFFICIAL


@pytest.mark.parametrize(
    ("holidays", "adjusted", "field"),
    [
        ([], [], "holidays"),
        ([HolidayPeriod("元旦", D(2026, 12, 31), D(2027, 1, 2))], [], "holidays"),
        ([HolidayPeriod("春节", D(2027, 2, 12), D(2027, 2, 5))], [], "holidays"),
        ([HolidayPeriod("", D(2027, 2, 5), D(2027, 2, 6))], [], "holidays"),
        (
            [
                HolidayPeriod("甲", D(2027, 2, 5), D(2027, 2, 8)),
                HolidayPeriod("乙", D(2027, 2, 8), D(2027, 2, 9)),
            ],
            [],
            "holidays",
        ),
        (HOLIDAYS_2027, [AdjustedWorkday(D(2027, 2, 17))], "adjusted_workdays"),  # a Wednesday
        (HOLIDAYS_2027, [AdjustedWorkday(D(2027, 10, 2))], "adjusted_workdays"),  # also a holiday
        (HOLIDAYS_2027, [AdjustedWorkday(D(2028, 1, 8))], "adjusted_workdays"),
    ],
)
def test_invalid_schedules_are_refused(today_2026, admin_user, holidays, adjusted, field):
    with pytest.raises(CalendarScheduleInvalid) as caught:
        publish(admin_user, holidays=holidays, adjusted_workdays=adjusted)
    assert field in caught.value.fields
    assert caught.value.code == "calendar_schedule_invalid"
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_seed_is_idempotent(today_2026):
    from bianmin.workdays.seed import seed

    seed(today=today_2026)
    counts = (CalendarYear.objects.count(), CalendarDay.objects.count())
    assert counts == (25, sum(366 if y % 4 == 0 else 365 for y in range(2004, 2029)))
    assert seed(today=today_2026) == "official years added 0, provisional years stored 0"
    assert (CalendarYear.objects.count(), CalendarDay.objects.count()) == counts
