from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bianmin.accounts.rules import is_platform_admin
from bianmin.workdays import selectors, services
from bianmin.workdays.api import serializers as s
from bianmin.workdays.constants import DayKind

ERROR_RESPONSE = OpenApiResponse(description="{code, detail, fields}")


class IsPlatformAdmin(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return is_platform_admin(request.user)


class CalendarDeadlineApi(APIView):
    """The Nth working day after a start day (the start day not counted). Public."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="calendar_deadline",
        parameters=[s.CalendarDeadlineInputSerializer],
        responses={200: s.CalendarDeadlineOutputSerializer, 400: ERROR_RESPONSE},
        tags=["calendar"],
    )
    def get(self, request):
        params = s.CalendarDeadlineInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        start, n = params.validated_data["start"], params.validated_data["workdays"]
        result = services.add_with_provenance(start, n)
        data = {"start": start, "workdays": n, "deadline": result.date, "provisional": result.is_provisional}
        return Response(s.CalendarDeadlineOutputSerializer(data).data)


class CalendarBetweenApi(APIView):
    """Working days in (start, end]. Public."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="calendar_between",
        parameters=[s.CalendarBetweenInputSerializer],
        responses={200: s.CalendarBetweenOutputSerializer, 400: ERROR_RESPONSE},
        tags=["calendar"],
    )
    def get(self, request):
        params = s.CalendarBetweenInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        start, end = params.validated_data["start"], params.validated_data["end"]
        result = services.between_with_provenance(start, end)
        data = {"start": start, "end": end, "workdays": result.count, "provisional": result.is_provisional}
        return Response(s.CalendarBetweenOutputSerializer(data).data)


class CalendarDaysApi(APIView):
    """Every day of a year (or the days of one kind) with the year's status. Public."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="calendar_days",
        parameters=[s.CalendarDaysInputSerializer],
        responses={200: s.CalendarYearDaysOutputSerializer, 400: ERROR_RESPONSE},
        tags=["calendar"],
    )
    def get(self, request):
        params = s.CalendarDaysInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        calendar = selectors.calendar_year_get(year=params.validated_data["year"])
        kind = params.validated_data.get("kind")
        days = [d for d in calendar.days if kind is None or d.kind == DayKind(kind)]
        data = {
            "year": calendar.year,
            "status": calendar.status,
            "published_at": calendar.record.published_at if calendar.record else None,
            "source_note": calendar.record.source_note if calendar.record else "",
            "days": days,
        }
        return Response(s.CalendarYearDaysOutputSerializer(data).data)


class CalendarYearPublishApi(APIView):
    """Enter a year's official State Council schedule (platform administrators)."""

    permission_classes = [permissions.IsAuthenticated, IsPlatformAdmin]

    @extend_schema(
        operation_id="calendar_year_publish",
        request=s.CalendarYearPublishInputSerializer,
        responses={201: s.CalendarYearPublishOutputSerializer, 400: ERROR_RESPONSE, 403: ERROR_RESPONSE},
        tags=["calendar"],
    )
    def post(self, request):
        payload = s.CalendarYearPublishInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        calendar_year = services.calendar_year_publish(
            year=data["year"],
            holidays=data["holidays"],
            adjusted_workdays=data["adjusted_workdays"],
            acting_user=request.user,
            source_note=data["source_note"],
        )
        counts = {kind: 0 for kind in DayKind.values}
        for kind in calendar_year.days.values_list("kind", flat=True):
            counts[kind] += 1
        out = {
            "year": calendar_year.year,
            "status": calendar_year.status,
            "published_at": calendar_year.published_at,
            "entered_by": calendar_year.entered_by,
            "source_note": calendar_year.source_note,
            "holiday_days": counts[DayKind.HOLIDAY],
            "adjusted_workdays": counts[DayKind.ADJUSTED_WORKDAY],
        }
        return Response(s.CalendarYearPublishOutputSerializer(out).data, status=status.HTTP_201_CREATED)
