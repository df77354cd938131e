"""Reads for the dashboard, the API and the public figures: periods, scopes, targets, breakdowns, trends."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.core.exceptions import NotFound, ValidationFailed
from bianmin.kpi import indicators, summary
from bianmin.kpi.constants import FIGURES, FOUR_BAN, Figure, Kind, TargetSource
from bianmin.kpi.indicators import DISTRICT, Period, Result, ScopeFilter, format_value
from bianmin.kpi.models import KpiTarget
from bianmin.organisations.models import Department, Region


class BadKpiQuery(ValidationFailed):
    code = "bad_kpi_query"


# --------------------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------------------


def parse_period(value: str | None, *, today: dt.date | None = None) -> Period:
    """ "2025" (year), "2025-Q2", "2025-03", "2025-01-01..2025-06-30"; empty = this year up to today."""
    today = today or timezone.localdate()
    value = (value or "").strip()
    if not value:
        return Period(dt.date(today.year, 1, 1), today)
    try:
        if m := re.fullmatch(r"(\d{4})", value):
            y = int(m[1])
            return Period(dt.date(y, 1, 1), min(dt.date(y, 12, 31), max(today, dt.date(y, 1, 1))))
        if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", value):
            y, q = int(m[1]), int(m[2])
            last = 3 * q
            return Period(dt.date(y, last - 2, 1), dt.date(y, last, calendar.monthrange(y, last)[1]))
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            y, mo = int(m[1]), int(m[2])
            return Period(dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1]))
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", value):
            start, end = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
            if start <= end:
                return Period(start, end)
    except ValueError:
        pass
    raise BadKpiQuery(
        _("统计期间格式应为 2025、2025-Q1、2025-03 或 2025-01-01..2025-06-30。"),
        fields={"period": ["invalid"]},
    )


def parse_as_of(value: str | None, period: Period) -> Period:
    """as_of=YYYY-MM-DD reads the item figures with the versions in force on that date."""
    if not value:
        return period
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise BadKpiQuery(_("日期格式应为 YYYY-MM-DD。"), fields={"as_of": ["invalid"]}) from exc
    return Period(min(period.start, day), day)


def parse_levels(value: str | None) -> tuple[str, ...]:
    levels = tuple(v for v in (value or "").split(",") if v)
    if any(v not in "123456" or len(v) != 1 for v in levels):
        raise BadKpiQuery(_("行使层级应为 1–6 的数字，以逗号分隔。"), fields={"levels": ["invalid"]})
    return levels


def parse_scope(params: Mapping[str, str]) -> ScopeFilter:
    """department= (4-digit short code or id), street= (区划代码 or id), item= (id)."""
    department = str(params.get("department") or "").strip()
    street = str(params.get("street") or "").strip()
    item = str(params.get("item") or "").strip()
    if item:
        if not item.isdigit():
            raise NotFound(_("未找到该事项。"))
        return ScopeFilter(item_id=int(item))
    if department:
        # A 4-digit department id (PostgreSQL sequences reach them) is not a short code: try both.
        dept = Department.objects.filter(short_code=department).first() if len(department) == 4 else None
        if dept is None and department.isdigit():
            dept = Department.objects.filter(pk=int(department)).first()
        if dept is None:
            raise NotFound(_("未找到该部门。"))
        return ScopeFilter(department_id=dept.pk)
    if street:
        region = Region.objects.filter(code=street).first() if len(street) in (9, 12) else None
        if region is None and street.isdigit():
            region = Region.objects.filter(pk=int(street)).first()
        if region is None:
            raise NotFound(_("未找到该街道。"))
        return ScopeFilter(street_id=region.pk)
    return DISTRICT


def scope_label(scope: ScopeFilter) -> str:
    if scope.item_id:
        from bianmin.catalog.models import ServiceItem

        item = ServiceItem.objects.select_related("current_version").filter(pk=scope.item_id).first()
        return str(item) if item else "—"
    if scope.department_id:
        return Department.objects.filter(pk=scope.department_id).values_list("name", flat=True).first() or "—"
    if scope.street_id:
        return Region.objects.filter(pk=scope.street_id).values_list("name", flat=True).first() or "—"
    return _("龙湖区")


def scope_query(scope: ScopeFilter) -> dict[str, str]:
    if scope.item_id:
        return {"item": str(scope.item_id)}
    if scope.department_id:
        return {"department": str(scope.department_id)}
    if scope.street_id:
        return {"street": str(scope.street_id)}
    return {}


# --------------------------------------------------------------------------------------------------
# targets
# --------------------------------------------------------------------------------------------------


def targets_by_figure() -> dict[str, dict]:
    """{figure: {"plan": {year: value}, "current": KpiTarget | None}} — the latest administrator target is current."""
    out: dict[str, dict] = {f: {"plan": {}, "current": None} for f in FIGURES}
    for t in KpiTarget.objects.order_by("figure", "year"):
        if t.figure not in out:
            continue
        if t.source == TargetSource.PLAN:
            out[t.figure]["plan"][t.year] = t.value
        else:
            out[t.figure]["current"] = t  # ordered by year: the last one wins
    return out


def gap(figure: str, value, target) -> Decimal | None:
    """How far today's value is from the target, signed so that a positive gap is still to be closed."""
    if value is None or target is None:
        return None
    diff = Decimal(target) - Decimal(value)
    return diff if FIGURES[figure].higher_is_better else -diff


# --------------------------------------------------------------------------------------------------
# dashboard
# --------------------------------------------------------------------------------------------------


def compute_figure(
    figure: str,
    *,
    period: Period,
    scope: ScopeFilter = DISTRICT,
    levels=(),
    sums: dict | None = None,
    src: summary.Source | None = None,
) -> Result:
    """A figure as the dashboard, the API list, trends and the public page show it: the additive case
    figures from the daily summary (bianmin.kpi.summary) unless one item is asked for, the rest live.
    ``src`` is summary.source(), asked once per read (figure_values does); while the summary is being built
    the summarised figures are live (few cases) or pending (many)."""
    if summary.is_summarised(figure, scope):
        return summary.read(figure, period=period, scope=scope, src=src or summary.source(), sums=sums)
    return indicators.compute(figure, period=period, scope=scope, levels=levels)


def is_live(result: Result) -> bool:
    return not result.extra.get("summarised")


def is_pending(result: Result) -> bool:
    return bool(result.extra.get("pending"))


def figure_values(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> dict:
    """{figure: Result} for every figure, plus "_as_of" (what the summarised figures include: every case
    change committed before it; None while the summary is being built), "_computed_at" (when the live
    figures were read) and "_source" (summary.Source)."""
    src = summary.source()
    sums = summary.totals(period, scope) if not scope.item_id and src.state is not None else None
    items = indicators.item_figures(period=period, scope=scope, levels=levels)  # one query for the six
    values: dict = {
        f: items[f]
        if f in items
        else compute_figure(f, period=period, scope=scope, levels=levels, sums=sums, src=src)
        for f in FIGURES
    }
    values["_as_of"] = src.as_of
    values["_computed_at"] = timezone.now()
    values["_source"] = src
    return values


def dashboard(*, period: Period, scope: ScopeFilter = DISTRICT, levels=()) -> list[dict]:
    """One row per figure: numerator, denominator, value, the current target and gap, the plan's milestones."""
    targets = targets_by_figure()
    values = figure_values(period=period, scope=scope, levels=levels)
    rows = []
    for code in FIGURES:
        r = values[code]
        numerator, denominator, value, figure_levels = r.numerator, r.denominator, r.value, tuple(r.levels)
        figure = code
        live = is_live(r)
        t = targets[figure]
        current = t["current"]
        target_value = current.value if current else None
        g = gap(figure, value, target_value)
        rows.append(
            {
                "figure": figure,
                "label": str(Figure(figure).label),
                "numerator": numerator,
                "denominator": denominator,
                "value": value,
                "display": r.display,
                "levels": figure_levels,
                "computed_at": values["_computed_at"],
                "live": live,
                "pending": is_pending(r),
                "as_of": values["_computed_at"] if live else values["_as_of"],
                "target": current,
                "target_display": format_value(figure, target_value) if current else "—",
                "gap": g,
                "gap_display": "—" if g is None else format_gap(figure, g),
                "met": None if g is None else g <= 0,
                "plan": t["plan"],
                "plan_2019": format_value(figure, t["plan"][2019]) if 2019 in t["plan"] else "—",
                "plan_2020": format_value(figure, t["plan"][2020]) if 2020 in t["plan"] else "—",
                "meta": FIGURES[figure],
            }
        )
    return rows


def format_gap(figure: str, g: Decimal) -> str:
    if g <= 0:
        return _("已达标")
    if FIGURES[figure].unit == "ratio":
        return f"{(g * 100).quantize(Decimal('0.1'))}%"
    return str(g.quantize(Decimal("0.1")))


# --------------------------------------------------------------------------------------------------
# breakdowns (drill-down): district → department → item; each part carries its own numerator/denominator
# --------------------------------------------------------------------------------------------------


def partitions(figure: str) -> bool:
    """Whether the department breakdown sums to the parent: counts do, averages and ratios of sums do too
    (numerators and denominators add up); every figure here is a sum over rows that belong to one
    department, so all of them partition by department."""
    return True


def _group_counts(qs, key: str) -> dict:
    if qs is None:
        return {}
    return {row[key]: row["n"] for row in qs.order_by().values(key).annotate(n=Count("pk"))}


def breakdown(
    figure: str,
    *,
    by: str,
    period: Period,
    scope: ScopeFilter = DISTRICT,
    levels=(),
    src: summary.Source | None = None,
) -> list[dict]:
    """The figure split by department (by="department") or by item (by="item"), one query per side.

    Each part: key, label, numerator, denominator, value. Parts with an empty denominator are left out.
    A department breakdown of a summarised figure comes from the same source as the district figure
    (``src``, summary.source()): the summary, live while it is being built over few cases, and nothing
    (no parts) while it is being built over many — as the district figure is then pending.
    """
    kind = FIGURES[figure].kind
    if kind == Kind.ITEMS:
        key = "item__department_id" if by == "department" else "item_id"
    else:
        key = "department_id" if by == "department" else "item_id"
    from_summary = by == "department" and summary.is_summarised(figure, scope)
    if from_summary:
        src = src or summary.source()
        if src.pending:
            return []
    if from_summary and src.state is not None:
        # the same summary the district figure is read from, so the parts add up to it exactly
        nums, dens = {}, {}
        for department_id, sums in summary.totals_by_department(period, scope).items():
            n, d, _value = summary.numbers(figure, sums)
            if d:
                nums[department_id], dens[department_id] = n, d
    elif figure in indicators.SUMMARISABLE_CASE_FIGURES:
        num_rows, den_rows = indicators.case_rows(figure, period=period, scope=scope)
        if figure == Figure.AVERAGE_DAYS:
            grouped = indicators.working_days_by(den_rows, key)
            nums = {k: total for (k,), (total, _count) in grouped.items()}
            dens = {k: count for (k,), (_total, count) in grouped.items()}
        else:
            nums, dens = _group_counts(num_rows, key), _group_counts(den_rows, key)
    else:
        result = indicators.compute(figure, period=period, scope=scope, levels=levels)
        if figure in (Figure.LIMIT_RATIO, Figure.LIMIT_RATIO_INVESTMENT):
            rows = (
                result.denominator_rows.order_by()
                .values(key)
                .annotate(p=Sum("promised_limit"), s=Sum("statutory_limit"))
            )
            nums = {r[key]: r["p"] for r in rows}
            dens = {r[key]: r["s"] for r in rows}
        else:
            nums = _group_counts(result.numerator_rows, key)
            dens = _group_counts(result.denominator_rows, key)
    labels = _labels(by, list(dens))
    parts = []
    for k, d in dens.items():
        n = nums.get(k, 0) or 0
        value = Decimal(n) if figure == Figure.OVERDUE else indicators._ratio(n, d)
        if figure == Figure.AVERAGE_DAYS and d:
            value = (Decimal(n) / Decimal(d)).quantize(Decimal("0.01"))
        parts.append(
            {
                "key": k,
                "label": labels.get(k, "—"),
                "numerator": n,
                "denominator": d,
                "value": value,
                "display": format_value(figure, value),
                "query": scope_query(_sub_scope(scope, by, k)),
            }
        )
    parts.sort(key=lambda p: p["label"])
    return parts


def _sub_scope(scope: ScopeFilter, by: str, key) -> ScopeFilter:
    if by == "department":
        return ScopeFilter(department_id=key)
    return ScopeFilter(item_id=key)


def _labels(by: str, keys: list) -> dict:
    if by == "department":
        return dict(Department.objects.filter(pk__in=keys).values_list("pk", "name"))
    from bianmin.catalog.models import ServiceItem

    items = ServiceItem.objects.filter(pk__in=keys).select_related("current_version")
    return {i.pk: f"{i.current_version.name if i.current_version else i.code}" for i in items}


# --------------------------------------------------------------------------------------------------
# trend: the figure at the end of each of the last N months
# --------------------------------------------------------------------------------------------------


def month_periods(*, end: dt.date, months: int = 12) -> list[Period]:
    out = []
    y, m = end.year, end.month
    for _i in range(months):
        start = dt.date(y, m, 1)
        last = dt.date(y, m, calendar.monthrange(y, m)[1])
        out.append(Period(start, min(last, end)))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return list(reversed(out))


def trend(
    figure: str,
    *,
    end: dt.date,
    months: int = 12,
    scope: ScopeFilter = DISTRICT,
    levels=(),
) -> list[dict]:
    """Item figures as of each month's end; case and rating figures over each month (the additive case
    figures from the daily summary, bianmin.kpi.summary)."""
    points = []
    src = summary.source() if summary.is_summarised(figure, scope) else None
    for p in month_periods(end=end, months=months):
        r = compute_figure(figure, period=p, scope=scope, levels=levels, src=src)
        points.append(
            {
                "month": p.start.strftime("%Y-%m"),
                "numerator": r.numerator,
                "denominator": r.denominator,
                "value": r.value,
                "display": r.display,
                "pending": is_pending(r),
            }
        )
    return points


# --------------------------------------------------------------------------------------------------
# public figures
# --------------------------------------------------------------------------------------------------


def district_four_figures(*, today: dt.date | None = None) -> list[Result]:
    """The four 办 for the whole district, as of today (no personal data)."""
    today = today or timezone.localdate()
    period = Period(dt.date(today.year, 1, 1), today)
    return [indicators.compute(f, period=period) for f in FOUR_BAN]  # item figures: always live


def public_four_ban_figures() -> list[dict]:
    """For the portal home's “四办成效” area: empty (so the page shows its empty state) when no item counts."""
    results = district_four_figures()
    if not any(r.denominator for r in results):
        return []
    return [
        {
            "value": r.display,
            "label": r.label,
            "detail": _("%(n)s / %(d)s 项") % {"n": r.numerator, "d": r.denominator},
        }
        for r in results
    ]


PUBLIC_FIGURES = (
    Figure.INSTANT,
    Figure.ONLINE,
    Figure.NEARBY,
    Figure.ONE_VISIT,
    Figure.LIMIT_RATIO,
    Figure.ON_TIME,
    Figure.AVERAGE_DAYS,
    Figure.ONLINE_APPLIED,
    Figure.SATISFACTION,
)


def public_figures(*, period: Period, src: summary.Source | None = None) -> list[Result]:
    """District figures for everyone; the case figures from the daily summary (see summary_as_of()), live
    or pending while it is being built (``src``, summary.source())."""
    src = src or summary.source()
    sums = summary.totals(period, DISTRICT) if src.state is not None else None
    items = indicators.item_figures(period=period)
    return [
        items[f] if f in items else compute_figure(f, period=period, sums=sums, src=src)
        for f in PUBLIC_FIGURES
    ]


def drill_figure(
    code: str,
    *,
    period: Period,
    scope: ScopeFilter = DISTRICT,
    levels=(),
    src: summary.Source | None = None,
) -> Result:
    """The headline of a drill-down page, from the same source as its breakdown so the parts add up to it:
    at district level the summary (its department parts are summary cells; live or pending while it is
    being built), below it live (its item parts are counted from the cases)."""
    if scope.kind == "district" and summary.is_summarised(code, scope):
        return compute_figure(code, period=period, scope=scope, levels=levels, src=src or summary.source())
    return indicators.compute(code, period=period, scope=scope, levels=levels)


def summary_as_of():
    return summary.as_of()
