"""Reference data: regions, departments (实施主体), halls with their windows — read by everyone.

Halls and windows are written by platform administrators, and by a hall's manager for their own hall
(address, map position, phone, opening hours; its windows). The services hold the rule."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.response import Response

from bianmin.organisations import selectors, services
from bianmin.organisations.api.filters import DepartmentFilter, HallFilter, RegionFilter, parse_point
from bianmin.organisations.api.serializers import (
    DepartmentOutputSerializer,
    HallCreateInputSerializer,
    HallDetailOutputSerializer,
    HallOutputSerializer,
    HallUpdateInputSerializer,
    RegionOutputSerializer,
    WindowCreateInputSerializer,
    WindowOutputSerializer,
    WindowUpdateInputSerializer,
)
from bianmin.organisations.models import Hall, Window

ERROR = OpenApiResponse(description="{code, detail, fields}")
WRITE_ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR}


def _written(pk: int) -> Hall:
    """The hall as just written (also when it was made inactive), with its active windows."""
    return selectors.hall_list(include_inactive=True).prefetch_related("windows").get(pk=pk)


class ReadAnyoneWriteSignedIn(BasePermission):
    """GET for everybody; writes need a signed-in user (the service decides who may write what)."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or bool(request.user and request.user.is_authenticated)


@extend_schema(tags=["organisations"], summary="行政区划列表")
class RegionListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = RegionOutputSerializer
    filterset_class = RegionFilter

    def get_queryset(self):
        return selectors.region_list()


@extend_schema(tags=["organisations"], summary="行政区划详情（按12位区划代码）")
class RegionDetailApi(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = RegionOutputSerializer
    lookup_field = "code"

    def get_queryset(self):
        return selectors.region_list()


@extend_schema(tags=["organisations"], summary="部门（实施主体）列表")
class DepartmentListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = DepartmentOutputSerializer
    filterset_class = DepartmentFilter

    def get_queryset(self):
        return selectors.department_list()


@extend_schema(tags=["organisations"], summary="部门详情（按4位部门简码）")
class DepartmentDetailApi(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = DepartmentOutputSerializer
    lookup_field = "short_code"

    def get_queryset(self):
        return selectors.department_list()


class HallListApi(generics.ListAPIView):
    permission_classes = [ReadAnyoneWriteSignedIn]
    serializer_class = HallOutputSerializer
    filterset_class = HallFilter

    @extend_schema(tags=["organisations"], summary="政务服务大厅列表（?near=纬度,经度 按距离排序）")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["organisations"],
        operation_id="halls_create",
        summary="新建大厅（平台管理员）",
        request=HallCreateInputSerializer,
        responses={201: HallDetailOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        data = HallCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hall = services.hall_create(acting_user=request.user, **data.validated_data)
        return Response(HallDetailOutputSerializer(_written(hall.pk)).data, status=status.HTTP_201_CREATED)

    def get_queryset(self):
        return selectors.hall_list()

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "near": parse_point(self.request.query_params.get("near", "")),
        }


class HallDetailApi(generics.RetrieveAPIView):
    permission_classes = [ReadAnyoneWriteSignedIn]
    serializer_class = HallDetailOutputSerializer

    def get_object(self):
        return selectors.hall_get(pk=self.kwargs["pk"])

    @extend_schema(tags=["organisations"], summary="大厅详情（含窗口）")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["organisations"],
        operation_id="halls_partial_update",
        summary="修改大厅（平台管理员；本大厅管理员可改地址、位置、电话、办公时间）",
        request=HallUpdateInputSerializer,
        responses={200: HallDetailOutputSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk):
        hall = get_object_or_404(Hall, pk=pk)
        data = HallUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.hall_update(hall=hall, acting_user=request.user, **data.validated_data)
        return Response(HallDetailOutputSerializer(_written(hall.pk)).data)


class HallWindowListApi(generics.ListAPIView):
    permission_classes = [ReadAnyoneWriteSignedIn]
    serializer_class = WindowOutputSerializer
    pagination_class = None
    queryset = Window.objects.none()

    def get_queryset(self):
        hall = get_object_or_404(Hall, pk=self.kwargs["pk"], is_active=True)
        return selectors.window_list(hall=hall)

    @extend_schema(tags=["organisations"], operation_id="hall_windows_list", summary="大厅的窗口")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["organisations"],
        operation_id="hall_windows_create",
        summary="新增窗口（平台管理员或本大厅管理员）",
        request=WindowCreateInputSerializer,
        responses={201: WindowOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk):
        hall = get_object_or_404(Hall, pk=pk)
        data = WindowCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        window = services.window_create(acting_user=request.user, hall=hall, **data.validated_data)
        return Response(WindowOutputSerializer(window).data, status=status.HTTP_201_CREATED)


class WindowDetailApi(generics.RetrieveAPIView):
    permission_classes = [ReadAnyoneWriteSignedIn]
    serializer_class = WindowOutputSerializer

    def get_object(self):
        return get_object_or_404(selectors.window_list(), pk=self.kwargs["pk"])

    @extend_schema(tags=["organisations"], operation_id="windows_retrieve", summary="窗口详情")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["organisations"],
        operation_id="windows_partial_update",
        summary="修改窗口（平台管理员或本大厅管理员）",
        request=WindowUpdateInputSerializer,
        responses={200: WindowOutputSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk):
        window = get_object_or_404(Window, pk=pk)
        data = WindowUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        window = services.window_update(window=window, acting_user=request.user, **data.validated_data)
        return Response(WindowOutputSerializer(selectors.window_list().get(pk=window.pk)).data)
