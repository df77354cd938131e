from django.urls import path

from bianmin.core.api.views import PingApi

app_name = "core-api"

urlpatterns = [path("ping/", PingApi.as_view(), name="ping")]
