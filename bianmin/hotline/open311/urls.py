from django.urls import re_path

from bianmin.hotline.open311 import views

app_name = "open311"

FMT = r"(?P<fmt>json|xml)"
urlpatterns = [
    re_path(rf"^services\.{FMT}$", views.service_list, name="services"),
    re_path(rf"^services/(?P<code>[-\w]+)\.{FMT}$", views.service_definition, name="service"),
    re_path(rf"^requests\.{FMT}$", views.requests_collection, name="requests"),
    re_path(rf"^requests/(?P<number>\d+)\.{FMT}$", views.request_detail, name="request"),
]
