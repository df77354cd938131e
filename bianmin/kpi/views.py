"""Pages: the supervisors' dashboard with drill-down and exports, administrators' targets, the public figures."""

from __future__ import annotations

import json
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bianmin.accounts import rules
from bianmin.core.exceptions import ApplicationError, NotFound
from bianmin.kpi import exports, indicators, selectors, services, summary
from bianmin.kpi.constants import FIGURES, Figure, Kind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def kpi_required(view):
    """Supervisors, leaders (heads, hall managers) and platform administrators; others 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rules.can_view_kpi(request.user):
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc)) from exc

    return wrapper


def _params(request):
    try:
        period = selectors.parse_period(request.GET.get("period"))
        period = selectors.parse_as_of(request.GET.get("as_of"), period)
        levels = selectors.parse_levels(request.GET.get("levels"))
    except ApplicationError:
        period, levels = selectors.parse_period(""), ()
        messages.error(request, _("统计期间或层级有误，已按本年度显示。"))
    scope = selectors.parse_scope(request.GET)
    return period, scope, levels


def _figure(figure: str) -> str:
    if figure not in FIGURES:
        raise Http404
    return figure


@kpi_required
def dashboard(request: HttpRequest) -> HttpResponse:
    period, scope, levels = _params(request)
    rows = selectors.dashboard(period=period, scope=scope, levels=levels)
    ratio_rows = [r for r in rows if r["meta"].unit == "ratio"]
    chart = {
        "labels": [r["label"] for r in ratio_rows],
        "values": [None if r["value"] is None else float(r["value"]) * 100 for r in ratio_rows],
        "targets": [None if r["target"] is None else float(r["target"].value) * 100 for r in ratio_rows],
        "series": [_("当前值（%）"), _("目标（%）")],
    }
    query = {**selectors.scope_query(scope), "period": request.GET.get("period", "")}
    for key in ("as_of", "levels"):
        if request.GET.get(key):
            query[key] = request.GET[key]
    return render(
        request,
        "kpi/dashboard.html",
        {
            "rows": rows,
            "period": period,
            "scope": scope,
            "scope_label": selectors.scope_label(scope),
            "chart_json": json.dumps(chart, ensure_ascii=False),
            "query": urlencode({k: v for k, v in query.items() if v}),
            "departments": _department_choices(),
            "streets": _street_choices(),
            "is_admin": rules.is_platform_admin(request.user),
            "figures": [(f, FIGURES[f]) for f in FIGURES],
            "this_year": timezone.localdate().year,
            "computed_at": rows[0]["computed_at"] if rows else timezone.now(),
            "summary_as_of": next((r["as_of"] for r in rows if not r["live"]), None),
            "summary_building": not scope.item_id and not summary.is_built(),
            "any_pending": any(r["pending"] for r in rows),
            "max_age_minutes": max(1, summary.max_age().seconds // 60),
        },
    )


def _street_choices():
    from bianmin.organisations.constants import RegionLevel
    from bianmin.organisations.models import Region

    return (
        Region.objects.filter(level=RegionLevel.STREET, is_active=True)
        .order_by("sort_order", "code")
        .values_list("pk", "name")
    )


def _department_choices():
    from bianmin.organisations.models import Department

    return Department.objects.filter(is_active=True).order_by("sort_order", "name").values_list("pk", "name")


@kpi_required
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    period, scope, levels = _params(request)
    rows = selectors.dashboard(period=period, scope=scope, levels=levels)
    header, body = exports.dashboard_table(rows)
    name = f"kpi-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    return _file(fmt, name, [(_("效能指标"), header, body)])


def _file(fmt: str, name: str, sheets) -> HttpResponse:
    if fmt == "csv":
        title, header, body = sheets[0]
        resp = HttpResponse(exports.to_csv(header, body), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        resp = HttpResponse(exports.to_xlsx(sheets), content_type=XLSX)
    else:
        raise Http404
    resp["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return resp


def _drill(request, figure):
    period, scope, levels = _params(request)
    src = summary.source() if summary.is_summarised(figure, scope) else None
    result = selectors.drill_figure(figure, period=period, scope=scope, levels=levels, src=src)
    if scope.kind == "district":
        by, by_label = "department", _("部门")
    elif scope.kind in ("department", "street"):
        by, by_label = "item", _("事项")
    else:
        by, by_label = None, ""
    parts = (
        selectors.breakdown(figure, by=by, period=period, scope=scope, levels=levels, src=src) if by else []
    )
    return period, scope, levels, result, by, by_label, parts, src


def _rows_by_department(figure, scope) -> bool:
    """A case figure for the whole district lists its cases per department (hundreds of thousands of rows
    at district level; each department's page lists its own, and the departments sum to the district)."""
    return FIGURES[figure].kind == Kind.CASES and scope.kind == "district"


def _rows_qs(figure, result):
    kind = FIGURES[figure].kind
    qs = result.denominator_rows
    if qs is None or _rows_by_department(figure, result.scope):
        return None
    if kind == Kind.CASES:
        return qs.select_related("department", "item_version").order_by("-accepted_on", "number")
    if kind == Kind.RATINGS:
        return qs.select_related("department")
    return qs


@kpi_required
def figure_detail(request: HttpRequest, figure: str) -> HttpResponse:
    figure = _figure(figure)
    period, scope, levels, result, by, by_label, parts, src = _drill(request, figure)
    rows_qs = _rows_qs(figure, result)
    page = Paginator(rows_qs if rows_qs is not None else [], 50).get_page(request.GET.get("page"))
    ids = {r.pk for r in page.object_list}
    in_numerator = (
        set(result.numerator_rows.filter(pk__in=ids).values_list("pk", flat=True))
        if result.numerator_rows is not None and ids
        else set()
    )
    header, body = exports.rows_table(figure, page.object_list, in_numerator)
    trend = selectors.trend(figure, end=period.end, months=12, scope=scope, levels=levels)
    chart = {
        "labels": [p["month"] for p in trend],
        "values": [None if p["value"] is None else _chart_value(figure, p["value"]) for p in trend],
        "series": [result.label],
    }
    base_query = {**selectors.scope_query(scope)}
    for key in ("period", "as_of", "levels"):
        if request.GET.get(key):
            base_query[key] = request.GET[key]
    for part in parts:
        part["url_query"] = urlencode(
            {
                **{k: v for k, v in base_query.items() if k not in ("department", "street", "item")},
                **part["query"],
            }
        )
    return render(
        request,
        "kpi/figure_detail.html",
        {
            "figure": figure,
            "result": result,
            "meta": FIGURES[figure],
            "period": period,
            "scope": scope,
            "scope_label": selectors.scope_label(scope),
            "by": by,
            "by_label": by_label,
            "parts": parts,
            "parts_sum": (sum(p["numerator"] for p in parts), sum(p["denominator"] for p in parts)),
            "page": page,
            "row_header": header,
            "row_body": body,
            "trend": trend,
            "chart_json": json.dumps(chart, ensure_ascii=False),
            "query": urlencode(base_query),
            "summary_as_of": selectors.summary_as_of(),
            "trend_summarised": src is not None and src.state is not None,
            "rows_by_department": _rows_by_department(figure, scope),
        },
    )


def _chart_value(figure, value):
    return float(value) * 100 if FIGURES[figure].unit == "ratio" else float(value)


@kpi_required
def figure_export(request: HttpRequest, figure: str, fmt: str) -> HttpResponse:
    figure = _figure(figure)
    period, scope, levels, result, by, by_label, parts, src = _drill(request, figure)
    summary = (
        [_("范围"), _("期间"), _("分子"), _("分母"), _("值")],
        [
            [
                selectors.scope_label(scope),
                period.label,
                exports.number(result.numerator),
                exports.number(result.denominator),
                result.display,
            ]
        ],
    )
    sheets = [(result.label, *summary)]
    if parts:
        sheets.append((by_label, *exports.breakdown_table(parts, by_label=by_label)))
    rows_qs = _rows_qs(figure, result)
    if rows_qs is not None:
        rows = list(rows_qs[:50000])
        num_ids = (
            set(result.numerator_rows.values_list("pk", flat=True))
            if result.numerator_rows is not None
            else set()
        )
        sheets.append((_("明细"), *exports.rows_table(figure, rows, num_ids)))
    # CSV carries one table: the breakdown where there is one, else the rows
    if fmt == "csv" and len(sheets) > 1:
        sheets = sheets[1:]
    name = f"kpi-{figure}-{scope.kind}-{period.end:%Y%m%d}"
    return _file(fmt, name, sheets)


@kpi_required
@require_POST
def target_set(request: HttpRequest) -> HttpResponse:
    try:
        value = request.POST.get("value", "")
        if (
            FIGURES.get(request.POST.get("figure", ""), None)
            and FIGURES[request.POST["figure"]].unit == "ratio"
        ):
            value = str(float(value) / 100) if value else value
        services.kpi_target_set(
            acting_user=request.user,
            figure=request.POST.get("figure", ""),
            year=int(request.POST.get("year") or 0),
            value=value,
            note=request.POST.get("note", "")[:200],
        )
        messages.success(request, _("指标目标已保存。"))
    except (ApplicationError, ValueError) as exc:
        messages.error(request, str(exc) if isinstance(exc, ApplicationError) else _("目标值应为数字。"))
    return redirect("kpi:dashboard")


def public_figures(request: HttpRequest) -> HttpResponse:
    """District-level figures for everyone: counts and ratios only, no rows, no personal data."""
    today = timezone.localdate()
    period = indicators.Period(today.replace(month=1, day=1), today)
    src = summary.source()
    results = selectors.public_figures(period=period, src=src)
    chart = {
        "labels": [r.label for r in results if r.meta.unit == "ratio"],
        "values": [
            None if r.value is None else float(r.value) * 100 for r in results if r.meta.unit == "ratio"
        ],
        "series": [_("比例（%）")],
    }
    return render(
        request,
        "kpi/public_figures.html",
        {
            "results": results,
            "period": period,
            "chart_json": json.dumps(chart, ensure_ascii=False),
            "Figure": Figure,
            "summary_as_of": src.as_of,
            "summary_pending": src.pending,
            "summary_live": src.state is None and src.live,
        },
    )
