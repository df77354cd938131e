from django.urls import path

from bianmin.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("rate/<str:token>/", views.rate, name="rate"),
    path("ratings/", views.ratings, name="ratings"),
    path("workbench/ratings/", views.workbench, name="workbench"),
    path("workbench/ratings/<int:pk>/", views.rectification_detail, name="workbench-rectification"),
]
