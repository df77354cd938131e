"""Public, read-only reference data: regions, departments (实施主体), halls with their windows."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny

from bianmin.organisations import selectors
from bianmin.organisations.api.filters import DepartmentFilter, HallFilter, RegionFilter, parse_point
from bianmin.organisations.api.serializers import (
    DepartmentOutputSerializer,
    HallDetailOutputSerializer,
    HallOutputSerializer,
    RegionOutputSerializer,
)


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


@extend_schema(tags=["organisations"], summary="政务服务大厅列表（?near=纬度,经度 按距离排序）")
class HallListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = HallOutputSerializer
    filterset_class = HallFilter

    def get_queryset(self):
        return selectors.hall_list()

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "near": parse_point(self.request.query_params.get("near", "")),
        }


@extend_schema(tags=["organisations"], summary="大厅详情（含窗口）")
class HallDetailApi(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = HallDetailOutputSerializer

    def get_object(self):
        return selectors.hall_get(pk=self.kwargs["pk"])
