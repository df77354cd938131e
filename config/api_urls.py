from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/", include("bianmin.core.api.urls")),
    path("v1/", include("bianmin.organisations.api.urls")),
    path("v1/", include("bianmin.accounts.api.urls")),
    path("v1/", include("bianmin.audit.api.urls")),
    path("v1/", include("bianmin.workdays.api.urls")),
    path("v1/", include("bianmin.catalog.api.urls")),
    path("v1/", include("bianmin.cases.api.urls")),
    path("v1/", include("bianmin.appointments.api.urls")),
    path("v1/", include("bianmin.licences.api.urls")),
    path("v1/", include("bianmin.hotline.api.urls")),
    path("v1/", include("bianmin.evaluation.api.urls")),
    path("v1/", include("bianmin.kpi.api.urls")),
    path("v1/", include("bianmin.reform.api.urls")),
    path("v1/", include("bianmin.notifications.api.urls")),
]
