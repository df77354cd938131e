from django.utils.translation import gettext_lazy as _

from bianmin.accounts.constants import Role


def register_entries() -> None:
    from bianmin.web.navigation import NavEntry, PortalLink, register, register_portal

    register(
        NavEntry(
            key="evaluation.ratings",
            url_name="evaluation:workbench",
            label=_("好差评与整改"),
            icon="评",
            roles=frozenset({Role.SUPERVISOR, Role.REVIEWER, Role.HEAD, Role.HOTLINE_OPERATOR}),
            section=_("群众诉求"),
            order=53,
        )
    )
    register_portal(
        PortalLink(key="evaluation.ratings", url_name="evaluation:ratings", label=_("好差评"), order=70)
    )
