from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bianmin.kpi"
    label = "kpi"
    verbose_name = _("效能监督")
