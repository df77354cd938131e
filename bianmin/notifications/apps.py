from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "bianmin.notifications"
    label = "notifications"
    verbose_name = _("消息")

    def ready(self):
        from bianmin.web.navigation import NavEntry, register

        # Every staff member has a message centre in the workbench (deadline warnings, dispatches, appeals).
        register(
            NavEntry("notifications.messages", "notifications:workbench", _("消息中心"), "信", None, "", 1)
        )
