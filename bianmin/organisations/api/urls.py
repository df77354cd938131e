from django.urls import path

from bianmin.organisations.api.views import (
    DepartmentDetailApi,
    DepartmentListApi,
    HallDetailApi,
    HallListApi,
    HallWindowListApi,
    RegionDetailApi,
    RegionListApi,
    WindowDetailApi,
)

app_name = "organisations-api"

urlpatterns = [
    path("regions/", RegionListApi.as_view(), name="region-list"),
    path("regions/<str:code>/", RegionDetailApi.as_view(), name="region-detail"),
    path("departments/", DepartmentListApi.as_view(), name="department-list"),
    path("departments/<str:short_code>/", DepartmentDetailApi.as_view(), name="department-detail"),
    path("halls/", HallListApi.as_view(), name="hall-list"),
    path("halls/<int:pk>/", HallDetailApi.as_view(), name="hall-detail"),
    path("halls/<int:pk>/windows/", HallWindowListApi.as_view(), name="hall-windows"),
    path("windows/<int:pk>/", WindowDetailApi.as_view(), name="window-detail"),
]
