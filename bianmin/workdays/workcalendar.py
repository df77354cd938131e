"""Working-day arithmetic (工作日): add(D, N) and between(D1, D2), answered from memory.

Definitions (design.md §5a):
- ``add(D, N)`` is the Nth working day after D; D itself is not counted (民法典 第201条: the first day of a
  period does not count). ``add(D, 0) == D``. For N < 0 it is the working day W for which
  ``between(W, D) == -N`` counting back from D (``add(Mon, -1)`` is the previous Friday).
- ``between(D1, D2)`` is the number of working days in (D1, D2]; 0 when D1 == D2 and
  ``-between(D2, D1)`` when D2 < D1. Hence ``between(D, add(D, N)) == N`` for every N.
- Each answer can say whether a provisional day took part (``*_with_provenance``): a deadline computed
  over a day of a year whose State Council schedule is not yet entered is provisional.

Where a year's days come from, first match wins:
1. an official year entered in the database (``CalendarYear.status == official``);
2. the ``chinese_calendar`` package, for the years it covers (2004–2026 in 1.11);
3. a provisional year stored in the database, or else computed here from the 2024 regulation
   (weekends + statutory holidays, lunar dates from lunar-python, no 调休), but only up to the end of
   the year after next (today's year + 2);
beyond that a computation is refused with ``CalendarOutOfRange``.

The calendar is held per process as flat arrays (cumulative working-day counts), so one computation
is a couple of index lookups and never touches the database. The process checks at most every
``WORKDAYS_CACHE_SECONDS`` (default 60) whether a year was published elsewhere (one small query), and
the publishing process drops its copy at once (``invalidate()``).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from array import array
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from bianmin.workdays.constants import PACKAGE_HOLIDAY_NAMES, PROVISIONAL_YEARS_AHEAD, CalendarStatus, DayKind
from bianmin.workdays.exceptions import CalendarOutOfRange


@dataclass(frozen=True, slots=True)
class DayEntry:
    date: dt.date
    is_workday: bool
    kind: str
    holiday_name: str
    source: str


@dataclass(frozen=True, slots=True)
class WorkdayResult:
    """The answer of add_with_provenance: the date and whether a provisional day was counted."""

    date: dt.date
    is_provisional: bool


@dataclass(frozen=True, slots=True)
class WorkdayCount:
    """The answer of between_with_provenance."""

    count: int
    is_provisional: bool


# --- where a year's days come from ---------------------------------------------------------------------


def _kind_for_plain_day(day: dt.date) -> tuple[bool, str]:
    if day.weekday() >= 5:
        return False, DayKind.WEEKEND
    return True, DayKind.WORKDAY


def _dates_of_year(year: int):
    day = dt.date(year, 1, 1)
    one = dt.timedelta(days=1)
    while day.year == year:
        yield day
        day += one


def package_covers(year: int) -> bool:
    """Whether the installed chinese_calendar package knows the official schedule of this year."""
    import chinese_calendar

    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def package_days(year: int) -> list[DayEntry] | None:
    """The official days of a year as encoded in chinese_calendar, or None if the package lacks the year."""
    import chinese_calendar
    from chinese_calendar.constants import holidays, workdays

    if not package_covers(year):
        return None
    entries = []
    for day in _dates_of_year(year):
        if day in holidays:
            name = PACKAGE_HOLIDAY_NAMES.get(str(holidays[day]), str(holidays[day]))
            entries.append(DayEntry(day, False, DayKind.HOLIDAY, name, CalendarStatus.OFFICIAL))
        elif day in workdays:
            name = PACKAGE_HOLIDAY_NAMES.get(str(workdays[day]), str(workdays[day]))
            entries.append(DayEntry(day, True, DayKind.ADJUSTED_WORKDAY, name, CalendarStatus.OFFICIAL))
        else:
            is_workday = chinese_calendar.is_workday(day)
            kind = DayKind.WORKDAY if is_workday else DayKind.WEEKEND
            entries.append(DayEntry(day, is_workday, kind, "", CalendarStatus.OFFICIAL))
    return entries


def _solar_date(solar) -> dt.date:
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The 13 statutory holiday days of 《全国年节及纪念日放假办法》(2024) falling in a year, without 调休."""
    from lunar_python import Lunar

    found: dict[dt.date, list[str]] = {}

    def mark(day: dt.date, name: str) -> None:
        names = found.setdefault(day, [])
        if name not in names:
            names.append(name)

    mark(dt.date(year, 1, 1), "元旦")
    spring = Lunar.fromYmd(year, 1, 1).getSolar()
    for offset in (-1, 0, 1, 2):  # 除夕 and 初一–初三
        mark(_solar_date(spring.next(offset)), "春节")
    mark(_solar_date(Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]), "清明节")
    mark(dt.date(year, 5, 1), "劳动节")
    mark(dt.date(year, 5, 2), "劳动节")
    mark(_solar_date(Lunar.fromYmd(year, 5, 5).getSolar()), "端午节")
    mark(_solar_date(Lunar.fromYmd(year, 8, 15).getSolar()), "中秋节")
    for day in (1, 2, 3):
        mark(dt.date(year, 10, day), "国庆节")
    return {day: "、".join(names) for day, names in sorted(found.items()) if day.year == year}


def provisional_days(year: int) -> list[DayEntry]:
    """A year without an official schedule: weekends plus the statutory holidays, marked provisional."""
    holidays = statutory_holidays(year)
    entries = []
    for day in _dates_of_year(year):
        if day in holidays:
            entries.append(DayEntry(day, False, DayKind.HOLIDAY, holidays[day], CalendarStatus.PROVISIONAL))
        else:
            is_workday, kind = _kind_for_plain_day(day)
            entries.append(DayEntry(day, is_workday, kind, "", CalendarStatus.PROVISIONAL))
    return entries


# --- the in-memory index --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class YearInfo:
    year: int
    status: str
    origin: str  # "database", "package" or "computed"


class CalendarIndex:
    """Every day from the first to the last covered year as flat arrays (offset = ordinal - first ordinal)."""

    def __init__(self, days: list[DayEntry], years: dict[int, YearInfo], *, horizon_year: int, signature):
        self.horizon_year = horizon_year
        self.signature = signature
        self.years = years
        self.days = days
        self.first = days[0].date if days else dt.date.max
        self.last = days[-1].date if days else dt.date.min
        self.first_ord = self.first.toordinal() if days else 0
        # cum[i] = working days among offsets < i; pcum[i] = provisional days among offsets < i
        cum = array("l", [0])
        pcum = array("l", [0])
        offsets = array("l")
        running = provisional = 0
        for offset, entry in enumerate(days):
            if entry.is_workday:
                running += 1
                offsets.append(offset)
            if entry.source == CalendarStatus.PROVISIONAL:
                provisional += 1
            cum.append(running)
            pcum.append(provisional)
        self.cum = cum
        self.pcum = pcum
        self.workday_offsets = offsets

    def offset(self, day: dt.date) -> int:
        off = day.toordinal() - self.first_ord
        if off < 0 or off >= len(self.days):
            raise CalendarOutOfRange(day=day, first=self._first_or_none(), last=self._last_or_none())
        return off

    def _first_or_none(self):
        return self.first if self.days else None

    def _last_or_none(self):
        return self.last if self.days else None

    def provisional_between(self, off_a: int, off_b: int) -> bool:
        low, high = min(off_a, off_b), max(off_a, off_b)
        return self.pcum[high + 1] - self.pcum[low + 1] > 0

    def add(self, day: dt.date, n: int) -> WorkdayResult:
        off = self.offset(day)
        if n == 0:
            return WorkdayResult(day, False)
        k = self.cum[off + 1] + n  # 1-based rank of the target working day
        if k < 1:
            raise CalendarOutOfRange(day=self.first - dt.timedelta(days=1), first=self.first, last=self.last)
        if k > len(self.workday_offsets):
            raise CalendarOutOfRange(day=self.last + dt.timedelta(days=1), first=self.first, last=self.last)
        target = self.workday_offsets[k - 1]
        return WorkdayResult(
            dt.date.fromordinal(self.first_ord + target), self.provisional_between(off, target)
        )

    def between(self, start: dt.date, end: dt.date) -> WorkdayCount:
        off_a, off_b = self.offset(start), self.offset(end)
        count = self.cum[off_b + 1] - self.cum[off_a + 1]
        return WorkdayCount(count, self.provisional_between(off_a, off_b))

    def day(self, day: dt.date) -> DayEntry:
        return self.days[self.offset(day)]

    def year_days(self, year: int) -> list[DayEntry]:
        if year not in self.years:
            probe = dt.date(year, 1, 1) if 1 <= year <= 9999 else None
            raise CalendarOutOfRange(day=probe, first=self._first_or_none(), last=self._last_or_none())
        start = self.offset(dt.date(year, 1, 1))
        end = self.offset(dt.date(year, 12, 31))
        return self.days[start : end + 1]


def _complete(year: int, rows: list[DayEntry], status: str) -> list[DayEntry]:
    """Fill any day a stored year lacks with the plain weekday rule, so the index has no holes."""
    by_date = {row.date: row for row in rows}
    entries = []
    for day in _dates_of_year(year):
        row = by_date.get(day)
        if row is None:
            is_workday, kind = _kind_for_plain_day(day)
            row = DayEntry(day, is_workday, kind, "", status)
        entries.append(row)
    return entries


FIRST_PACKAGE_YEAR = 2004


def _db_signature():
    from bianmin.workdays.models import CalendarYear

    return tuple(CalendarYear.objects.order_by("year").values_list("year", "status", "updated_at"))


def build_index(*, today: dt.date, signature=None) -> CalendarIndex:
    from bianmin.workdays.models import CalendarDay

    if signature is None:
        signature = _db_signature()
    horizon_year = today.year + PROVISIONAL_YEARS_AHEAD
    stored = {year: status for year, status, _updated in signature}
    official_stored = [year for year, status in stored.items() if status == CalendarStatus.OFFICIAL]
    first_year = min([FIRST_PACKAGE_YEAR, *stored])
    last_year = max([horizon_year, *official_stored])

    plan: list[tuple[int, str, str]] = []  # (year, status, origin)
    for year in range(first_year, last_year + 1):
        if stored.get(year) == CalendarStatus.OFFICIAL:
            plan.append((year, CalendarStatus.OFFICIAL, "database"))
        elif package_covers(year):
            plan.append((year, CalendarStatus.OFFICIAL, "package"))
        elif year <= horizon_year and year in stored:
            plan.append((year, CalendarStatus.PROVISIONAL, "database"))
        elif year <= horizon_year and year > FIRST_PACKAGE_YEAR:
            plan.append((year, CalendarStatus.PROVISIONAL, "computed"))
        elif year < FIRST_PACKAGE_YEAR:
            plan = []  # a gap among old stored years: start again after it
        else:
            break  # a gap: later years cannot be reached by counting from earlier ones

    from_db = [year for year, _status, origin in plan if origin == "database"]
    rows_by_year: dict[int, list[DayEntry]] = {year: [] for year in from_db}
    if from_db:
        query = (
            CalendarDay.objects.filter(calendar_year__year__in=from_db)
            .order_by("date")
            .values_list("calendar_year__year", "date", "is_workday", "kind", "holiday_name", "source")
        )
        for year, day, is_workday, kind, name, source in query.iterator(chunk_size=5000):
            rows_by_year[year].append(DayEntry(day, is_workday, kind, name, source))

    days: list[DayEntry] = []
    years: dict[int, YearInfo] = {}
    for year, status, origin in plan:
        if origin == "database":
            entries = _complete(year, rows_by_year[year], status)
        elif origin == "package":
            entries = package_days(year) or []
        else:
            entries = provisional_days(year)
        days.extend(entries)
        years[year] = YearInfo(year, status, origin)
    return CalendarIndex(days, years, horizon_year=horizon_year, signature=signature)


class _Holder:
    def __init__(self) -> None:
        self.index: CalendarIndex | None = None
        self.next_check_at = 0.0  # time.monotonic() after which the database signature is checked again
        self.year_span = (0.0, 0.0)  # epoch seconds of [1 January, next 1 January) of today's local year
        self.lock = threading.Lock()


_holder = _Holder()


def _year_span(today: dt.date) -> tuple[float, float]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(today.year, 1, 1, tzinfo=tz).timestamp()
    end = dt.datetime(today.year + 1, 1, 1, tzinfo=tz).timestamp()
    return start, end


def get_index() -> CalendarIndex:
    """The current calendar; rebuilt when a year was published, when the horizon moved, or on first use.

    The fast path costs two clock reads: today's date is only recomputed when the wall clock leaves
    the current year, and the database is only asked every WORKDAYS_CACHE_SECONDS.
    """
    index = _holder.index
    if index is not None:
        start, end = _holder.year_span
        if start <= time.time() < end and time.monotonic() < _holder.next_check_at:
            return index
    with _holder.lock:
        today = timezone.localdate()
        horizon_year = today.year + PROVISIONAL_YEARS_AHEAD
        index = _holder.index
        signature = _db_signature()
        if index is None or index.horizon_year != horizon_year or index.signature != signature:
            index = build_index(today=today, signature=signature)
            _holder.index = index
        _holder.year_span = _year_span(today)
        _holder.next_check_at = time.monotonic() + float(getattr(settings, "WORKDAYS_CACHE_SECONDS", 60))
        return index


def invalidate() -> None:
    """Drop this process's copy; the next computation reloads it from the database."""
    with _holder.lock:
        _holder.index = None
        _holder.next_check_at = 0.0


# --- the public arithmetic ------------------------------------------------------------------------------


def add_with_provenance(day: dt.date, n: int) -> WorkdayResult:
    return get_index().add(day, int(n))


def add(day: dt.date, n: int) -> dt.date:
    """The Nth working day after `day` (`day` not counted); add(day, 0) == day."""
    return get_index().add(day, int(n)).date


def between_with_provenance(start: dt.date, end: dt.date) -> WorkdayCount:
    return get_index().between(start, end)


def between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative when end < start."""
    return get_index().between(start, end).count


def is_workday(day: dt.date) -> bool:
    return get_index().day(day).is_workday


def day_info(day: dt.date) -> DayEntry:
    return get_index().day(day)


def year_days(year: int) -> tuple[YearInfo, list[DayEntry]]:
    """Every day of a covered year with the year's status and origin (refused outside the range)."""
    index = get_index()
    days = index.year_days(year)
    return index.years[year], days


def covered_years() -> list[YearInfo]:
    return list(get_index().years.values())
