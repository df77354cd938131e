from django.utils.translation import gettext_lazy as _

from bianmin.accounts.constants import Role


def register_entries() -> None:
    from bianmin.web.navigation import NavEntry, PortalLink, register, register_portal

    # 51–53 with 好差评 (evaluation): after the halls (40s), before 监督 (60s), so 群众诉求 is one section
    register(
        NavEntry(
            key="hotline.requests",
            url_name="hotline:workbench",
            label=_("诉求办理"),
            icon="诉",
            roles=frozenset({Role.HOTLINE_OPERATOR, Role.SUPERVISOR, Role.REVIEWER, Role.HEAD}),
            section=_("群众诉求"),
            order=51,
        ),
        NavEntry(
            key="hotline.faq",
            url_name="hotline:faq-list",
            label=_("常见问题维护"),
            icon="问",
            roles=frozenset({Role.HOTLINE_OPERATOR, Role.CATALOG_EDITOR}),
            section=_("群众诉求"),
            order=52,
        ),
    )
    register_portal(
        PortalLink(key="hotline.guide", url_name="hotline:guide", label=_("智能导办"), order=25),
        PortalLink(key="hotline.new", url_name="hotline:request-new", label=_("咨询投诉"), order=60),
    )
