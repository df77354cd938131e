"""Appointments API: slots, appointments (+ reschedule, cancel, check-in), tickets (+ call-next, recall, start,
no-show, transfer, finish, open-case), nearest halls and hall figures. Thin: parse, scope, call the service."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from bianmin.accounts import rules
from bianmin.appointments import figures, selectors, services
from bianmin.appointments.api import serializers as s
from bianmin.appointments.exceptions import QueueNotFound, QueuePermissionDenied
from bianmin.appointments.models import Appointment, HallSetting, QueueTicket, Slot, TicketCategory
from bianmin.catalog.models import ServiceItem, Theme
from bianmin.organisations.api.filters import parse_point
from bianmin.organisations.models import Department, Hall, Region, Window
from bianmin.web.text import join_list

ERROR = OpenApiResponse(description="{code, detail, fields}")
ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}
IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="同一用户同一键只生成一个预约。",
)


def _item(code: str | None) -> ServiceItem | None:
    if not code:
        return None
    item = (
        ServiceItem.objects.select_related("current_version", "department__region").filter(code=code).first()
    )
    if item is None:
        raise ValidationError({"item": [_("事项不存在。")]})
    return item


def _hall(pk) -> Hall:
    return get_object_or_404(Hall, pk=pk, is_active=True)


class SlotListApi(GenericAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = s.SlotOutputSerializer
    queryset = Slot.objects.none()

    @extend_schema(
        operation_id="slots_list",
        summary="可预约时段",
        parameters=[
            OpenApiParameter("hall", OpenApiTypes.INT, required=True),
            OpenApiParameter("date", OpenApiTypes.DATE, description="某一天；缺省为今后14天"),
        ],
        responses={200: s.SlotOutputSerializer(many=True), 400: ERROR, 404: ERROR},
    )
    def get(self, request):
        try:
            hall = _hall(int(request.query_params.get("hall", "")))
        except ValueError:
            raise ValidationError({"hall": [_("请指定大厅。")]}) from None
        start = timezone.localdate()
        end = start + dt.timedelta(days=14)
        if request.query_params.get("date"):
            try:
                start = end = dt.date.fromisoformat(request.query_params["date"])
            except ValueError:
                raise ValidationError({"date": [_("日期格式应为 YYYY-MM-DD。")]}) from None
        page = self.paginate_queryset(selectors.slots_available(hall=hall, start=start, end=end))
        return self.get_paginated_response(s.SlotOutputSerializer(page, many=True).data)


class AppointmentListCreateApi(GenericAPIView):
    serializer_class = s.AppointmentOutputSerializer
    queryset = Appointment.objects.none()

    @extend_schema(
        operation_id="appointments_list",
        summary="我的预约（工作人员：本大厅的预约）；今天及以后的在前（由近到远），过去的在后（由近到远）",
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE)],
    )
    def get(self, request):
        qs = selectors.upcoming_first(
            selectors.appointment_list_for_user(user=request.user), today=timezone.localdate()
        )
        if request.query_params.get("date"):
            qs = qs.filter(on=request.query_params["date"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.AppointmentOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="appointments_create",
        summary="预约（申请人网上预约；工作人员电话预约）",
        request=s.AppointmentBookInputSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: s.AppointmentOutputSerializer, **ERRORS},
    )
    def post(self, request):
        data = s.AppointmentBookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = services.appointment_book(
            acting_user=request.user,
            slot=data.validated_data["slot"],
            item=_item(data.validated_data.get("item")),
            name=data.validated_data.get("name", ""),
            mobile=data.validated_data.get("mobile", ""),
            idempotency_key=(request.headers.get("Idempotency-Key") or "").strip(),
        )
        return Response(s.AppointmentOutputSerializer(appointment).data, status=status.HTTP_201_CREATED)


class AppointmentDetailApi(APIView):
    @extend_schema(
        operation_id="appointments_retrieve",
        summary="预约详情",
        responses={200: s.AppointmentOutputSerializer, 404: ERROR},
    )
    def get(self, request, code):
        return Response(
            s.AppointmentOutputSerializer(
                selectors.appointment_get_for_user(user=request.user, code=code)
            ).data
        )


class AppointmentRescheduleApi(APIView):
    @extend_schema(
        operation_id="appointments_reschedule",
        summary="改期",
        request=s.AppointmentRescheduleInputSerializer,
        responses={200: s.AppointmentOutputSerializer, **ERRORS},
    )
    def post(self, request, code):
        data = s.AppointmentRescheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = services.appointment_reschedule(
            appointment=code, slot=data.validated_data["slot"], acting_user=request.user
        )
        return Response(s.AppointmentOutputSerializer(appointment).data)


class AppointmentCancelApi(APIView):
    @extend_schema(
        operation_id="appointments_cancel",
        summary="取消预约",
        request=None,
        responses={200: s.AppointmentOutputSerializer, **ERRORS},
    )
    def post(self, request, code):
        appointment = services.appointment_cancel(appointment=code, acting_user=request.user)
        return Response(s.AppointmentOutputSerializer(appointment).data)


class AppointmentCheckInApi(APIView):
    @extend_schema(
        operation_id="appointments_check_in",
        summary="签到取号（申请人本人或本大厅工作人员）",
        request=s.TicketCheckInInputSerializer,
        responses={201: s.TicketOutputSerializer, **ERRORS},
    )
    def post(self, request, code):
        appointment = selectors.appointment_get_for_user(user=request.user, code=code)
        ticket = services.appointment_check_in(
            hall=appointment.hall, code=appointment.code, acting_user=request.user
        )
        return Response(s.TicketOutputSerializer(ticket).data, status=status.HTTP_201_CREATED)


class TicketListCreateApi(GenericAPIView):
    serializer_class = s.TicketOutputSerializer
    queryset = QueueTicket.objects.none()

    @extend_schema(
        operation_id="tickets_list",
        summary="本大厅今天的排队号（工作人员）",
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE), OpenApiParameter("state", OpenApiTypes.STR)],
    )
    def get(self, request):
        if not selectors.staff_hall_ids(request.user):
            raise QueuePermissionDenied(_("您不是大厅工作人员。"))
        on = request.query_params.get("date") or timezone.localdate()
        qs = selectors.ticket_list_for_staff(user=request.user, on=on).order_by("issued_at", "pk")
        if request.query_params.get("state"):
            qs = qs.filter(state=request.query_params["state"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.TicketOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="tickets_create",
        summary="人工取号（本大厅工作人员）",
        request=s.TicketTakeInputSerializer,
        responses={201: s.TicketOutputSerializer, **ERRORS},
    )
    def post(self, request):
        data = s.TicketTakeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hall = _hall(data.validated_data["hall"])
        if hall.pk not in selectors.staff_hall_ids(request.user):
            raise QueueNotFound()
        category = None
        if data.validated_data.get("category"):
            category = TicketCategory.objects.filter(
                hall=hall, letter=data.validated_data["category"].upper()
            ).first()
            if category is None:
                raise ValidationError({"category": [_("该大厅没有这个业务类别。")]})
        ticket = services.ticket_take(
            hall=hall,
            acting_user=request.user,
            category=category,
            item=_item(data.validated_data.get("item")),
        )
        return Response(s.TicketOutputSerializer(ticket).data, status=status.HTTP_201_CREATED)


class TicketCallNextApi(APIView):
    @extend_schema(
        operation_id="tickets_call_next",
        summary="叫下一位",
        request=s.TicketCallNextInputSerializer,
        responses={200: s.TicketOutputSerializer, **ERRORS},
    )
    def post(self, request):
        data = s.TicketCallNextInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = services.ticket_call_next(window=data.validated_data["window"], acting_user=request.user)
        return Response(s.TicketOutputSerializer(ticket).data)


def _ticket_action(name: str, summary: str, service):
    class _Api(APIView):
        @extend_schema(
            operation_id=f"tickets_{name}",
            summary=summary,
            request=None,
            responses={200: s.TicketOutputSerializer, **ERRORS},
        )
        def post(self, request, pk):
            ticket = service(ticket=pk, acting_user=request.user)
            return Response(s.TicketOutputSerializer(QueueTicket.objects.get(pk=ticket.pk)).data)

    _Api.__name__ = _Api.__qualname__ = f"Ticket{name.title().replace('_', '')}Api"
    return _Api


TicketRecallApi = _ticket_action("recall", "重呼", services.ticket_recall)
TicketStartApi = _ticket_action("start", "开始办理", services.ticket_start)
TicketNoShowApi = _ticket_action("no_show", "过号", services.ticket_no_show)
TicketFinishApi = _ticket_action("finish", "办结（邀请评价）", services.ticket_finish)


class TicketTransferApi(APIView):
    @extend_schema(
        operation_id="tickets_transfer",
        summary="转移到其他窗口或业务类别",
        request=s.TicketTransferInputSerializer,
        responses={200: s.TicketOutputSerializer, **ERRORS},
    )
    def post(self, request, pk):
        data = s.TicketTransferInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = selectors.ticket_get_for_staff(user=request.user, pk=pk)
        category = None
        if data.validated_data.get("category"):
            category = TicketCategory.objects.filter(
                hall=ticket.hall_id, letter=data.validated_data["category"].upper()
            ).first()
            if category is None:
                raise ValidationError({"category": [_("该大厅没有这个业务类别。")]})
        ticket = services.ticket_transfer(
            ticket=pk, acting_user=request.user, window=data.validated_data.get("window"), category=category
        )
        return Response(s.TicketOutputSerializer(QueueTicket.objects.get(pk=ticket.pk)).data)


class TicketOpenCaseApi(APIView):
    @extend_schema(
        operation_id="tickets_open_case",
        summary="为当前号受理办件",
        request=s.TicketOpenCaseInputSerializer,
        responses={201: s.TicketOpenCaseOutputSerializer, **ERRORS},
    )
    def post(self, request, pk):
        data = s.TicketOpenCaseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.ticket_open_case(
            ticket=pk,
            acting_user=request.user,
            item=_item(data.validated_data["item"]),
            applicant=data.validated_data["applicant"],
        )
        return Response({"case": str(case.pk)}, status=status.HTTP_201_CREATED)


class NearestHallsApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="nearest_halls",
        summary="可办理某事项的大厅，由近到远，含今天预计等候",
        parameters=[
            OpenApiParameter("item", OpenApiTypes.STR, required=True, description="事项编码"),
            OpenApiParameter("region", OpenApiTypes.STR, description="申请人所在街道/社区区划代码（12位）"),
            OpenApiParameter("near", OpenApiTypes.STR, description="纬度,经度"),
        ],
        responses={200: s.NearestHallOutputSerializer(many=True), 400: ERROR},
    )
    def get(self, request):
        item = _item(request.query_params.get("item"))
        if item is None:
            raise ValidationError({"item": [_("请指定事项。")]})
        point = None
        if request.query_params.get("near"):
            point = parse_point(request.query_params["near"])
            if point is None:
                raise ValidationError({"near": [_("请按“纬度,经度”填写。")]})
        region = Region.objects.filter(code=request.query_params.get("region", "")).first()
        rows = selectors.nearest_halls(item=item, region=region, point=point)
        return Response(s.NearestHallOutputSerializer(rows, many=True).data)


class HallFiguresApi(APIView):
    @extend_schema(
        operation_id="hall_figures",
        summary="大厅运行数据（大厅管理员）",
        parameters=[OpenApiParameter("start", OpenApiTypes.DATE), OpenApiParameter("end", OpenApiTypes.DATE)],
        responses={200: s.HallFiguresOutputSerializer, 403: ERROR, 404: ERROR},
    )
    def get(self, request, pk):
        hall = _hall(pk)
        if not (
            rules.can_manage_hall(request.user, hall)
            or rules.can_view_kpi(request.user)
            and not rules.has_role(request.user, "hall_manager")
        ):
            if hall.pk not in selectors.staff_hall_ids(request.user):
                raise QueueNotFound()
            raise QueuePermissionDenied(_("只有大厅管理员可以查看运行数据。"))
        try:
            end = dt.date.fromisoformat(request.query_params.get("end") or timezone.localdate().isoformat())
            start = dt.date.fromisoformat(
                request.query_params.get("start") or (end - dt.timedelta(days=29)).isoformat()
            )
        except ValueError:
            raise ValidationError({"start": [_("日期格式应为 YYYY-MM-DD。")]}) from None
        return Response(
            s.HallFiguresOutputSerializer(figures.hall_figures(hall=hall, start=start, end=end)).data
        )


class NearbyShareApi(APIView):
    @extend_schema(
        operation_id="hall_nearby_share",
        summary="各街道最近大厅可办事项占比（就近可办率输入）",
        responses={200: s.NearbyShareOutputSerializer(many=True), 403: ERROR},
    )
    def get(self, request):
        if not rules.can_view_kpi(request.user):
            raise QueuePermissionDenied(_("无权查看。"))
        return Response(s.NearbyShareOutputSerializer(figures.nearby_share_by_street(), many=True).data)


# --- hall data: items taken in, window schedules and items, slot settings, number prefixes ------------


class ReadAnyoneWriteSignedIn(permissions.BasePermission):
    """GET for everybody (hall data is public); writes need a signed-in user, the service decides the rest."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or bool(
            request.user and request.user.is_authenticated
        )


def _items(codes: list[str], field: str = "items") -> list[ServiceItem]:
    codes = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    found = {i.code: i for i in ServiceItem.objects.select_related("current_version").filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError({field: [_("事项不存在：%(c)s") % {"c": join_list(missing)}]})
    return [found[c] for c in codes]


def _window(pk) -> Window:
    return get_object_or_404(Window.objects.select_related("hall"), pk=pk)


def _window_row(window: Window) -> dict:
    return next(r for r in selectors.window_setup(hall=window.hall) if r["id"] == window.pk)


class HallItemsApi(GenericAPIView):
    permission_classes = [ReadAnyoneWriteSignedIn]
    serializer_class = s.HallItemOutputSerializer
    queryset = ServiceItem.objects.none()

    @extend_schema(
        operation_id="hall_items_list",
        summary="大厅可办事项（就近办；含通办范围覆盖全区的事项）",
        parameters=[
            OpenApiParameter(
                "source", OpenApiTypes.STR, enum=["listed", "district"], description="只列其中一种"
            )
        ],
        responses={200: s.HallItemOutputSerializer(many=True), 404: ERROR},
    )
    def get(self, request, pk):
        hall = _hall(pk)
        qs = selectors.items_taken_at(hall=hall)
        source = request.query_params.get("source")
        if source == "listed":
            qs = qs.filter(listed=True)
        elif source == "district":
            qs = qs.filter(listed=False)
        page = self.paginate_queryset(qs)
        rows = [
            {
                "code": i.code,
                "name": i.current_version.name if i.current_version_id else i.code,
                "department": i.department.short_code,
                "source": "listed" if i.listed else "district",
            }
            for i in page
        ]
        return self.get_paginated_response(s.HallItemOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="hall_items_set",
        summary="加入或撤下大厅可办事项（平台管理员或本大厅管理员）",
        request=s.HallItemsInputSerializer,
        responses={200: s.HallItemsOutputSerializer, **ERRORS},
    )
    def post(self, request, pk):
        hall = _hall(pk)
        data = s.HallItemsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changed = services.hall_items_set(
            hall=hall,
            items=_items(data.validated_data["items"]),
            acting_user=request.user,
            active=data.validated_data["active"],
        )
        return Response({"changed": changed})


class HallScheduleApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="hall_windows_setup",
        summary="大厅各窗口的类型、进驻部门、专业窗口事项和每周开放时间",
        responses={200: s.WindowSetupOutputSerializer(many=True), 404: ERROR},
    )
    def get(self, request, pk):
        return Response(s.WindowSetupOutputSerializer(selectors.window_setup(hall=_hall(pk)), many=True).data)


class WindowScheduleApi(APIView):
    permission_classes = [ReadAnyoneWriteSignedIn]

    @extend_schema(
        operation_id="window_schedule_retrieve",
        summary="窗口每周开放时间",
        responses={200: s.WindowSetupOutputSerializer, 404: ERROR},
    )
    def get(self, request, pk):
        return Response(s.WindowSetupOutputSerializer(_window_row(_window(pk))).data)

    @extend_schema(
        operation_id="window_schedule_set",
        summary="设置窗口每周开放时间（整体替换；平台管理员或本大厅管理员）",
        request=s.WindowScheduleInputSerializer,
        responses={200: s.WindowSetupOutputSerializer, **ERRORS},
    )
    def put(self, request, pk):
        window = _window(pk)
        data = s.WindowScheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.window_schedule_set(
            window=window,
            periods=[(p["weekday"], p["start"], p["end"]) for p in data.validated_data["periods"]],
            acting_user=request.user,
        )
        return Response(s.WindowSetupOutputSerializer(_window_row(window)).data)


class WindowItemsApi(APIView):
    permission_classes = [ReadAnyoneWriteSignedIn]

    @extend_schema(
        operation_id="window_items_set",
        summary="设置专业窗口办理的事项（整体替换；平台管理员或本大厅管理员）",
        request=s.WindowItemsInputSerializer,
        responses={200: s.WindowSetupOutputSerializer, **ERRORS},
    )
    def put(self, request, pk):
        window = _window(pk)
        data = s.WindowItemsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.window_scope_set(
            window=window, items=_items(data.validated_data["items"]), acting_user=request.user
        )
        return Response(s.WindowSetupOutputSerializer(_window_row(window)).data)


class HallSettingApi(APIView):
    permission_classes = [ReadAnyoneWriteSignedIn]

    @extend_schema(
        operation_id="hall_booking_setting_retrieve",
        summary="大厅预约设置（时段长度、每窗口人数）",
        responses={200: s.HallSettingSerializer, 404: ERROR},
    )
    def get(self, request, pk):
        hall = _hall(pk)
        setting = HallSetting.objects.filter(hall=hall).first() or HallSetting(hall=hall)
        return Response(s.HallSettingSerializer(setting).data)

    @extend_schema(
        operation_id="hall_booking_setting_set",
        summary="修改大厅预约设置（平台管理员或本大厅管理员；已生成的时段随即调整容量）",
        request=s.HallSettingSerializer,
        responses={200: s.HallSettingSerializer, **ERRORS},
    )
    def put(self, request, pk):
        hall = _hall(pk)
        data = s.HallSettingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        setting = services.hall_setting_set(hall=hall, acting_user=request.user, **data.validated_data)
        return Response(s.HallSettingSerializer(setting).data)


def _category_refs(data: dict) -> tuple[list[Department], list[Theme]]:
    codes = list(dict.fromkeys(data.get("departments") or []))
    departments = {d.short_code: d for d in Department.objects.filter(short_code__in=codes)}
    problems = {}
    if missing := [c for c in codes if c not in departments]:
        problems["departments"] = [_("部门简码不存在：%(c)s") % {"c": join_list(missing)}]
    theme_codes = list(dict.fromkeys(data.get("themes") or []))
    themes = {t.code: t for t in Theme.objects.filter(code__in=theme_codes)}
    if missing := [c for c in theme_codes if c not in themes]:
        problems["themes"] = [_("主题编码不存在：%(c)s") % {"c": join_list(missing)}]
    if problems:
        raise ValidationError(problems)
    return [departments[c] for c in codes], [themes[c] for c in theme_codes]


class TicketCategoryListApi(APIView):
    permission_classes = [ReadAnyoneWriteSignedIn]

    @extend_schema(
        operation_id="hall_ticket_categories_list",
        summary="大厅排队业务类别与号码前缀（按部门或主题对应）",
        responses={200: s.TicketCategoryOutputSerializer(many=True), 404: ERROR},
    )
    def get(self, request, pk):
        rows = selectors.ticket_category_rows(hall=_hall(pk))
        return Response(s.TicketCategoryOutputSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="hall_ticket_categories_set",
        summary="新增或修改（按前缀字母）业务类别（平台管理员或本大厅管理员）",
        request=s.TicketCategoryInputSerializer,
        responses={200: s.TicketCategoryOutputSerializer, **ERRORS},
    )
    def post(self, request, pk):
        hall = _hall(pk)
        data = s.TicketCategoryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        departments, themes = _category_refs(data.validated_data)
        category = services.ticket_category_set(
            hall=hall,
            letter=data.validated_data["letter"],
            name=data.validated_data["name"],
            acting_user=request.user,
            departments=departments,
            themes=themes,
            is_default=data.validated_data["is_default"],
        )
        row = next(r for r in selectors.ticket_category_rows(hall=hall) if r["letter"] == category.letter)
        return Response(s.TicketCategoryOutputSerializer(row).data)


class TicketCategoryDetailApi(APIView):
    @extend_schema(
        operation_id="hall_ticket_categories_delete",
        summary="删除业务类别（未曾取号的；平台管理员或本大厅管理员）",
        request=None,
        responses={204: None, **ERRORS},
    )
    def delete(self, request, pk, letter):
        services.ticket_category_delete(hall=_hall(pk), letter=letter, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
