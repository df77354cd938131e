from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "bianmin.hotline"
    label = "hotline"
    verbose_name = _("诉求与智能导办")

    def ready(self) -> None:
        from bianmin.hotline import navigation, tasks  # noqa: F401  (menu entries, periodic escalation)

        navigation.register_entries()
