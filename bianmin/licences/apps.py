from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicencesConfig(AppConfig):
    name = "bianmin.licences"
    label = "licences"
    verbose_name = _("电子证照")

    def ready(self) -> None:
        from bianmin.cases import registries
        from bianmin.licences import hooks

        registries.register_after_transition(hooks.issue_on_approval)
        registries.register_material_provider(hooks.LicenceMaterialProvider())
        registries.register_result_provider(hooks.case_results)
        from bianmin.accounts.constants import Role
        from bianmin.licences import tasks  # noqa: F401  (periodic expiry)
        from bianmin.web.navigation import NavEntry, register

        register(
            NavEntry(
                key="licences.list",
                url_name="licences:wb-list",
                label=_("电子证照"),
                icon="照",
                roles={Role.HEAD, Role.PLATFORM_ADMIN},
                section=_("审批"),
                order=45,
            )
        )
