"""Each §7 figure on a small hand-built district, compared with values counted by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bianmin.catalog.models import ServiceItem
from bianmin.kpi import indicators, selectors
from bianmin.kpi.constants import FIGURES, Figure
from bianmin.kpi.indicators import Period, ScopeFilter
from tests.factories import CitizenFactory, DepartmentFactory, RegionFactory, StaffFactory
from tests.kpi.conftest import case, item, rating, rectify, retire

pytestmark = pytest.mark.django_db

H1 = Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
Q1 = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))


@pytest.fixture
def district():
    street = RegionFactory(code="440507002000", name="龙祥街道", level="street")
    a = DepartmentFactory(name="区甲局")
    b = DepartmentFactory(name="区乙局", region=street)
    w = type("W", (), {})()
    w.a, w.b, w.street = a, b, street
    # a1: default (承诺件, 窗口+网上, 网办深度 4, 1 visit, 全区通办, 10/20 working days)
    w.a1 = item(a)
    # a2: 即办件, window only, no online acceptance, 2 visits, 全镇通办, 0/5
    w.a2 = item(
        a,
        handle_kind="1",
        handling_forms=["1"],
        online_depth=["1"],
        visits_required=2,
        universal_scope="5",
        promised_limit=0,
        statutory_limit=5,
    )
    # a3: street level, legal persons only, no statutory limit
    w.a3 = item(
        a, exercise_level="5", service_objects=["2"], handle_kind="1", statutory_limit=None, promised_limit=0
    )
    # b1: online only (网办深度 5), 0 visits, 投资项目审批, 15/20
    w.b1 = item(
        b,
        handling_forms=["2"],
        online_depth=["5"],
        visits_required=0,
        is_investment_project=True,
        promised_limit=15,
        statutory_limit=20,
    )
    # a parent with two sub-items: the sub-items count, the parent does not
    w.parent = item(b)
    w.s1 = item(b)
    w.s2 = item(b)
    ServiceItem.objects.filter(pk__in=[w.s1.pk, w.s2.pk]).update(parent=w.parent)
    # a city-level item (level 3) counts nowhere by default
    w.city = item(b, exercise_level="3")
    # r1: in force in Q1, retired on 1 April
    w.r1 = item(a)
    retire(w.r1, on=dt.date(2026, 4, 1))
    return w


def test_item_figures_as_of_end_of_period(district):
    r = indicators.online(period=H1)
    assert (r.numerator, r.denominator, r.value) == (4, 5, Decimal("0.8"))  # a1 b1 s1 s2 / a1 a2 b1 s1 s2
    assert {v.item_id for v in r.denominator_rows} == {
        district.a1.pk,
        district.a2.pk,
        district.b1.pk,
        district.s1.pk,
        district.s2.pk,
    }
    r = indicators.one_visit(period=H1)
    assert (r.numerator, r.denominator) == (4, 5)
    r = indicators.instant(period=H1)  # natural persons on site, levels 4 and 5: a1 a2 s1 s2
    assert (r.numerator, r.denominator) == (1, 4)
    assert r.display == "25.0%"
    r = indicators.nearby(period=H1)  # a1 s1 s2 are 全区通办; a2 only 全镇
    assert (r.numerator, r.denominator) == (3, 4)


def test_retired_item_counts_only_while_in_force(district):
    r = indicators.online(period=Q1)
    assert (r.numerator, r.denominator) == (5, 6)  # r1 still in force on 31 March
    assert district.r1.pk in {v.item_id for v in r.denominator_rows}


def test_nearby_by_local_hall(district):
    ServiceItem.objects.filter(pk=district.a2.pk).update(is_taken_at_local_hall=True)
    r = indicators.nearby(period=H1)
    assert (r.numerator, r.denominator) == (4, 4)


def test_levels_can_be_chosen(district):
    r = indicators.online(period=H1, levels=("3", "4", "5"))
    assert r.denominator == 7  # + a3 (level 5) + the city item
    assert r.levels == ("3", "4", "5")


def test_limit_ratio_skips_items_without_statutory_limit(district):
    r = indicators.limit_ratio(period=H1)
    # a1 10/20, a2 0/5, b1 15/20, s1 10/20, s2 10/20; a3 has no statutory limit
    assert (r.numerator, r.denominator) == (45, 85)
    assert r.value == Decimal("0.5294")
    assert r.extra["compression"] == Decimal("0.4706")
    inv = indicators.limit_ratio_investment(period=H1)
    assert (inv.numerator, inv.denominator, inv.value) == (15, 20, Decimal("0.75"))
    assert inv.extra["within_half"] is False
    assert list(inv.extra["items_over_half"]) == [district.b1.current_version_id]


@pytest.fixture
def cases(district):
    a1, b1 = district.a1, district.b1
    c = {}
    c["c1"] = case(a1, accepted=dt.date(2026, 3, 2), concluded=dt.date(2026, 3, 6), deadline=dt.date(2026, 3, 16),
                   visits_count=1, channel="online")  # fmt: skip
    c["c2"] = case(a1, accepted=dt.date(2026, 3, 2), concluded=dt.date(2026, 3, 20), deadline=dt.date(2026, 3, 16),
                   visits_count=2, channel="window", suspended_days=3)  # fmt: skip
    c["c3"] = case(b1, accepted=dt.date(2026, 5, 11), concluded=dt.date(2026, 5, 13), deadline=dt.date(2026, 5, 20),
                   visits_count=0, channel="online")  # fmt: skip
    c["c4"] = case(a1, accepted=dt.date(2025, 12, 1), concluded=dt.date(2025, 12, 5), deadline=dt.date(2025, 12, 15),
                   channel="online")  # fmt: skip
    c["c5"] = case(b1, accepted=dt.date(2026, 6, 1), deadline=dt.date(2026, 6, 10), channel="window")
    c["c6"] = case(b1, accepted=dt.date(2026, 6, 22), deadline=dt.date(2026, 7, 6), channel="window")
    c["c7"] = case(a1, accepted=dt.date(2026, 5, 4), deadline=dt.date(2026, 6, 1), channel="window",
                   state="in_review", is_suspended=True, suspended_since=dt.date(2026, 5, 20))  # fmt: skip
    return c


def test_case_figures(cases):
    r = indicators.one_visit_realised(period=H1)
    assert (r.numerator, r.denominator) == (2, 3)
    r = indicators.on_time(period=H1)
    assert (r.numerator, r.denominator) == (2, 3)
    assert {x.number for x in r.numerator_rows} == {cases["c1"].number, cases["c3"].number}
    r = indicators.average_days(period=H1)
    # c1 4 working days, c2 14 − 3 suspended = 11, c3 2
    assert (r.numerator, r.denominator, r.value) == (17, 3, Decimal("5.67"))
    r = indicators.overdue(period=H1)  # c5 only: c6 not yet due, c7 suspended
    assert (r.numerator, r.denominator, r.display) == (1, 3, "1")
    r = indicators.online_applied(period=H1)  # accepted in H1: c1 c2 c3 c5 c6 c7; online: c1 c3
    assert (r.numerator, r.denominator) == (2, 6)


def test_rating_figures(district):
    a = district.a
    person = CitizenFactory()
    rating(level=5, department=a)
    rating(level=3, department=a)
    e3 = rating(level=2, department=a, rater=person)
    rectify(e3, done=dt.date(2026, 3, 15), called_back=dt.date(2026, 3, 12))
    rating(level=1, department=a)  # anonymous, nothing done
    e5 = rating(level=2, department=a, rater=CitizenFactory())
    rectify(e5)
    rating(level=1, department=a, follow_up=True)  # 追评: not a second rating
    rating(level=4, department=a, on=dt.date(2025, 12, 30))  # outside the period
    r = indicators.satisfaction(period=H1)
    assert (r.numerator, r.denominator) == (2, 5)
    r = indicators.rectification(period=H1)
    assert (r.numerator, r.denominator) == (1, 3)
    r = indicators.callback(period=H1)
    assert (r.numerator, r.denominator) == (1, 2)
    # done after the period's end does not count for that period
    r = indicators.rectification(period=Period(dt.date(2026, 3, 1), dt.date(2026, 3, 14)))
    assert (r.numerator, r.denominator) == (0, 3)


def test_ratings_upheld_on_appeal_are_not_counted(district):
    """申诉成立 (a malicious or mistaken rating): out of every rating figure, as on the public 好差评 page."""
    from bianmin.evaluation.models import Appeal

    a = district.a
    staff = StaffFactory()
    rating(level=5, department=a)
    malicious = rating(level=1, department=a, rater=CitizenFactory())
    rectify(malicious)
    Appeal.objects.create(evaluation=malicious, filed_by=staff, reason="恶意差评", state="upheld")
    genuine = rating(level=2, department=a, rater=CitizenFactory())
    rectify(genuine, done=dt.date(2026, 3, 12), called_back=dt.date(2026, 3, 11))
    Appeal.objects.create(evaluation=genuine, filed_by=staff, reason="不认可", state="rejected")
    r = indicators.satisfaction(period=H1)
    assert (r.numerator, r.denominator) == (1, 2)  # the 5 and the genuine 2; the upheld 1 is gone
    r = indicators.rectification(period=H1)
    assert (r.numerator, r.denominator) == (1, 1)
    r = indicators.callback(period=H1)
    assert (r.numerator, r.denominator) == (1, 1)


def test_scopes(district, cases):
    r = indicators.online(period=H1, scope=ScopeFilter(department_id=district.b.pk))
    assert (r.numerator, r.denominator) == (3, 3)
    r = indicators.online(period=H1, scope=ScopeFilter(street_id=district.street.pk))
    assert (r.numerator, r.denominator) == (3, 3)
    r = indicators.online(period=H1, scope=ScopeFilter(item_id=district.a2.pk))
    assert (r.numerator, r.denominator) == (0, 1)
    r = indicators.on_time(period=H1, scope=ScopeFilter(department_id=district.a.pk))
    assert (r.numerator, r.denominator) == (1, 2)


def test_no_items_no_cases_gives_dash_not_error(db):
    for figure in FIGURES:
        r = indicators.compute(figure, period=H1)
        assert r.denominator == 0
        if figure != Figure.OVERDUE:
            assert r.value is None
            assert r.display == "—"
    rows = selectors.dashboard(period=H1)
    assert all(row["gap"] is None or row["figure"] == Figure.OVERDUE for row in rows)
    assert selectors.public_four_ban_figures() == []


@pytest.mark.parametrize("figure", list(FIGURES))
def test_department_breakdown_partitions_the_district(district, cases, figure):
    person = CitizenFactory()
    rating(level=5, department=district.a)
    e = rating(level=2, department=district.b, rater=person)
    rectify(e, done=dt.date(2026, 3, 15))
    total = indicators.compute(figure, period=H1)
    parts = selectors.breakdown(figure, by="department", period=H1)
    assert sum(p["numerator"] for p in parts) == total.numerator
    assert sum(p["denominator"] for p in parts) == total.denominator
    # and each department's part is that department's own figure
    for p in parts:
        own = indicators.compute(figure, period=H1, scope=ScopeFilter(department_id=p["key"]))
        assert (own.numerator, own.denominator) == (p["numerator"], p["denominator"])


def test_item_breakdown_partitions_a_department(district, cases):
    for figure in (Figure.ONLINE, Figure.LIMIT_RATIO, Figure.ON_TIME, Figure.AVERAGE_DAYS):
        scope = ScopeFilter(department_id=district.a.pk)
        total = indicators.compute(figure, period=H1, scope=scope)
        parts = selectors.breakdown(figure, by="item", period=H1, scope=scope)
        assert sum(p["numerator"] for p in parts) == total.numerator
        assert sum(p["denominator"] for p in parts) == total.denominator


def test_period_parsing():
    today = dt.date(2026, 6, 30)
    assert selectors.parse_period("", today=today) == Period(dt.date(2026, 1, 1), today)
    assert selectors.parse_period("2025", today=today) == Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert selectors.parse_period("2026-Q1", today=today) == Q1
    assert selectors.parse_period("2026-02", today=today) == Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    from bianmin.core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed):
        selectors.parse_period("last year", today=today)


def test_targets_and_gap(district):
    from bianmin.kpi import services
    from bianmin.kpi.seed import seed
    from tests.catalog.helpers import admin_user

    seed(today=dt.date(2026, 6, 30))
    services.kpi_target_set(acting_user=admin_user(), figure=Figure.ONLINE, year=2026, value="0.9")
    rows = {r["figure"]: r for r in selectors.dashboard(period=H1)}
    online = rows[Figure.ONLINE]
    assert online["target"].value == Decimal("0.9")
    assert online["gap"] == Decimal("0.1")  # 0.9 − 0.8
    assert online["plan_2019"] == "70.0%" and online["plan_2020"] == "100.0%"
    # lower is better: 0.75 against a target of 0.5 leaves a gap of 0.25
    assert rows[Figure.LIMIT_RATIO_INVESTMENT]["gap"] == Decimal("0.25")


@pytest.mark.parametrize("levels", [(), ("4",), ("4", "5"), ("3", "4", "5")])
def test_item_figures_in_one_query_equal_the_figures_one_by_one(district, levels, django_assert_num_queries):
    for period in (H1, Q1):
        for scope in (
            indicators.DISTRICT,
            ScopeFilter(department_id=district.b.pk),
            ScopeFilter(item_id=district.a2.pk),
        ):
            with django_assert_num_queries(1):  # one aggregate for the six
                batch = indicators.item_figures(period=period, scope=scope, levels=levels)
            for figure, got in batch.items():
                one = indicators.compute(figure, period=period, scope=scope, levels=levels)
                assert (got.numerator, got.denominator, got.value, got.levels) == (
                    one.numerator,
                    one.denominator,
                    one.value,
                    one.levels,
                ), (figure, period, scope)
                assert set(got.numerator_rows.values_list("pk", flat=True)) == set(
                    one.numerator_rows.values_list("pk", flat=True)
                )
                extra = {k: list(v) if k == "items_over_half" else v for k, v in got.extra.items()}
                assert extra == {k: list(v) if k == "items_over_half" else v for k, v in one.extra.items()}
