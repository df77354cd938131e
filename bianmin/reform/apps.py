from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReformConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bianmin.reform"
    label = "reform"
    verbose_name = _("改革任务督办")
