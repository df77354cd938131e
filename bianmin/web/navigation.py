"""Navigation registries for the two shells, filled in Python so every app can add its own entries.

Workbench (staff, left column)::

    from bianmin.web.navigation import NavEntry, register
    register(NavEntry(key="cases.queue", url_name="cases:queue", label=_("待办件"), icon="办",
                      roles={Role.REVIEWER, Role.HEAD}, section=_("审批"), order=20))

Call it from your AppConfig.ready(). An entry whose url name does not resolve (the page is not built yet)
is hidden, so entries can be registered ahead of their pages. Registering the same key again replaces the
entry. ``roles=None`` shows the entry to every staff member. Platform administrators (role or superuser)
count as holding ``platform_admin``.

Portal (public header) works the same way with :func:`register_portal` and :class:`PortalLink`.

Workbench home cards (one block per role on /workbench/) with :func:`register_card` and :class:`HomeCard`;
a card may carry ``count=callable(user) -> int | None`` to show a figure (待办 12).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, Resolver404, reverse
from django.urls import resolve as resolve_path
from django.utils.translation import gettext_lazy as _

from bianmin.accounts import rules
from bianmin.accounts.constants import Role
from bianmin.web.text import icon_letter


def resolve(url_name: str, query: str = "") -> str | None:
    """The URL of a named route (or a literal path), or None when that page does not exist (yet)."""
    if url_name.startswith("/"):
        try:
            resolve_path(url_name)
        except Resolver404:
            return None
        url = url_name
    else:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            return None
    return f"{url}?{query}" if query else url


def effective_roles(user) -> set[str]:
    roles = set(rules.roles_of(user))
    if rules.is_platform_admin(user):
        roles.add(Role.PLATFORM_ADMIN)
    return roles


@dataclass(frozen=True)
class NavEntry:
    key: str
    url_name: str
    label: str
    icon: str = "·"  # one letter or character shown in a small square
    roles: frozenset[str] | None = None  # None: every staff member
    section: str = ""
    order: int = 100

    def __post_init__(self):
        if self.roles is not None and not isinstance(self.roles, frozenset):
            object.__setattr__(self, "roles", frozenset(self.roles))


@dataclass(frozen=True)
class PortalLink:
    key: str
    url_name: str  # a route name, or a path starting with "/"
    label: str
    order: int = 100
    query: str = ""
    match_prefix: str = ""  # highlight the link for paths starting with this (default: its own path)
    match_exclude: tuple[str, ...] = ()  # … except paths starting with one of these


@dataclass(frozen=True)
class CardLink:
    url_name: str
    label: str
    query: str = ""


@dataclass(frozen=True)
class HomeCard:
    key: str
    title: str
    description: str
    roles: frozenset[str]
    icon: str = "·"
    links: tuple[CardLink, ...] = ()
    order: int = 100
    count: Callable | None = field(default=None, compare=False)
    count_label: str = ""

    def __post_init__(self):
        if not isinstance(self.roles, frozenset):
            object.__setattr__(self, "roles", frozenset(self.roles))


_workbench: dict[str, NavEntry] = {}
_portal: dict[str, PortalLink] = {}
_cards: dict[str, HomeCard] = {}


def register(*entries: NavEntry) -> None:
    for entry in entries:
        _workbench[entry.key] = entry


def register_portal(*links: PortalLink) -> None:
    for link in links:
        _portal[link.key] = link


def register_card(*cards: HomeCard) -> None:
    for card in cards:
        _cards[card.key] = card


def unregister(key: str) -> None:
    _workbench.pop(key, None)
    _portal.pop(key, None)
    _cards.pop(key, None)


def _is_current(path: str, url: str, exact: bool) -> bool:
    base = url.split("?", 1)[0]
    return path == base if exact else path.startswith(base)


def workbench_menu(request) -> list[dict]:
    """Sections with the entries this user may see, in order: [{"title", "entries": [{label, url, icon, current}]}]."""
    user = request.user
    roles = effective_roles(user)
    visible: list[tuple[NavEntry, str]] = []
    for entry in sorted(_workbench.values(), key=lambda e: (e.order, e.key)):
        if entry.roles is not None and not (entry.roles & roles):
            continue
        url = resolve(entry.url_name)
        if url is None:
            continue
        visible.append((entry, url))
    # The most specific matching URL is the current one (so /workbench/ does not light up everywhere).
    current_url = max(
        (url for _entry, url in visible if _is_current(request.path, url, exact=False)), key=len, default=None
    )
    sections: list[dict] = []
    for entry, url in visible:
        title = str(entry.section)
        if not sections or sections[-1]["title"] != title:
            sections.append({"title": title, "entries": []})
        sections[-1]["entries"].append(
            {
                "key": entry.key,
                "label": entry.label,
                "url": url,
                "icon": icon_letter(entry.icon, entry.label),
                "current": url == current_url,
            }
        )
    return sections


def portal_menu(request) -> list[dict]:
    items = []
    for link in sorted(_portal.values(), key=lambda e: (e.order, e.key)):
        url = resolve(link.url_name, link.query)
        if url is None:
            continue
        base = link.match_prefix or url.split("?", 1)[0]
        current = request.path == base if base == "/" else request.path.startswith(base)
        if any(request.path.startswith(prefix) for prefix in link.match_exclude):
            current = False
        if link.query and request.GET.urlencode() != link.query:
            current = False
        items.append({"key": link.key, "label": link.label, "url": url, "current": current})
    # Only one link is marked current: the one with the longest match.
    marked = [i for i in items if i["current"]]
    if len(marked) > 1:
        keep = max(marked, key=lambda i: len(i["url"]))
        for i in marked:
            i["current"] = i is keep
    return items


def home_cards(user) -> list[dict]:
    roles = effective_roles(user)
    cards = []
    for card in sorted(_cards.values(), key=lambda c: (c.order, c.key)):
        if not (card.roles & roles):
            continue
        links = [{"label": link.label, "url": resolve(link.url_name, link.query)} for link in card.links]
        count = card.count(user) if card.count else None
        cards.append(
            {
                "key": card.key,
                "title": card.title,
                "description": card.description,
                "icon": icon_letter(card.icon, card.title),
                "links": links,
                "count": count,
                "count_label": card.count_label,
            }
        )
    return cards


def _roles(*roles: Role) -> frozenset[str]:
    return frozenset(str(r) for r in roles)


def _defaults() -> None:
    """Entries the shell knows about. Apps that build these pages may re-register the same key."""
    everyone_staff = None
    register(
        NavEntry("web.home", "web:workbench_home", _("工作台首页"), "首", everyone_staff, "", 0),
        NavEntry(
            "cases.intake", "cases:intake", _("收件登记"), "收", _roles(Role.WINDOW_CLERK), _("窗口"), 10
        ),
        NavEntry(
            "cases.queue",
            "cases:queue",
            _("待办件"),
            "办",
            _roles(Role.WINDOW_CLERK, Role.REVIEWER, Role.HEAD),
            _("审批"),
            20,
        ),
        NavEntry(
            "appointments.hall",
            "appointments:hall",
            _("大厅管理"),
            "厅",
            _roles(Role.HALL_MANAGER),
            _("大厅"),
            40,
        ),
        NavEntry(
            "hotline.queue",
            "hotline:queue",
            _("诉求处理"),
            "诉",
            _roles(Role.HOTLINE_OPERATOR),
            _("诉求"),
            50,
        ),
        NavEntry(
            "kpi.dashboard",
            "kpi:dashboard",
            _("效能监督"),
            "效",
            _roles(Role.SUPERVISOR, Role.PLATFORM_ADMIN),
            _("监督"),
            60,
        ),
        NavEntry(
            "reform.tasks",
            "reform:list",
            _("改革任务督办"),
            "改",
            None,  # every staff member may read the tracker; lead units file reports
            _("监督"),
            61,
        ),
        NavEntry(
            "audit.log",
            "/audit/",
            _("审计日志"),
            "审",
            _roles(Role.SUPERVISOR, Role.PLATFORM_ADMIN),
            _("监督"),
            61,
        ),
        NavEntry(
            "workdays.calendar",
            "/calendar/",
            _("工作日历"),
            "历",
            _roles(Role.PLATFORM_ADMIN),
            _("系统管理"),
            80,
        ),
        NavEntry(
            "admin.index", "admin:index", _("管理后台"), "管", _roles(Role.PLATFORM_ADMIN), _("系统管理"), 90
        ),
    )
    register_portal(
        PortalLink("home", "web:portal_home", _("首页"), 0),
        PortalLink("items", "/items/", _("办事指南"), 10),
        PortalLink("apply", "/items/", _("我要办"), 20, query="online=1"),
        PortalLink(
            "my_cases",
            "cases:my_cases",
            _("我的办件"),
            30,
            match_prefix="/my/",
            match_exclude=("/my/messages/",),
        ),
        PortalLink("lookup", "web:lookup", _("查询"), 40),
        PortalLink("evaluation", "/evaluation/", _("好差评"), 50),
    )
    register_card(
        HomeCard(
            "clerk",
            _("综合窗口"),
            _("收件登记、受理或不予受理、一次性告知补正材料。"),
            _roles(Role.WINDOW_CLERK),
            "收",
            (CardLink("cases:intake", _("收件登记")), CardLink("cases:queue", _("待受理件"))),
            10,
        ),
        HomeCard(
            "reviewer",
            _("我的待办"),
            _("本部门待审查的办件，按剩余工作日排序。"),
            _roles(Role.REVIEWER),
            "办",
            (CardLink("cases:queue", _("待办件")),),
            20,
        ),
        HomeCard(
            "head",
            _("待审批"),
            _("等待您作出决定、批准延期或作废的办件。"),
            _roles(Role.HEAD),
            "批",
            (CardLink("cases:queue", _("待审批件")),),
            30,
        ),
        HomeCard(
            "manager",
            _("大厅"),
            _("窗口、预约号源、排队叫号与今日等候情况。"),
            _roles(Role.HALL_MANAGER),
            "厅",
            (CardLink("appointments:hall", _("大厅管理")),),
            50,
        ),
        HomeCard(
            "hotline",
            _("诉求"),
            _("咨询、投诉、举报、建议与求助的登记、转办和答复。"),
            _roles(Role.HOTLINE_OPERATOR),
            "诉",
            (CardLink("hotline:queue", _("诉求处理")),),
            60,
        ),
        HomeCard(
            "supervisor",
            _("效能监督"),
            _("即办比例、网上可办率、按时办结率等指标，以及审计日志。"),
            _roles(Role.SUPERVISOR),
            "效",
            (CardLink("kpi:dashboard", _("效能监督")), CardLink("/audit/", _("审计日志"))),
            70,
        ),
        HomeCard(
            "admin",
            _("平台管理"),
            _("工作日历、组织机构、账号与角色授权，以及管理后台。"),
            _roles(Role.PLATFORM_ADMIN),
            "管",
            (
                CardLink("admin:index", _("管理后台")),
                CardLink("/calendar/", _("工作日历")),
                CardLink("admin:organisations_department_changelist", _("组织机构")),
                CardLink("admin:accounts_user_changelist", _("账号与角色")),
                CardLink("/audit/", _("审计日志")),
            ),
            80,
        ),
    )


def iter_workbench_entries() -> Iterable[NavEntry]:
    return list(_workbench.values())


_defaults()
