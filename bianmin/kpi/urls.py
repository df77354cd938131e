from django.urls import path

from bianmin.kpi import views

app_name = "kpi"

urlpatterns = [
    path("workbench/kpi/", views.dashboard, name="dashboard"),
    path("workbench/kpi/export.<str:fmt>", views.dashboard_export, name="dashboard-export"),
    path("workbench/kpi/targets/", views.target_set, name="target-set"),
    path("workbench/kpi/<str:figure>/", views.figure_detail, name="figure"),
    path("workbench/kpi/<str:figure>/export.<str:fmt>", views.figure_export, name="figure-export"),
    path("figures/", views.public_figures, name="public"),
]
