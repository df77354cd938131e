from django.urls import path

from bianmin.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/lookup/", views.progress_lookup, name="lookup"),
]
