from django.urls import path

from bianmin.reform.api import views

app_name = "reform-api"

urlpatterns = [
    path("plan-tasks/", views.PlanTaskListApi.as_view(), name="list"),
    path("plan-tasks/<int:number>/", views.PlanTaskDetailApi.as_view(), name="detail"),
    path("plan-tasks/<int:number>/reports/", views.PlanTaskReportCreateApi.as_view(), name="report"),
]
