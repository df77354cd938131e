"""The daily case summary (CaseDaySummary) behind the dashboard's case figures, and how it is kept fresh.

Which figures come from here: the four case figures that are sums over cases by day —
最多跑一次比例（实际）, 按时办结率, 平均办理时长 and 网上申办率 (SUMMARISED) — at district, department and
street scope. Everything else is live: the item figures (read from the catalog as of the period's end; the
catalog is small), 超期件 (a snapshot of today's open cases, read through the state/deadline index), the
rating figures, any figure for one item, and the rows behind every figure.

How it stays fresh (never staler than settings.KPI_SUMMARY_MAX_AGE_SECONDS):
- every case transition marks the (lead department, day) cells it touches — its acceptance day and its
  conclusion day — in SummaryDirtyDay (an after-transition handler, bianmin.kpi.apps);
- refresh() recomputes the marked cells from the cases and clears their marks; the huey periodic task
  kpi.tasks.refresh_case_summary runs it every minute, and ensure_fresh() runs it before a read when the last
  refresh is older than the maximum age (so a stopped task queue never leaves the dashboard stale);
- rebuild() recomputes every cell, one department at a time (manage.py kpi_summary --rebuild; nightly by the
  task queue, which also picks up calendar changes and rows written outside the case services, such as the
  bench generator's bulk inserts).

A database never summarised (a fresh install, a restored dump, the bench generator's output) is never rebuilt
inside a request (12–24 s at a million cases): the first read asks the task queue for the rebuild
(request_rebuild(): one task, deduplicated by a cache lock and, in the task, by a huey lock and a check that
no one built it meanwhile) and answers from source(): below KPI_LIVE_FALLBACK_MAX_CASES cases the summarised
figures are computed live from the cases (exact, and cheap at that size); above it they are shown as being
computed (no number) until the task has built the summary — never an approximate figure shown as current.

Each cell is recomputed from scratch: the cases are read outside any lock, and the cells are stored under the
lock (the SummaryState row; on SQLite the IMMEDIATE transaction) only if nothing else was stored meanwhile
(SummaryState.generation), else read again — so a refresh never overwrites newer cells with older ones and
never holds SQLite's write lock while it reads. A mark written while a refresh runs survives to the next one.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from bianmin.cases.models import Case
from bianmin.kpi import indicators
from bianmin.kpi.constants import Figure
from bianmin.kpi.indicators import DISTRICT, Period, Result, ScopeFilter
from bianmin.kpi.models import CaseDaySummary, SummaryDirtyDay, SummaryState

logger = logging.getLogger(__name__)

SUMMARISED = indicators.SUMMARISABLE_CASE_FIGURES
COLUMNS = (
    "concluded",
    "concluded_on_time",
    "concluded_one_visit",
    "working_days",
    "accepted",
    "accepted_online",
)
MARK_BATCH = 5000
REBUILD_REQUESTED = "kpi:summary:rebuild-requested"  # cache key: a first build is queued or running
# a queued build that never ran (no consumer, crash) is asked for again after this
REBUILD_REQUEST_TTL = 30 * 60
LIVE_FALLBACK_MAX_CASES = 10_000  # default of settings.KPI_LIVE_FALLBACK_MAX_CASES (live ≈ 0.2 s there)


def max_age() -> dt.timedelta:
    return dt.timedelta(seconds=int(settings.KPI_SUMMARY_MAX_AGE_SECONDS))


def is_summarised(figure: str, scope: ScopeFilter) -> bool:
    return figure in SUMMARISED and not scope.item_id


# --------------------------------------------------------------------------------------------------
# computing cells from the cases (the same conditions as the live figures, bianmin.kpi.indicators)
# --------------------------------------------------------------------------------------------------


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def compute_cells(department_ids, start: dt.date | None = None, end: dt.date | None = None) -> dict:
    """{(department id, day): {column: value}} for these departments over [start, end] (None: every day)."""
    cells: dict[tuple, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    department_ids = sorted(department_ids)
    concluded = Case.objects.filter(
        department_id__in=department_ids,
        state__in=indicators.CONCLUDED_STATES,
        accepted_on__isnull=False,
        concluded_at__isnull=False,
    )
    accepted = Case.objects.filter(department_id__in=department_ids, accepted_on__isnull=False)
    if start is not None:
        concluded = concluded.filter(
            concluded_at__gte=_aware(start), concluded_at__lt=_aware(end + dt.timedelta(1))
        )
        accepted = accepted.filter(accepted_on__gte=start, accepted_on__lte=end)
    # one pass over the concluded cases: counts per (day, acceptance day, suspended days), so the working
    # days come from one between() per distinct pair (indicators.case_working_days, as the live figure)
    groups = (
        concluded.annotate(concluded_day=indicators.concluded_day())
        .values_list("department_id", "concluded_day", "accepted_on", "suspended_days")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=indicators.ON_TIME_Q),
            one_visit=Count("pk", filter=indicators.ONE_VISIT_Q),
        )
        .order_by()
    )
    span: dict = {}
    for department_id, day, accepted_on, suspended, n, on_time, one_visit in groups:
        cell = cells[department_id, day]
        cell["concluded"] += n
        cell["concluded_on_time"] += on_time
        cell["concluded_one_visit"] += one_visit
        cell["working_days"] += indicators.case_working_days(accepted_on, day, suspended, span) * n
    for row in (
        accepted.values("department_id", "accepted_on")
        .annotate(n=Count("pk"), online=Count("pk", filter=indicators.ONLINE_Q))
        .order_by()
    ):
        cell = cells[row["department_id"], row["accepted_on"]]
        cell["accepted"] = row["n"]
        cell["accepted_online"] = row["online"]
    return dict(cells)


def _store(cells: dict, department_ids, start: dt.date | None = None, end: dt.date | None = None) -> int:
    """Replace these departments' cells over [start, end] (None: all) by ``cells``; returns the rows written."""
    old = CaseDaySummary.objects.filter(department_id__in=sorted(department_ids))
    if start is not None:
        old = old.filter(day__gte=start, day__lte=end)
    old.delete()
    rows = [
        CaseDaySummary(department_id=department_id, day=day, **values)
        for (department_id, day), values in sorted(cells.items())
        if any(values.values())
    ]
    CaseDaySummary.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _generation() -> int:
    SummaryState.objects.get_or_create(pk=1)
    return SummaryState.objects.values_list("generation", flat=True).get(pk=1)


def _recompute(parts: list[tuple], *, after=None, attempts: int = 3) -> int:
    """Recompute the cells of ``parts`` — (department ids, start, end) each — and store them; then ``after(state)``
    inside the same write. Optimistic: the cases are read outside any lock (on SQLite a write transaction
    would stop every other writer meanwhile), and the result is stored only if no other refresh or rebuild
    stored anything in between (SummaryState.generation); otherwise read again. The last attempt reads
    under the lock."""
    for attempt in range(attempts):
        locked = attempt == attempts - 1
        with transaction.atomic() if locked else _nothing():
            state = _lock() if locked else None
            generation = state.generation if state else _generation()
            computed = [(ids, start, end, compute_cells(ids, start, end)) for ids, start, end in parts]
            with transaction.atomic():
                state = _lock()
                if state.generation != generation:
                    continue  # someone stored newer cells meanwhile: read again
                written = sum(_store(cells, ids, start, end) for ids, start, end, cells in computed)
                state.generation += 1
                if after is not None:
                    after(state)
                state.save()
                return written
    raise RuntimeError("unreachable: the last attempt holds the lock")


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _ranges(days: set[dt.date], gap: int = 7) -> list[tuple[dt.date, dt.date]]:
    """Sorted days merged into ranges (days at most ``gap`` apart share one)."""
    out: list[list[dt.date]] = []
    for day in sorted(days):
        if out and (day - out[-1][1]).days <= gap:
            out[-1][1] = day
        else:
            out.append([day, day])
    return [(a, b) for a, b in out]


def _lock() -> SummaryState:
    """Take the refreshers' lock (the SummaryState row) inside the current transaction."""
    SummaryState.objects.get_or_create(pk=1)
    return SummaryState.objects.select_for_update().get(pk=1)


# --------------------------------------------------------------------------------------------------
# keeping it fresh
# --------------------------------------------------------------------------------------------------


def mark_case(case_id) -> None:
    """Mark the cells a case counts in (its acceptance day; its conclusion day) for the next refresh."""
    row = Case.objects.filter(pk=case_id).values("department_id", "accepted_on", "concluded_at").first()
    if not row or row["accepted_on"] is None:
        return  # a case never accepted counts in no case figure
    days = {row["accepted_on"]}
    if row["concluded_at"] is not None:
        days.add(timezone.localdate(row["concluded_at"]))
    SummaryDirtyDay.objects.bulk_create(
        [SummaryDirtyDay(department_id=row["department_id"], day=day) for day in days]
    )


def on_transition(done) -> None:
    """After-transition handler (registered in KpiConfig.ready)."""
    mark_case(done.case_id)


def refresh(*, now: dt.datetime | None = None) -> int:
    """Recompute the marked cells; returns how many marks were cleared."""
    cleared = 0
    while True:
        started = now or timezone.now()  # every change committed before this has its mark read below
        marks = list(
            SummaryDirtyDay.objects.order_by("pk").values_list("pk", "department_id", "day")[:MARK_BATCH]
        )
        # one recomputation per range of marked days, over every department marked in it
        days = {day for _pk, _department, day in marks}
        parts = [
            ({d for _pk, d, day in marks if start <= day <= end}, start, end) for start, end in _ranges(days)
        ]
        done = len(marks) < MARK_BATCH

        def after(state, marks=marks, started=started, done=done):
            # the marks read are covered by what was just stored; later ones wait for the next refresh
            SummaryDirtyDay.objects.filter(pk__in=[m[0] for m in marks]).delete()
            if done and (state.refreshed_at is None or state.refreshed_at < started):
                state.refreshed_at = started

        _recompute(parts, after=after)
        cleared += len(marks)
        if done:
            return cleared


def rebuild() -> int:
    """Recompute every cell, one department at a time; returns the rows written."""
    from bianmin.organisations.models import Department

    started = timezone.now()
    last_mark = SummaryDirtyDay.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    departments = set(Department.objects.values_list("pk", flat=True)) | set(
        CaseDaySummary.objects.values_list("department_id", flat=True).distinct()
    )
    written = 0
    for department_id in sorted(departments):
        written += _recompute([([department_id], None, None)])

    def after(state):
        # marks older than the rebuild are covered by it; later ones wait for the next refresh
        SummaryDirtyDay.objects.filter(pk__lte=last_mark).delete()
        state.rebuilt_at = started
        if state.refreshed_at is None or state.refreshed_at < started:
            state.refreshed_at = started

    _recompute([], after=after)
    return written


def ensure_fresh() -> SummaryState | None:
    """Before reading: refresh a summary older than KPI_SUMMARY_MAX_AGE_SECONDS (the marked cells only) and
    return its state; None when it was never built — then its first build is requested from the task queue
    (request_rebuild()), never run here."""
    state = SummaryState.objects.filter(pk=1).first()
    if state is None or state.rebuilt_at is None:
        request_rebuild()
        # with HUEY immediate (tests, HUEY_IMMEDIATE=1) the task has run by now
        state = SummaryState.objects.filter(pk=1).first()
        return state if state is not None and state.rebuilt_at is not None else None
    if state.refreshed_at is None or state.refreshed_at < timezone.now() - max_age():
        refresh()
        return SummaryState.objects.get(pk=1)
    return state


def is_built() -> bool:
    return SummaryState.objects.filter(pk=1, rebuilt_at__isnull=False).exists()


def request_rebuild() -> bool:
    """Queue the first build of the summary (kpi.tasks.build_case_summary) unless one is already queued or
    running; returns whether this call queued it. The cache lock is per process with the local-memory cache
    (shared with Redis): a second process may queue a second task, which finds the summary built (or the
    huey lock held) and does nothing."""
    if not cache.add(REBUILD_REQUESTED, timezone.now().isoformat(), timeout=REBUILD_REQUEST_TTL):
        return False
    from bianmin.kpi import tasks

    try:
        tasks.build_case_summary()
    except Exception:  # the queue is unreachable: the read still answers (live or pending); the next one asks
        cache.delete(REBUILD_REQUESTED)
        logger.exception("kpi: could not queue the first build of the case summary")
        return False
    return True


def rebuild_requested() -> bool:
    return cache.get(REBUILD_REQUESTED) is not None


def release_rebuild_request() -> None:
    cache.delete(REBUILD_REQUESTED)


def live_fallback_max_cases() -> int:
    return int(getattr(settings, "KPI_LIVE_FALLBACK_MAX_CASES", LIVE_FALLBACK_MAX_CASES))


def small_enough_for_live() -> bool:
    """Whether the case table is small enough to compute the summarised figures live while the summary is
    being built (a bounded count: reads at most the limit + 1 rows)."""
    limit = live_fallback_max_cases()
    return Case.objects.order_by().values("pk")[: limit + 1].count() <= limit


@dataclass(frozen=True)
class Source:
    """Where the summarised figures come from for one read: the summary (``state``), the cases live
    (``live``: the summary is being built and the cases are few), or nowhere yet (``pending``: the summary is
    being built and the cases are many — the figures are shown as being computed)."""

    state: SummaryState | None
    live: bool = False

    @property
    def pending(self) -> bool:
        return self.state is None and not self.live

    @property
    def as_of(self) -> dt.datetime | None:
        return self.state.refreshed_at if self.state is not None else None


def source() -> Source:
    """ensure_fresh(), and what to answer with while the summary is being built."""
    state = ensure_fresh()
    if state is not None:
        return Source(state)
    return Source(None, live=small_enough_for_live())


def as_of() -> dt.datetime | None:
    """What the summary includes: every case change committed before this instant."""
    return SummaryState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()


# --------------------------------------------------------------------------------------------------
# reading figures
# --------------------------------------------------------------------------------------------------


def _cells(period: Period, scope: ScopeFilter):
    qs = CaseDaySummary.objects.filter(day__gte=period.start, day__lte=period.end)
    if scope.department_id:
        qs = qs.filter(department_id=scope.department_id)
    elif scope.street_id:
        qs = qs.filter(department__region_id=scope.street_id)
    return qs


def totals(period: Period, scope: ScopeFilter = DISTRICT) -> dict[str, int]:
    sums = _cells(period, scope).aggregate(**{c: Sum(c) for c in COLUMNS})
    return {c: sums[c] or 0 for c in COLUMNS}


def totals_by_department(period: Period, scope: ScopeFilter = DISTRICT) -> dict[int, dict[str, int]]:
    rows = (
        _cells(period, scope)
        .values("department_id")
        .annotate(**{f"s_{c}": Sum(c) for c in COLUMNS})
        .order_by()
    )
    return {r["department_id"]: {c: r[f"s_{c}"] or 0 for c in COLUMNS} for r in rows}


def numbers(figure: str, sums: dict[str, int]) -> tuple[int, int, Decimal | None]:
    """(numerator, denominator, value) of a summarised figure from summed columns."""
    if figure == Figure.ONE_VISIT_REALISED:
        n, d = sums["concluded_one_visit"], sums["concluded"]
    elif figure == Figure.ON_TIME:
        n, d = sums["concluded_on_time"], sums["concluded"]
    elif figure == Figure.AVERAGE_DAYS:
        n, d = sums["working_days"], sums["concluded"]
        return n, d, indicators.average_value(n, d)
    elif figure == Figure.ONLINE_APPLIED:
        n, d = sums["accepted_online"], sums["accepted"]
    else:
        raise ValueError(figure)
    return n, d, indicators._ratio(n, d)


def compute(
    figure: str, *, period: Period, scope: ScopeFilter = DISTRICT, sums: dict | None = None
) -> Result:
    """A summarised figure, with the same (lazy, live) rows behind it as the live computation."""
    sums = sums if sums is not None else totals(period, scope)
    n, d, value = numbers(figure, sums)
    num_rows, den_rows = indicators.case_rows(figure, period=period, scope=scope)
    return Result(figure, n, d, value, num_rows, den_rows, (), period, scope, {"summarised": True})


def pending(figure: str, *, period: Period, scope: ScopeFilter = DISTRICT) -> Result:
    """A summarised figure while the summary is being built over many cases: no number (never a guess), the
    rows behind it as usual (lazy)."""
    num_rows, den_rows = indicators.case_rows(figure, period=period, scope=scope)
    return Result(
        figure, None, None, None, num_rows, den_rows, (), period, scope, {"summarised": True, "pending": True}
    )


def read(
    figure: str, *, period: Period, scope: ScopeFilter = DISTRICT, src: Source, sums: dict | None = None
) -> Result:
    """A summarised figure from ``src``: the summary, live from the cases, or pending."""
    if src.state is not None:
        return compute(figure, period=period, scope=scope, sums=sums)
    if src.live:
        return indicators.compute(figure, period=period, scope=scope)
    return pending(figure, period=period, scope=scope)
