from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "bianmin.evaluation"
    label = "evaluation"
    verbose_name = _("好差评")

    def ready(self) -> None:
        from bianmin.appointments.registries import register_service_finished
        from bianmin.cases.registries import register_after_transition
        from bianmin.evaluation import hooks, navigation, tasks  # noqa: F401  (periodic overdue flag)
        from bianmin.hotline.registries import register_request_closed

        register_after_transition(hooks.invite_on_delivery)
        register_service_finished(hooks.invite_on_window_service)
        register_request_closed(hooks.invite_on_request_closed)
        navigation.register_entries()
