"""The daily case summary: its figures equal the live computation on the same data, at every scope and
period, after a rebuild, after new cases arrive and a refresh; it is kept fresh by case transitions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from bianmin.cases import registries
from bianmin.kpi import indicators, selectors, summary
from bianmin.kpi.constants import Figure
from bianmin.kpi.indicators import Period, ScopeFilter
from bianmin.kpi.models import CaseDaySummary, SummaryDirtyDay, SummaryState
from tests.factories import DepartmentFactory, RegionFactory
from tests.kpi.conftest import at, case, item

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)
PERIODS = [
    Period(dt.date(2026, 1, 1), TODAY),
    Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    Period(dt.date(2026, 3, 6), dt.date(2026, 3, 6)),  # one day, the conclusion day of c1
    Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    Period(dt.date(2026, 7, 1), dt.date(2026, 7, 31)),  # nothing yet
]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(at(TODAY, 11), tick=False):
        yield


@pytest.fixture
def data():
    street = RegionFactory(code="440507002000", name="龙祥街道", level="street")
    a = DepartmentFactory(name="区甲局")
    b = DepartmentFactory(name="区乙局", region=street)
    a1, b1 = item(a), item(b)
    c = [
        case(a1, accepted=dt.date(2026, 3, 2), concluded=dt.date(2026, 3, 6), deadline=dt.date(2026, 3, 16),
             visits_count=1, channel="online"),
        case(a1, accepted=dt.date(2026, 3, 2), concluded=dt.date(2026, 3, 20), deadline=dt.date(2026, 3, 16),
             visits_count=2, channel="window", suspended_days=3),
        case(b1, accepted=dt.date(2026, 5, 11), concluded=dt.date(2026, 5, 13), deadline=dt.date(2026, 5, 20),
             visits_count=0, channel="online", state="delivered"),
        case(a1, accepted=dt.date(2025, 12, 29), concluded=dt.date(2026, 1, 5), deadline=dt.date(2026, 1, 9),
             channel="online"),  # accepted in 2025, concluded in 2026
        case(b1, accepted=dt.date(2026, 6, 1), deadline=dt.date(2026, 6, 10), channel="window"),
        case(b1, accepted=dt.date(2026, 6, 22), deadline=dt.date(2026, 7, 6), channel="online",
             state="withdrawn"),  # accepted, then withdrawn: still an accepted case
        case(a1, accepted=None, channel="online", state="submitted"),  # never accepted: counts nowhere
        case(b1, accepted=dt.date(2026, 3, 30), deadline=dt.date(2026, 3, 31), state="concluded"),
    ]  # fmt: skip
    # concluded late in the evening: its day is the local (Beijing) day, 16:00 UTC is midnight there
    type(c[-1]).objects.filter(pk=c[-1].pk).update(
        concluded_at=dt.datetime(2026, 3, 31, 15, 59, tzinfo=dt.UTC)
    )
    return type("D", (), {"a": a, "b": b, "street": street, "a1": a1, "b1": b1, "cases": c})


def _scopes(d):
    return [
        indicators.DISTRICT,
        ScopeFilter(department_id=d.a.pk),
        ScopeFilter(department_id=d.b.pk),
        ScopeFilter(street_id=d.street.pk),
    ]


def _assert_summary_equals_live(d):
    for period in PERIODS:
        for scope in _scopes(d):
            sums = summary.totals(period, scope)
            for figure in summary.SUMMARISED:
                live = indicators.compute(figure, period=period, scope=scope)
                summarised = summary.compute(figure, period=period, scope=scope, sums=sums)
                assert (summarised.numerator, summarised.denominator, summarised.value) == (
                    live.numerator,
                    live.denominator,
                    live.value,
                ), (figure, period, scope)


def test_rebuilt_summary_equals_the_live_figures_everywhere(data):
    summary.rebuild()
    _assert_summary_equals_live(data)
    # and the hand-counted values for the half year, so the equality above is not vacuous
    h1 = summary.totals(PERIODS[0])
    assert h1["concluded"] == 5  # c1, c2, c3 (delivered), c4 (accepted in 2025), the late-evening one
    assert h1["concluded_on_time"] == 4  # all but c2
    # c4 was accepted in 2025; online: c1, c3, the withdrawn one and the late-evening one (channel default)
    assert h1["accepted"] == 6 and h1["accepted_online"] == 4
    state = SummaryState.objects.get(pk=1)
    assert state.rebuilt_at == timezone.now() and state.refreshed_at == timezone.now()


def test_local_day_of_conclusion(data):
    summary.rebuild()
    cell = CaseDaySummary.objects.get(department=data.b, day=dt.date(2026, 3, 31))
    assert cell.concluded == 1 and cell.concluded_on_time == 1


def test_new_cases_are_seen_after_the_refresh_not_before(data):
    summary.rebuild()
    before = summary.totals(PERIODS[0])
    new = case(data.b1, accepted=dt.date(2026, 6, 29), concluded=dt.date(2026, 6, 30),
               deadline=dt.date(2026, 7, 10), channel="online", visits_count=0)  # fmt: skip
    assert summary.totals(PERIODS[0]) == before  # not yet: the summary lags until its cells are refreshed
    summary.mark_case(new.pk)  # what the after-transition handler does
    assert set(SummaryDirtyDay.objects.values_list("department_id", "day")) == {
        (data.b.pk, dt.date(2026, 6, 29)),
        (data.b.pk, dt.date(2026, 6, 30)),
    }
    assert summary.refresh() == 2
    assert not SummaryDirtyDay.objects.exists()
    after = summary.totals(PERIODS[0])
    assert after["concluded"] == before["concluded"] + 1
    assert after["accepted_online"] == before["accepted_online"] + 1
    _assert_summary_equals_live(data)


def test_a_case_changing_after_conclusion_is_recounted(data):
    summary.rebuild()
    assert summary.compute(Figure.ONE_VISIT_REALISED, period=PERIODS[1]).numerator == 2  # c1, late-evening
    c1 = data.cases[0]
    type(c1).objects.filter(pk=c1.pk).update(visits_count=3, state="delivered")  # a visit at pickup
    summary.mark_case(c1.pk)
    summary.refresh()
    _assert_summary_equals_live(data)
    assert summary.compute(Figure.ONE_VISIT_REALISED, period=PERIODS[1]).numerator == 1


def test_cells_of_departments_without_cases_any_more_are_removed_by_a_rebuild(data):
    summary.rebuild()
    type(data.cases[2]).objects.filter(department=data.b).delete()
    summary.rebuild()
    assert not CaseDaySummary.objects.filter(department=data.b).exists()
    _assert_summary_equals_live(data)


def test_a_stale_summary_is_refreshed_before_it_is_read(data, settings):
    settings.KPI_SUMMARY_MAX_AGE_SECONDS = 300
    # never built: the first read queues the build, which HUEY immediate (the test settings) runs at once
    assert summary.ensure_fresh().rebuilt_at is not None
    new = case(data.a1, accepted=dt.date(2026, 6, 30), channel="online")
    summary.mark_case(new.pk)
    with time_machine.travel(at(TODAY, 11) + dt.timedelta(seconds=200), tick=False):
        summary.ensure_fresh()  # fresh enough: read as is
        assert SummaryDirtyDay.objects.count() == 1
        assert summary.compute(Figure.ONLINE_APPLIED, period=PERIODS[0]).denominator == 6
    with time_machine.travel(at(TODAY, 11) + dt.timedelta(seconds=301), tick=False):
        state = summary.ensure_fresh()  # older than the maximum age: refreshed first
        assert not SummaryDirtyDay.objects.exists()
        assert state.refreshed_at == timezone.now()
        assert summary.compute(Figure.ONLINE_APPLIED, period=PERIODS[0]).denominator == 7


def test_dashboard_marks_live_and_summarised_figures(data):
    rows = {r["figure"]: r for r in selectors.dashboard(period=PERIODS[0])}
    for figure in summary.SUMMARISED:
        assert rows[figure]["live"] is False
        assert rows[figure]["as_of"] == SummaryState.objects.get(pk=1).refreshed_at
        live = indicators.compute(figure, period=PERIODS[0])
        assert (rows[figure]["numerator"], rows[figure]["denominator"]) == (live.numerator, live.denominator)
    for figure in (Figure.ONLINE, Figure.OVERDUE, Figure.SATISFACTION):
        assert rows[figure]["live"] is True
    # one item: every figure live
    one = {
        r["figure"]: r for r in selectors.dashboard(period=PERIODS[0], scope=ScopeFilter(item_id=data.a1.pk))
    }
    assert all(r["live"] for r in one.values())
    assert one[Figure.ON_TIME]["denominator"] == 3  # c1, c2, c4


def test_trend_from_the_summary_equals_the_live_trend(data):
    summary.rebuild()
    for figure in summary.SUMMARISED:
        points = selectors.trend(figure, end=TODAY, months=7)
        for point, month in zip(points, selectors.month_periods(end=TODAY, months=7), strict=True):
            live = indicators.compute(figure, period=month)
            assert (point["numerator"], point["denominator"]) == (live.numerator, live.denominator)


def test_department_breakdown_from_the_summary_sums_to_the_district(data):
    for figure in summary.SUMMARISED:
        total = selectors.drill_figure(figure, period=PERIODS[0])
        parts = selectors.breakdown(figure, by="department", period=PERIODS[0])
        assert sum(p["numerator"] for p in parts) == total.numerator
        assert sum(p["denominator"] for p in parts) == total.denominator
        for p in parts:  # and each part is that department's live figure
            own = indicators.compute(figure, period=PERIODS[0], scope=ScopeFilter(department_id=p["key"]))
            assert (p["numerator"], p["denominator"]) == (own.numerator, own.denominator)


def test_the_handler_is_registered():
    assert summary.on_transition in registries.after_transition_handlers()


def test_real_transitions_mark_their_cells(django_capture_on_commit_callbacks):
    from tests.cases.conftest import MONDAY, build_world
    from tests.cases.helpers import concluded

    with time_machine.travel(MONDAY, tick=False):
        w = build_world()
        summary.rebuild()
        with django_capture_on_commit_callbacks(execute=True):
            c = concluded(w)
        day = MONDAY.date()
        assert set(SummaryDirtyDay.objects.values_list("department_id", "day")) == {(w.lead.pk, day)}
        summary.refresh()
        march = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
        for figure in summary.SUMMARISED:
            live = indicators.compute(figure, period=march)
            assert summary.compute(figure, period=march).denominator == live.denominator == 1, figure
        assert summary.compute(Figure.ON_TIME, period=march).numerator == 1
        assert c.state == "concluded"


def test_management_command(data, capsys):
    call_command("kpi_summary", "--rebuild")
    assert "rebuilt" in capsys.readouterr().out
    assert CaseDaySummary.objects.exists()
    call_command("kpi_summary")
    assert "refreshed: 0 marks" in capsys.readouterr().out


def test_periodic_tasks_refresh_and_rebuild(data):
    from bianmin.kpi import tasks

    tasks.rebuild_case_summary.call_local()
    assert SummaryState.objects.get(pk=1).rebuilt_at == timezone.now()
    new = case(data.a1, accepted=dt.date(2026, 6, 30), channel="window")
    summary.mark_case(new.pk)
    tasks.refresh_case_summary.call_local()
    assert not SummaryDirtyDay.objects.exists()
    _assert_summary_equals_live(data)


def test_a_refresh_that_raced_another_reads_again(data, monkeypatch):
    """Cells read before someone else stored newer ones are not stored: the refresh reads the cases again."""
    summary.rebuild()
    new = case(data.b1, accepted=dt.date(2026, 6, 29), channel="online")
    summary.mark_case(new.pk)
    real = summary.compute_cells
    calls = []

    def racing(*args, **kwargs):
        cells = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:  # another refresher stores meanwhile
            SummaryState.objects.filter(pk=1).update(generation=F("generation") + 1)
        return cells

    monkeypatch.setattr(summary, "compute_cells", racing)
    before = SummaryState.objects.get(pk=1).generation
    summary.refresh()
    assert len(calls) == 2  # read again after the conflict
    assert SummaryState.objects.get(pk=1).generation == before + 2
    assert not SummaryDirtyDay.objects.exists()
    _assert_summary_equals_live(data)
