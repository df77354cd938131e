"""A database whose daily case summary was never built: no read builds it in the request.

The first read queues one build on the task queue (deduplicated) and answers meanwhile: with few cases the
summarised figures are computed live (exact), with many they are shown as being computed (no number). Once
the task has run, the figures come from the summary and equal the live ones."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from huey.contrib.djhuey import HUEY
from rest_framework.test import APIClient

from bianmin.kpi import indicators, selectors, summary, tasks
from bianmin.kpi.constants import Figure
from bianmin.kpi.indicators import Period, ScopeFilter
from bianmin.kpi.models import CaseDaySummary, SummaryState
from tests.factories import DepartmentFactory, StaffFactory
from tests.kpi.conftest import at, case, item

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)
YEAR = Period(dt.date(2026, 1, 1), TODAY)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(at(TODAY, 11), tick=False):
        yield


@pytest.fixture
def queue(monkeypatch):
    """The task queue as in production: tasks are queued, not run (the in-memory storage of the test
    settings), until the test runs them with run_queued()."""
    HUEY.flush()
    cache.delete(summary.REBUILD_REQUESTED)
    monkeypatch.setattr(HUEY, "_immediate", False)

    def run_queued() -> int:
        ran = 0
        HUEY._immediate = True  # run as the test settings do (no closing of the test's connection)
        try:
            while (task := HUEY.dequeue()) is not None:
                HUEY.execute(task)
                ran += 1
        finally:
            HUEY._immediate = False
        return ran

    queue = type("Q", (), {"count": staticmethod(HUEY.pending_count), "run": staticmethod(run_queued)})
    yield queue
    HUEY.flush()
    cache.delete(summary.REBUILD_REQUESTED)


@pytest.fixture
def data():
    a = DepartmentFactory(name="区甲局")
    b = DepartmentFactory(name="区乙局")
    a1, b1 = item(a), item(b, online_depth=["1"])
    cases = [
        case(a1, accepted=dt.date(2026, 3, 2), concluded=dt.date(2026, 3, 6), deadline=dt.date(2026, 3, 16),
             visits_count=1, channel="online"),
        case(a1, accepted=dt.date(2026, 3, 2), concluded=dt.date(2026, 3, 20), deadline=dt.date(2026, 3, 16),
             visits_count=2, channel="window"),
        case(b1, accepted=dt.date(2026, 5, 11), concluded=dt.date(2026, 5, 13), deadline=dt.date(2026, 5, 20),
             visits_count=0, channel="online"),
        case(b1, accepted=dt.date(2026, 6, 1), deadline=dt.date(2026, 6, 10), channel="window"),
    ]  # fmt: skip
    return type("D", (), {"a": a, "b": b, "a1": a1, "b1": b1, "cases": cases})


def _live(figure, scope=indicators.DISTRICT):
    r = indicators.compute(figure, period=YEAR, scope=scope)
    return r.numerator, r.denominator, r.value


def _not_built():
    assert not CaseDaySummary.objects.exists()
    assert not SummaryState.objects.filter(rebuilt_at__isnull=False).exists()


def test_a_cold_read_over_many_cases_queues_one_build_and_shows_the_case_figures_as_being_computed(
    client, data, queue, settings
):
    settings.KPI_LIVE_FALLBACK_MAX_CASES = 3  # 4 cases: "many"
    client.force_login(StaffFactory(supervisor=True))
    resp = client.get("/workbench/kpi/?period=2026")
    assert resp.status_code == 200
    _not_built()  # not built in the request …
    assert queue.count() == 1  # … but queued
    rows = {r["figure"]: r for r in resp.context["rows"]}
    for figure in summary.SUMMARISED:  # no number shown as if current
        r = rows[figure]
        assert r["pending"] and not r["live"]
        assert (r["numerator"], r["denominator"], r["value"]) == (None, None, None)
        assert r["display"] == "计算中" and r["gap"] is None
    assert rows[Figure.ONLINE]["display"] == "50.0%"  # the live figures are there
    assert rows[Figure.OVERDUE]["numerator"] == 1
    body = resp.content.decode()
    assert 'id="kpi-summary-building"' in body and 'data-source="pending"' in body

    # every other read while the build is queued: no second task, nothing built, nothing wrong shown
    resp = client.get(f"/workbench/kpi/{Figure.ON_TIME}/?period=2026")
    assert resp.status_code == 200
    assert resp.context["result"].pending and resp.context["parts"] == []
    assert all(p["pending"] and p["numerator"] is None for p in resp.context["trend"])
    assert client.get("/figures/").status_code == 200
    assert client.get("/workbench/kpi/export.csv?period=2026").status_code == 200
    api = APIClient()
    api.force_authenticate(StaffFactory(supervisor=True))
    on_time = next(f for f in api.get("/api/v1/kpi/?period=2026").json() if f["figure"] == Figure.ON_TIME)
    assert on_time["pending"] is True and on_time["numerator"] is None and on_time["value"] is None
    detail = api.get(f"/api/v1/kpi/{Figure.ON_TIME}/?period=2026").json()
    assert detail["pending"] is True and detail["breakdown"] == []
    assert queue.count() == 1
    _not_built()

    # the task builds it; then every figure comes from the summary and equals the live computation
    assert queue.run() == 1
    assert SummaryState.objects.get(pk=1).rebuilt_at is not None
    resp = client.get("/workbench/kpi/?period=2026")
    rows = {r["figure"]: r for r in resp.context["rows"]}
    for figure in summary.SUMMARISED:
        r = rows[figure]
        assert not r["pending"] and not r["live"]
        assert (r["numerator"], r["denominator"], r["value"]) == _live(figure)
    assert (rows[Figure.ON_TIME]["numerator"], rows[Figure.ON_TIME]["denominator"]) == (2, 3)
    assert 'id="kpi-summary-building"' not in resp.content.decode()
    assert queue.count() == 0  # built: nothing more is queued
    parts = client.get(f"/workbench/kpi/{Figure.ON_TIME}/?period=2026").context["parts"]
    assert sum(p["numerator"] for p in parts) == 2 and sum(p["denominator"] for p in parts) == 3


def test_a_cold_read_over_few_cases_answers_live_and_exact(client, data, queue):
    client.force_login(StaffFactory(supervisor=True))
    resp = client.get("/workbench/kpi/?period=2026")
    _not_built()
    assert queue.count() == 1
    rows = {r["figure"]: r for r in resp.context["rows"]}
    for figure in summary.SUMMARISED:
        r = rows[figure]
        assert r["live"] and not r["pending"]
        assert (r["numerator"], r["denominator"], r["value"]) == _live(figure)
    assert 'id="kpi-summary-building"' in resp.content.decode()
    # the drill-down's department parts come from the same (live) source and add up to the district
    resp = client.get(f"/workbench/kpi/{Figure.ONLINE_APPLIED}/?period=2026")
    total, parts = resp.context["result"], resp.context["parts"]
    assert (total.numerator, total.denominator) == (2, 4)
    assert {p["label"]: (p["numerator"], p["denominator"]) for p in parts} == {
        "区甲局": (1, 2),
        "区乙局": (1, 2),
    }
    public = {r.figure: r for r in client.get("/figures/").context["results"]}
    assert (public[Figure.ON_TIME].numerator, public[Figure.ON_TIME].denominator) == (2, 3)
    assert queue.count() == 1
    _not_built()
    queue.run()
    values = selectors.figure_values(period=YEAR, scope=ScopeFilter(department_id=data.a.pk))
    for figure in summary.SUMMARISED:
        assert values[figure].extra.get("summarised")
        r = values[figure]
        assert (r.numerator, r.denominator, r.value) == _live(figure, ScopeFilter(department_id=data.a.pk))


def test_a_request_lost_by_the_queue_is_made_again_after_a_while(data, queue):
    summary.source()
    assert queue.count() == 1
    HUEY.flush()  # lost (no consumer, the queue wiped)
    summary.source()
    assert queue.count() == 0  # still marked as requested
    with time_machine.travel(
        at(TODAY, 11) + dt.timedelta(seconds=summary.REBUILD_REQUEST_TTL + 1), tick=False
    ):
        summary.source()
        assert queue.count() == 1
    # and the per-minute refresh builds a summary never built, whatever happened to the request
    tasks.refresh_case_summary.call_local()
    assert SummaryState.objects.get(pk=1).rebuilt_at is not None


def test_the_build_task_does_nothing_when_built_or_being_built(data, queue, monkeypatch):
    calls = []
    real = summary.rebuild
    monkeypatch.setattr(summary, "rebuild", lambda: calls.append(1) or real())
    with HUEY.lock_task(tasks.FIRST_BUILD_LOCK):  # another worker is building it
        assert tasks.build_case_summary.call_local() is False
    assert calls == []
    assert tasks.build_case_summary.call_local() is True
    assert tasks.build_case_summary.call_local() is False  # built already
    assert calls == [1]
    assert not summary.rebuild_requested()


def test_immediate_mode_builds_on_the_first_read(data):
    """With HUEY immediate (the test settings; HUEY_IMMEDIATE=1) the queued task runs at once."""
    cache.delete(summary.REBUILD_REQUESTED)
    src = summary.source()
    assert src.state is not None and src.state.rebuilt_at is not None
    assert not summary.rebuild_requested()


def test_the_demo_seed_leaves_the_summary_built(data):
    from bianmin.kpi import seed

    seed.seed(today=TODAY)
    assert summary.is_built()
    assert summary.totals(YEAR)["accepted"] == 4


def test_a_queue_that_refuses_the_task_does_not_break_the_read(data, queue, monkeypatch, settings):
    settings.KPI_LIVE_FALLBACK_MAX_CASES = 3

    def refuse():
        raise ConnectionError("queue down")

    monkeypatch.setattr(tasks, "build_case_summary", refuse)
    values = selectors.figure_values(period=YEAR)
    assert all(values[f].pending for f in summary.SUMMARISED)
    assert not summary.rebuild_requested()  # the next read asks again
    _not_built()
