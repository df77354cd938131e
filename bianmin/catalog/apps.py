from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "bianmin.catalog"
    label = "catalog"
    verbose_name = _("事项目录")

    def ready(self) -> None:
        from bianmin.accounts.constants import Role
        from bianmin.web.navigation import CardLink, HomeCard, NavEntry, register, register_card

        editors = {Role.CATALOG_EDITOR, Role.PLATFORM_ADMIN}
        register(
            NavEntry(
                key="catalog.items",
                url_name="catalog:wb-items",
                label=_("事项目录"),
                icon="目",
                roles=editors,
                section=_("事项管理"),
                order=55,
            ),
            NavEntry(
                key="catalog.review",
                url_name="catalog:wb-review",
                label=_("事项审核"),
                icon="审",
                roles={Role.PLATFORM_ADMIN},
                section=_("事项管理"),
                order=56,
            ),
            NavEntry(
                key="catalog.certificates",
                url_name="catalog:wb-certificates",
                label=_("证明事项清单"),
                icon="证",
                roles=editors,
                section=_("事项管理"),
                order=57,
            ),
            NavEntry(
                key="catalog.import",
                url_name="catalog:import",
                label=_("导入导出"),
                icon="导",
                roles={Role.PLATFORM_ADMIN},
                section=_("事项管理"),
                order=58,
            ),
        )
        register_card(
            HomeCard(
                key="catalog",
                title=_("事项目录"),
                description=_("编辑本部门的办事指南，提交审核；平台管理员审核发布。"),
                roles=frozenset(editors),
                icon="目",
                links=(
                    CardLink("catalog:wb-items", _("我的事项")),
                    CardLink("catalog:wb-certificates", _("证明事项清单")),
                ),
                order=60,
            )
        )
