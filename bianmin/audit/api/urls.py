from django.urls import path

from bianmin.audit.api import views

app_name = "audit-api"

urlpatterns = [
    path("audit/", views.AuditEntryListApi.as_view(), name="entry-list"),
]
