"""Workbench entries of the halls app: the window's calling console and the day's bookings for window staff,
the hall setup page for hall managers (the figures page, 大厅管理, is registered by the web shell)."""

from django.utils.translation import gettext_lazy as _

from bianmin.accounts.constants import Role


def register_entries() -> None:
    from bianmin.web.navigation import NavEntry, register

    hall_staff = frozenset({Role.WINDOW_CLERK, Role.HALL_MANAGER})
    register(
        NavEntry(
            key="appointments.counter",
            url_name="appointments:counter",
            label=_("叫号"),
            icon="叫",
            roles=hall_staff,
            section=_("窗口"),
            order=12,
        ),
        NavEntry(
            key="appointments.bookings",
            url_name="appointments:staff_list",
            label=_("预约"),
            icon="约",
            roles=hall_staff,
            section=_("窗口"),
            order=14,
        ),
        NavEntry(
            key="appointments.setup",
            url_name="appointments:hall_setup_first",
            label=_("大厅设置"),
            icon="设",
            roles=frozenset({Role.HALL_MANAGER}),
            section=_("大厅"),
            order=41,
        ),
    )
