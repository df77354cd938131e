from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "bianmin.appointments"
    label = "appointments"
    verbose_name = _("预约与排队")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from bianmin.appointments import navigation, selectors, services
        from bianmin.catalog.flags import register_nearby_provider
        from bianmin.workdays.services import register_calendar_listener

        register_nearby_provider(selectors.items_taken_at_local_halls)
        register_calendar_listener(services.slots_on_calendar_published)  # closures close the slots
        post_save.connect(  # a window closed through the organisations API or admin closes its places at once
            services.slots_on_window_saved,
            sender="organisations.Window",
            dispatch_uid="appointments_window_saved",
        )
        navigation.register_entries()
