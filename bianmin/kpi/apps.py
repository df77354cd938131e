from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bianmin.kpi"
    label = "kpi"
    verbose_name = _("效能监督")

    def ready(self) -> None:
        from bianmin.cases.registries import register_after_transition
        from bianmin.kpi import summary

        # every case transition marks the daily-summary cells it touches (bianmin.kpi.summary)
        register_after_transition(summary.on_transition)
