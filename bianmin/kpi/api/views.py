"""KPI API: every figure with numerator, denominator, value and drill-down links; targets."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bianmin.accounts import rules
from bianmin.core.exceptions import NotFound
from bianmin.kpi import selectors, services, summary
from bianmin.kpi.api import serializers as s
from bianmin.kpi.constants import FIGURES, Figure

ERROR = OpenApiResponse(description="{code, detail, fields}")
PARAMS = [
    OpenApiParameter(
        "period", OpenApiTypes.STR, description="2025 | 2025-Q1 | 2025-03 | 2025-01-01..2025-06-30"
    ),
    OpenApiParameter(
        "as_of", OpenApiTypes.DATE, description="item figures with the versions in force on this day"
    ),
    OpenApiParameter("department", OpenApiTypes.STR, description="4-digit short code or id"),
    OpenApiParameter("street", OpenApiTypes.STR, description="region code (区划代码) or id"),
    OpenApiParameter("item", OpenApiTypes.INT),
    OpenApiParameter("levels", OpenApiTypes.STR, description="exercise levels (行使层级), e.g. 4,5"),
    OpenApiParameter(
        "scope", OpenApiTypes.STR, description="district | department | street | item (implied by the others)"
    ),
]


class CanViewKpi(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and rules.can_view_kpi(request.user))


def _params(request):
    period = selectors.parse_period(request.query_params.get("period"))
    period = selectors.parse_as_of(request.query_params.get("as_of"), period)
    levels = selectors.parse_levels(request.query_params.get("levels"))
    scope = selectors.parse_scope(request.query_params)
    return period, scope, levels


def _passthrough(request) -> dict:
    return {k: request.query_params[k] for k in ("period", "as_of", "levels") if request.query_params.get(k)}


def _figure_data(request, result, targets, *, as_of=None) -> dict:
    figure = result.figure
    live = selectors.is_live(result)
    t = targets[figure]
    current = t["current"]
    query = {**_passthrough(request), **selectors.scope_query(result.scope)}
    q = f"?{urlencode(query)}" if query else ""
    return {
        "figure": figure,
        "label": result.label,
        "scope": result.scope.kind,
        "scope_label": selectors.scope_label(result.scope),
        "period_start": result.period.start,
        "period_end": result.period.end,
        "levels": list(result.levels),
        "numerator": result.numerator,
        "denominator": result.denominator,
        "value": result.value,
        "display": result.display,
        "numerator_label": str(FIGURES[figure].numerator_label),
        "denominator_label": str(FIGURES[figure].denominator_label),
        "live": live,
        "pending": selectors.is_pending(result),
        "as_of": timezone.now() if live else (as_of or summary.as_of()),
        "target": current.value if current else None,
        "target_year": current.year if current else None,
        "plan_2019": t["plan"].get(2019),
        "plan_2020": t["plan"].get(2020),
        "links": {
            "self": request.build_absolute_uri(reverse("kpi-api:figure", args=[figure]) + q),
            "page": request.build_absolute_uri(reverse("kpi:figure", args=[figure]) + q),
            "export_xlsx": request.build_absolute_uri(
                reverse("kpi:figure-export", args=[figure, "xlsx"]) + q
            ),
        },
    }


class KpiListApi(APIView):
    permission_classes = [CanViewKpi]

    @extend_schema(
        operation_id="kpi_list",
        summary=gettext_lazy("全部效能指标（分子、分母、值、目标）"),
        parameters=PARAMS,
        responses={200: s.KpiFigureOutputSerializer(many=True), 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def get(self, request):
        period, scope, levels = _params(request)
        targets = selectors.targets_by_figure()
        values = selectors.figure_values(period=period, scope=scope, levels=levels)
        data = [_figure_data(request, values[f], targets, as_of=values["_as_of"]) for f in FIGURES]
        return Response(s.KpiFigureOutputSerializer(data, many=True).data)


class KpiFigureApi(APIView):
    permission_classes = [CanViewKpi]

    @extend_schema(
        operation_id="kpi_figure",
        summary=gettext_lazy("单项指标：分子、分母、值、分解（部门或事项）和近12个月趋势"),
        parameters=[
            OpenApiParameter("figure", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(Figure.values)),
            *PARAMS,
        ],
        responses={200: s.KpiFigureDetailOutputSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def get(self, request, figure: str):
        if figure not in FIGURES:
            raise NotFound(_("未知的指标。"))
        period, scope, levels = _params(request)
        src = summary.source() if summary.is_summarised(figure, scope) else None
        result = selectors.drill_figure(figure, period=period, scope=scope, levels=levels, src=src)
        data = _figure_data(request, result, selectors.targets_by_figure())
        by = {"district": "department", "department": "item", "street": "item"}.get(scope.kind)
        parts = (
            selectors.breakdown(figure, by=by, period=period, scope=scope, levels=levels, src=src)
            if by
            else []
        )
        passthrough = _passthrough(request)
        for part in parts:
            part["drill_down"] = request.build_absolute_uri(
                reverse("kpi-api:figure", args=[figure]) + "?" + urlencode({**passthrough, **part["query"]})
            )
        data["breakdown_by"] = by
        data["breakdown"] = parts
        data["trend"] = selectors.trend(figure, end=period.end, months=12, scope=scope, levels=levels)
        return Response(s.KpiFigureDetailOutputSerializer(data).data)


class KpiTargetListApi(APIView):
    permission_classes = [CanViewKpi]

    @extend_schema(
        operation_id="kpi_targets_list",
        summary=gettext_lazy("指标目标（方案目标与当前目标）"),
        responses={200: s.KpiTargetOutputSerializer(many=True)},
    )
    def get(self, request):
        from bianmin.kpi.models import KpiTarget

        return Response(
            s.KpiTargetOutputSerializer(
                KpiTarget.objects.order_by("figure", "year", "source"), many=True
            ).data
        )

    @extend_schema(
        operation_id="kpi_targets_set",
        summary=gettext_lazy("设定当前目标（平台管理员）"),
        request=s.KpiTargetInputSerializer,
        responses={201: s.KpiTargetOutputSerializer, 400: ERROR, 403: ERROR},
    )
    def post(self, request):
        data = s.KpiTargetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = services.kpi_target_set(acting_user=request.user, **data.validated_data)
        return Response(s.KpiTargetOutputSerializer(target).data, status=status.HTTP_201_CREATED)
