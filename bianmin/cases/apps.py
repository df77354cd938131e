from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "bianmin.cases"
    label = "cases"
    verbose_name = _("办件")

    def ready(self) -> None:
        from bianmin.cases import clock, nav, notices, notify, registries  # noqa: F401 (nav registers menu entries)
        from bianmin.workdays.services import register_calendar_listener

        register_calendar_listener(clock.on_calendar_published)
        registries.register_after_transition(notify.notify_applicant)
        registries.register_after_transition(notices.issue_step_notices)
