"""The figures of design.md §7, each a numerator and a denominator with the rows behind both.

Every function takes the same keywords:
- ``period``: a Period (start, end) — cases by acceptance or conclusion date in it, ratings by their date;
  item figures are read "as of" ``period.end`` (the versions in force then, so trends are honest);
- ``scope``: a Scope (district; a department; a street; one item);
- ``levels``: the 行使层级 codes of the items counted (each figure has its default from the plan).

All figures here are live: they read the catalog, cases and ratings as they are at the moment of the call.
The additive case figures also have a summarised form (bianmin.kpi.summary) that the dashboard reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy

from bianmin.cases.constants import CLOCK_STATES, CaseState
from bianmin.cases.models import Case
from bianmin.catalog import flags
from bianmin.catalog.constants import (
    APPLICATION_TYPES,
    ItemStatus,
    LimitUnit,
)
from bianmin.catalog.models import ItemVersion
from bianmin.catalog.selectors import versions_in_force
from bianmin.kpi.constants import FIGURES, Figure, Kind
from bianmin.workdays.services import between

CONCLUDED_STATES = (CaseState.CONCLUDED, CaseState.DELIVERED)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def start_dt(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    def end_dt(self) -> dt.datetime:
        """The first instant after the period (exclusive bound)."""
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


@dataclass(frozen=True)
class ScopeFilter:
    """district (nothing set), or one of: department id, street region id, item id."""

    department_id: int | None = None
    street_id: int | None = None
    item_id: int | None = None

    @property
    def kind(self) -> str:
        if self.item_id:
            return "item"
        if self.department_id:
            return "department"
        if self.street_id:
            return "street"
        return "district"


DISTRICT = ScopeFilter()


@dataclass
class Result:
    figure: str
    numerator: Decimal | int
    denominator: Decimal | int
    value: Decimal | None
    numerator_rows: QuerySet | None = None
    denominator_rows: QuerySet | None = None
    levels: tuple[str, ...] = ()
    period: Period | None = None
    scope: ScopeFilter = field(default_factory=ScopeFilter)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def meta(self):
        return FIGURES[self.figure]

    @property
    def label(self) -> str:
        return str(Figure(self.figure).label)

    @property
    def pending(self) -> bool:
        """A summarised figure whose summary is being built (bianmin.kpi.summary.pending): no number yet."""
        return bool(self.extra.get("pending"))

    @property
    def display(self) -> str:
        """The value as shown: a percentage, a count or days; "—" when there is nothing to divide by;
        "计算中" while the summary it comes from is being built."""
        if self.pending:
            return str(PENDING_DISPLAY)
        return format_value(self.figure, self.value)


PENDING_DISPLAY = gettext_lazy("计算中")


def format_value(figure: str, value) -> str:
    if value is None:
        return "—"
    unit = FIGURES[figure].unit
    if unit == "ratio":
        return f"{(Decimal(value) * 100).quantize(Decimal('0.1'))}%"
    if unit == "days":
        return f"{Decimal(value).quantize(Decimal('0.1'))}"
    return str(int(value))


def _ratio(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))


# --------------------------------------------------------------------------------------------------
# items
# --------------------------------------------------------------------------------------------------


def items_in_scope(*, as_of: dt.date, levels=(), scope: ScopeFilter = DISTRICT) -> QuerySet[ItemVersion]:
    """§7 scope of items: versions in force on ``as_of``, in use, of 依申请 types, at ``levels``, sub-items
    counted instead of their parent."""
    in_force = versions_in_force(on=as_of)
    qs = in_force.filter(status=ItemStatus.IN_USE, item_type__in=sorted(APPLICATION_TYPES))
    if levels:
        qs = qs.filter(exercise_level__in=list(levels))
    parents = in_force.filter(item__parent__isnull=False).values("item__parent_id")
    qs = qs.exclude(item_id__in=parents)
    if scope.item_id:
        qs = qs.filter(item_id=scope.item_id)
    elif scope.department_id:
        qs = qs.filter(item__department_id=scope.department_id)
    elif scope.street_id:
        qs = qs.filter(item__department__region_id=scope.street_id)
    return qs.order_by("item__department__sort_order", "item__code")


def _natural_on_site(qs: QuerySet[ItemVersion]) -> QuerySet[ItemVersion]:
    """Items serving natural persons (服务对象 includes 1) handled on site (办理形式 includes 1 窗口).

    Read from the columns the catalog services fill from those fields (serves_natural_person,
    is_window_handled), never re-derived here.
    """
    return qs.filter(serves_natural_person=True, is_window_handled=True)


def _flag_figure(figure, flag, *, natural_on_site, period, scope, levels) -> Result:
    levels = tuple(levels) if levels else FIGURES[figure].levels
    base = items_in_scope(as_of=period.end, levels=levels, scope=scope)
    if natural_on_site:
        base = _natural_on_site(base)
    num = base.filter(flags.version_flag_q(flag))
    n, d = num.count(), base.count()
    return Result(figure, n, d, _ratio(n, d), num, base, levels, period, scope)


def instant(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """T1 即办比例: of items for natural persons handled on site, the 即办件 (levels 4, 5)."""
    return _flag_figure(
        Figure.INSTANT, "instant", natural_on_site=True, period=period, scope=scope, levels=levels
    )


def online(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """T2 网上可办率: items whose 网办深度 includes 4 or 5 / items (level 4)."""
    return _flag_figure(
        Figure.ONLINE, "online", natural_on_site=False, period=period, scope=scope, levels=levels
    )


def nearby(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """T3 就近可办比例: of items for natural persons handled on site, those 就近办 (levels 4, 5)."""
    return _flag_figure(
        Figure.NEARBY, "nearby", natural_on_site=True, period=period, scope=scope, levels=levels
    )


def one_visit(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """T4 最多跑一次比例 (promised): items with 到现场次数 ≤ 1 / items (level 4)."""
    return _flag_figure(
        Figure.ONE_VISIT, "one_visit", natural_on_site=False, period=period, scope=scope, levels=levels
    )


def _limit_ratio(figure, *, investment, period, scope, levels) -> Result:
    levels = tuple(levels) if levels else FIGURES[figure].levels
    base = items_in_scope(as_of=period.end, levels=levels, scope=scope).filter(
        statutory_limit_unit=LimitUnit.WORKING_DAY,
        promised_limit_unit=LimitUnit.WORKING_DAY,
        statutory_limit__gt=0,
        promised_limit__isnull=False,
    )
    if investment:
        base = base.filter(is_investment_project=True)
    sums = base.aggregate(p=Sum("promised_limit"), s=Sum("statutory_limit"))
    n, d = sums["p"] or 0, sums["s"] or 0
    value = _ratio(n, d)
    extra = {"compression": None if value is None else Decimal(1) - value}
    if investment:
        extra["within_half"] = None if value is None else value <= Decimal("0.5")
        extra["items_over_half"] = over_half(base)
    return Result(figure, n, d, value, base, base, levels, period, scope, extra)


def over_half(base: QuerySet[ItemVersion]) -> QuerySet:
    """The versions whose own promised limit is over half the statutory one (lazy: read where shown)."""
    return (
        base.annotate(kpi_double=F("promised_limit") * 2)
        .filter(kpi_double__gt=F("statutory_limit"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def limit_ratio(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """Σ承诺 / Σ法定 over items with working-day limits and 法定 > 0 (lower is faster)."""
    return _limit_ratio(Figure.LIMIT_RATIO, investment=False, period=period, scope=scope, levels=levels)


def limit_ratio_investment(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """The same over items flagged 投资项目审批 (T14: at most 1/2)."""
    return _limit_ratio(
        Figure.LIMIT_RATIO_INVESTMENT, investment=True, period=period, scope=scope, levels=levels
    )


ITEM_FLAG_FIGURES = {
    Figure.INSTANT: ("instant", True),
    Figure.ONLINE: ("online", False),
    Figure.NEARBY: ("nearby", True),
    Figure.ONE_VISIT: ("one_visit", False),
}
LIMIT_FIGURES = {Figure.LIMIT_RATIO: False, Figure.LIMIT_RATIO_INVESTMENT: True}
ITEM_FIGURES = (*ITEM_FLAG_FIGURES, *LIMIT_FIGURES)
LIMIT_Q = Q(
    statutory_limit_unit=LimitUnit.WORKING_DAY,
    promised_limit_unit=LimitUnit.WORKING_DAY,
    statutory_limit__gt=0,
    promised_limit__isnull=False,
)


def item_figures(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> dict[str, Result]:
    """The six item figures in one aggregate query over the items in force at ``period.end`` — the same
    numbers as instant() … limit_ratio_investment() one by one (a test holds them equal), for the dashboard.
    The rows behind each are the same lazy querysets, built (not counted) here."""
    every = items_in_scope(as_of=period.end, levels=(), scope=scope)
    aggregates: dict[str, Any] = {}
    bases: dict[str, tuple] = {}
    for figure in ITEM_FIGURES:
        figure_levels = tuple(levels) if levels else FIGURES[figure].levels
        level_q = Q(exercise_level__in=list(figure_levels)) if figure_levels else Q()
        if figure in ITEM_FLAG_FIGURES:
            flag, natural_on_site = ITEM_FLAG_FIGURES[figure]
            base_q = level_q & (
                Q(serves_natural_person=True, is_window_handled=True) if natural_on_site else Q()
            )
            aggregates[f"{figure}__n"] = Count("pk", filter=base_q & flags.version_flag_q(flag))
            aggregates[f"{figure}__d"] = Count("pk", filter=base_q)
        else:
            base_q = level_q & LIMIT_Q & (Q(is_investment_project=True) if LIMIT_FIGURES[figure] else Q())
            aggregates[f"{figure}__n"] = Sum("promised_limit", filter=base_q)
            aggregates[f"{figure}__d"] = Sum("statutory_limit", filter=base_q)
        bases[figure] = (figure_levels, base_q)
    sums = every.order_by().aggregate(**aggregates)
    out: dict[str, Result] = {}
    for figure in ITEM_FIGURES:
        figure_levels, base_q = bases[figure]
        n, d = sums[f"{figure}__n"] or 0, sums[f"{figure}__d"] or 0
        value = _ratio(n, d)
        base = every.filter(base_q)
        if figure in ITEM_FLAG_FIGURES:
            num = base.filter(flags.version_flag_q(ITEM_FLAG_FIGURES[figure][0]))
            out[figure] = Result(figure, n, d, value, num, base, figure_levels, period, scope)
        else:
            extra: dict[str, Any] = {"compression": None if value is None else Decimal(1) - value}
            if LIMIT_FIGURES[figure]:
                extra["within_half"] = None if value is None else value <= Decimal("0.5")
                extra["items_over_half"] = over_half(base)
            out[figure] = Result(figure, n, d, value, base, base, figure_levels, period, scope, extra)
    return out


# --------------------------------------------------------------------------------------------------
# cases — a case belongs to its lead department (and that department's street)
# --------------------------------------------------------------------------------------------------


def _cases(scope: ScopeFilter) -> QuerySet[Case]:
    qs = Case.objects.all()
    if scope.item_id:
        qs = qs.filter(item_id=scope.item_id)
    elif scope.department_id:
        qs = qs.filter(department_id=scope.department_id)
    elif scope.street_id:
        qs = qs.filter(department__region_id=scope.street_id)
    return qs


def concluded_cases(*, period: Period, scope: ScopeFilter = DISTRICT) -> QuerySet[Case]:
    return _cases(scope).filter(
        state__in=CONCLUDED_STATES,
        accepted_on__isnull=False,
        concluded_at__gte=period.start_dt(),
        concluded_at__lt=period.end_dt(),
    )


def concluded_day() -> TruncDate:
    """The local day a case was concluded (what "concluded on or before the deadline" compares)."""
    return TruncDate("concluded_at", tzinfo=timezone.get_current_timezone())


# The conditions of the case figures, shared with the summary (bianmin.kpi.summary) so both count alike.
ON_TIME_Q = Q(deadline_on__isnull=False, concluded_day__lte=F("deadline_on"))  # needs concluded_day
ONE_VISIT_Q = Q(visits_count__lte=1)
ONLINE_Q = Q(channel="online")


def accepted_cases(*, period: Period, scope: ScopeFilter = DISTRICT) -> QuerySet[Case]:
    """Cases accepted in the period (by acceptance day), whatever their state now."""
    return _cases(scope).filter(accepted_on__gte=period.start, accepted_on__lte=period.end)


SUMMARISABLE_CASE_FIGURES = (
    Figure.ONE_VISIT_REALISED,
    Figure.ON_TIME,
    Figure.AVERAGE_DAYS,
    Figure.ONLINE_APPLIED,
)


def case_rows(figure: str, *, period: Period, scope: ScopeFilter = DISTRICT) -> tuple[QuerySet, QuerySet]:
    """(numerator rows, denominator rows) of a case figure, as lazy querysets (nothing is counted)."""
    if figure == Figure.ONE_VISIT_REALISED:
        base = concluded_cases(period=period, scope=scope)
        return base.filter(ONE_VISIT_Q), base
    if figure == Figure.ON_TIME:
        base = concluded_cases(period=period, scope=scope)
        return base.annotate(concluded_day=concluded_day()).filter(ON_TIME_Q), base
    if figure == Figure.AVERAGE_DAYS:
        base = concluded_cases(period=period, scope=scope)
        return base, base
    if figure == Figure.ONLINE_APPLIED:
        base = accepted_cases(period=period, scope=scope)
        return base.filter(ONLINE_Q), base
    raise ValueError(figure)


def one_visit_realised(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """Concluded cases whose recorded visits ≤ 1 / concluded cases in the period."""
    num, base = case_rows(Figure.ONE_VISIT_REALISED, period=period, scope=scope)
    n, d = num.count(), base.count()
    return Result(Figure.ONE_VISIT_REALISED, n, d, _ratio(n, d), num, base, (), period, scope)


def on_time(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """Cases concluded on or before their adjusted deadline / cases concluded in the period."""
    num, base = case_rows(Figure.ON_TIME, period=period, scope=scope)
    n, d = num.count(), base.count()
    return Result(Figure.ON_TIME, n, d, _ratio(n, d), num, base, (), period, scope)


def overdue(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """Open accepted cases past their deadline on ``period.end`` (today for the current period)."""
    base = _cases(scope).filter(state__in=sorted(CLOCK_STATES), deadline_on__isnull=False)
    num = base.filter(is_suspended=False, deadline_on__lt=period.end)
    n, d = num.count(), base.count()
    return Result(Figure.OVERDUE, n, d, Decimal(n), num, base, (), period, scope)


def working_days_by(qs: QuerySet[Case], *keys: str) -> dict[tuple, tuple[int, int]]:
    """{key values: (Σ working days from acceptance to conclusion minus suspended days, cases)} over
    concluded cases ``qs``, grouped by ``keys`` (no keys: one entry under ``()``).

    between() is asked once per distinct (accepted, concluded) pair, so a million cases cost a few
    thousand calendar look-ups, not a million."""
    rows = (
        qs.annotate(concluded_day=concluded_day())
        .values_list(*keys, "accepted_on", "concluded_day", "suspended_days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    span: dict[tuple, int] = {}
    out: dict[tuple, list[int]] = {}
    width = len(keys)
    for row in rows:
        key, (accepted, concluded, suspended, k) = tuple(row[:width]), row[width:]
        acc = out.setdefault(key, [0, 0])
        acc[0] += case_working_days(accepted, concluded, suspended, span) * k
        acc[1] += k
    return {key: (total, count) for key, (total, count) in out.items()}


def case_working_days(accepted: dt.date, concluded: dt.date, suspended: int | None, span: dict) -> int:
    """Working days from acceptance to conclusion minus the suspended ones; ``span`` memoises between()."""
    pair = (accepted, concluded)
    if pair not in span:
        span[pair] = between(accepted, concluded) if concluded > accepted else 0
    return max(0, span[pair] - (suspended or 0))


def average_value(total, count) -> Decimal | None:
    return None if not count else (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"))


def average_days(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """Mean working days from acceptance to conclusion, suspensions excluded, over cases concluded in the period."""
    base = concluded_cases(period=period, scope=scope)
    total, count = working_days_by(base).get((), (0, 0))
    return Result(
        Figure.AVERAGE_DAYS, total, count, average_value(total, count), base, base, (), period, scope
    )


def online_applied(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """Accepted cases submitted online / accepted cases (by acceptance date in the period)."""
    num, base = case_rows(Figure.ONLINE_APPLIED, period=period, scope=scope)
    n, d = num.count(), base.count()
    return Result(Figure.ONLINE_APPLIED, n, d, _ratio(n, d), num, base, (), period, scope)


# --------------------------------------------------------------------------------------------------
# ratings (好差评) — read when the evaluation app is installed
# --------------------------------------------------------------------------------------------------


def _ratings(period: Period, scope: ScopeFilter):
    if not apps.is_installed("bianmin.evaluation"):
        return None
    from bianmin.evaluation.constants import AppealState
    from bianmin.evaluation.models import Evaluation

    # First ratings (a 追评 is not a second service), minus those a supervisor found malicious or mistaken on
    # appeal (申诉成立) — the same ratings the public 好差评 figures count.
    qs = Evaluation.objects.filter(
        is_follow_up=False, created_at__gte=period.start_dt(), created_at__lt=period.end_dt()
    ).exclude(appeal__state=AppealState.UPHELD)
    if scope.item_id:
        qs = qs.filter(item_id=scope.item_id)
    elif scope.department_id:
        qs = qs.filter(department_id=scope.department_id)
    elif scope.street_id:
        qs = qs.filter(department__region_id=scope.street_id)
    return qs.order_by("-created_at")


def _bad_levels():
    from bianmin.evaluation.constants import BAD_LEVELS

    return [int(v) for v in BAD_LEVELS]


def _empty(figure, period, scope) -> Result:
    return Result(figure, 0, 0, None, None, None, (), period, scope)


def satisfaction(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """Ratings 基本满意 or better / ratings (first ratings, not 追评)."""
    base = _ratings(period, scope)
    if base is None:
        return _empty(Figure.SATISFACTION, period, scope)
    num = base.filter(level__gte=3)
    n, d = num.count(), base.count()
    return Result(Figure.SATISFACTION, n, d, _ratio(n, d), num, base, (), period, scope)


def rectification(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """Bad ratings whose rectification was done by the period's end / bad ratings in the period."""
    base = _ratings(period, scope)
    if base is None:
        return _empty(Figure.RECTIFICATION, period, scope)
    base = base.filter(level__in=_bad_levels())
    num = base.filter(rectification__done_at__lt=period.end_dt())
    n, d = num.count(), base.count()
    return Result(Figure.RECTIFICATION, n, d, _ratio(n, d), num, base, (), period, scope)


def callback(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    """Bad ratings by identified people called back / those ratings."""
    base = _ratings(period, scope)
    if base is None:
        return _empty(Figure.CALLBACK, period, scope)
    base = base.filter(level__in=_bad_levels(), rater__isnull=False)
    num = base.filter(rectification__callback_at__lt=period.end_dt())
    n, d = num.count(), base.count()
    return Result(Figure.CALLBACK, n, d, _ratio(n, d), num, base, (), period, scope)


FUNCTIONS = {
    Figure.INSTANT: instant,
    Figure.ONLINE: online,
    Figure.NEARBY: nearby,
    Figure.ONE_VISIT: one_visit,
    Figure.ONE_VISIT_REALISED: one_visit_realised,
    Figure.LIMIT_RATIO: limit_ratio,
    Figure.LIMIT_RATIO_INVESTMENT: limit_ratio_investment,
    Figure.ON_TIME: on_time,
    Figure.OVERDUE: overdue,
    Figure.AVERAGE_DAYS: average_days,
    Figure.ONLINE_APPLIED: online_applied,
    Figure.SATISFACTION: satisfaction,
    Figure.RECTIFICATION: rectification,
    Figure.CALLBACK: callback,
}


def compute(figure: str, *, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> Result:
    return FUNCTIONS[figure](period=period, scope=scope, levels=levels)


def kind_of(figure: str) -> str:
    return FIGURES[figure].kind


__all__ = ["Kind", "Period", "ScopeFilter", "Result", "compute", "FUNCTIONS", "format_value"]
