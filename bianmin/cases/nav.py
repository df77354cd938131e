"""Navigation entries of the case pages (imported from CasesConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from bianmin.accounts.constants import Role
from bianmin.web.navigation import NavEntry, PortalLink, register, register_portal

register(
    NavEntry("cases.intake", "cases:intake", _("收件登记"), "收", {str(Role.WINDOW_CLERK)}, _("窗口"), 10),
    NavEntry(
        "cases.queue",
        "cases:queue",
        _("待办件"),
        "办",
        {str(Role.WINDOW_CLERK), str(Role.REVIEWER), str(Role.HEAD)},
        _("审批"),
        20,
    ),
    NavEntry(
        "cases.instant_authorisations",
        "cases:instant_authorisations",
        _("即办授权"),
        "授",
        {str(Role.HEAD)},
        _("审批"),
        25,
    ),
    NavEntry(
        "cases.overdue",
        "cases:overdue",
        _("超期件"),
        "超",
        {str(Role.SUPERVISOR), str(Role.HEAD), str(Role.PLATFORM_ADMIN)},
        _("监督"),
        59,
    ),
)
register_portal(
    PortalLink(
        "my_cases", "cases:my_cases", _("我的办件"), 30, match_prefix="/my/", match_exclude=("/my/messages/",)
    )
)
