from django.contrib import admin
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bianmin.web.text import site_name

admin.site.site_header = format_lazy("{} · {}", lazy(site_name, str)(), _("管理后台"))
admin.site.site_title = lazy(site_name, str)()

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("config.api_urls")),
    path("accounts/", include("bianmin.accounts.urls")),
    path("audit/", include("bianmin.audit.urls")),
    path("calendar/", include("bianmin.workdays.urls")),
    path("", include("bianmin.catalog.urls")),
    path("", include("bianmin.cases.urls")),
    path("", include("bianmin.licences.urls")),
    path("", include("bianmin.appointments.urls")),
    path("open311/v2/", include("bianmin.hotline.open311.urls")),
    path("", include("bianmin.hotline.urls")),
    path("", include("bianmin.evaluation.urls")),
    path("", include("bianmin.kpi.urls")),
    path("", include("bianmin.reform.urls")),
    path("", include("bianmin.notifications.urls")),
    path("", include("bianmin.web.urls")),
]
