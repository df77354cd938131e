from django.urls import path

from bianmin.kpi.api import views

app_name = "kpi-api"

urlpatterns = [
    path("kpi/", views.KpiListApi.as_view(), name="list"),
    path("kpi/targets/", views.KpiTargetListApi.as_view(), name="targets"),
    path("kpi/<str:figure>/", views.KpiFigureApi.as_view(), name="figure"),
]
