"""The shells' own pages: portal home, per-role homes, the 长辈版 switch and a few hub pages."""

from __future__ import annotations

from functools import wraps
from importlib import import_module

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bianmin.accounts import rules
from bianmin.accounts.constants import Role, UserKind
from bianmin.organisations.constants import HallKind
from bianmin.organisations.models import Hall
from bianmin.web import navigation
from bianmin.web.themes import home_themes

ELDERLY_COOKIE = "elderly"
ELDERLY_MAX_AGE = 365 * 24 * 3600


def optional_call(dotted: str, *args, **kwargs):
    """Call ``module.function`` if its app is installed and the function exists; None otherwise.

    Only the absence of the module or function is tolerated: errors raised inside the function propagate.
    """
    module_name, attr = dotted.rsplit(".", 1)
    app_name = ".".join(module_name.split(".")[:2])  # bianmin.<app>
    if not django_apps.is_installed(app_name):
        return None  # code may exist before its app is switched on
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise
    func = getattr(module, attr, None)
    if func is None:
        return None
    return func(*args, **kwargs)


def login_url() -> str:
    try:
        return reverse(settings.LOGIN_URL) if ":" in settings.LOGIN_URL else settings.LOGIN_URL
    except NoReverseMatch:
        return "/accounts/login/"


def is_workbench_user(user) -> bool:
    return rules.is_platform_admin(user) or rules.is_staff_member(user)


def staff_required(view):
    """Workbench pages: anonymous → login; signed in without a staff role → 403 with what to do."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url())
        if not is_workbench_user(request.user):
            raise PermissionDenied(
                _("工作台仅供已授权的工作人员使用。如果您是工作人员，请联系平台管理员为您授予角色。")
            )
        return view(request, *args, **kwargs)

    return wrapped


def applicant_login_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url())
        return view(request, *args, **kwargs)

    return wrapped


def _halls() -> list[Hall]:
    # The district centre first, then street halls, then community stations.
    kind_order = {HallKind.DISTRICT_CENTRE: 0, HallKind.STREET_HALL: 1, HallKind.COMMUNITY_STATION: 2}
    halls = list(Hall.objects.filter(is_active=True).select_related("region"))
    halls.sort(key=lambda h: (kind_order.get(h.kind, 9), h.sort_order, h.name))
    return halls[:4]


def _waiting_today(halls: list[Hall]) -> dict[int, int]:
    """People waiting at each hall today, in one query; {} when the appointments app is absent."""
    provided = optional_call("bianmin.appointments.selectors.hall_waiting_today", halls=halls)
    if provided is not None:
        return provided
    try:
        from bianmin.appointments.constants import TicketState
        from bianmin.appointments.models import QueueTicket
    except ImportError:
        return {}
    rows = (
        QueueTicket.objects.filter(hall__in=halls, on=timezone.localdate(), state=TicketState.WAITING)
        .values("hall")
        .annotate(n=Count("pk"))
    )
    counts = {row["hall"]: row["n"] for row in rows}
    return {hall.pk: counts.get(hall.pk, 0) for hall in halls}


def _item_card(item) -> dict:
    version = item.current_version
    url = item.get_absolute_url() if hasattr(item, "get_absolute_url") else f"/items/{item.code}/"
    return {
        "name": version.name if version else str(item),
        "url": url,
        "department": getattr(item.department, "short_name", ""),
        "is_instant": getattr(version, "is_instant", False),
        "is_online": getattr(version, "is_online", False),
        "is_nearby": getattr(item, "is_nearby", False),
        "is_one_visit": getattr(version, "is_one_visit", False),
    }


def hot_items(*, limit: int) -> list[dict]:
    """Hot items from the catalog when it has them; the first published items otherwise; [] without a catalog."""
    items = optional_call("bianmin.catalog.selectors.hot_items", limit=limit)
    if items is None:
        queryset = optional_call("bianmin.catalog.selectors.published_items")
        items = [] if queryset is None else queryset.order_by("sort_order", "code")[:limit]
    return [_item_card(item) for item in items]


def portal_home(request: HttpRequest) -> HttpResponse:
    halls = _halls()
    waits = _waiting_today(halls)
    for hall in halls:
        hall.waiting_today = waits.get(hall.pk)
    person_themes, business_themes = home_themes()
    context = {
        "person_themes": person_themes,
        "business_themes": business_themes,
        "hot_items": hot_items(limit=8),
        "four_ban_figures": optional_call("bianmin.kpi.selectors.public_four_ban_figures") or [],
        "halls": halls,
        "items_url": navigation.resolve("/items/"),
        "halls_url": navigation.resolve("appointments:finder") or reverse("web:contact"),
        "search_hints": [_("开饭店"), _("低保"), _("社保卡"), _("出生登记"), _("营业执照")],
    }
    return render(request, "web/portal_home.html", context)


def home_for_role(request: HttpRequest) -> HttpResponse:
    """Where “my home” is: staff and administrators → workbench; everyone else signed in → 我的."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(reverse("web:home_for_role"), login_url())
    if is_workbench_user(user) or user.kind == UserKind.STAFF:
        return redirect("web:workbench_home")
    return redirect("web:my_home")


@staff_required
def workbench_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    roles = navigation.effective_roles(user)
    role_labels = [Role(r).label for r in Role.values if r in roles]
    today = timezone.localdate()
    return render(
        request,
        "web/workbench_home.html",
        {
            "cards": navigation.home_cards(user),
            "role_labels": role_labels,
            "today": today,
            "today_is_workday": optional_call("bianmin.workdays.workcalendar.is_workday", today),
            "items_url": navigation.resolve("/items/"),
        },
    )


@applicant_login_required
def my_home(request: HttpRequest) -> HttpResponse:
    """我的: the latest cases, licences and unread messages at a glance, each with a way to the full list."""
    from bianmin.cases import selectors as case_selectors
    from bianmin.licences import selectors as licence_selectors
    from bianmin.notifications import selectors as message_selectors

    user = request.user
    memberships = list(user.memberships.filter(is_active=True).select_related("enterprise"))
    recent_cases = list(
        case_selectors.case_list(user=user, filters={"mine": "1"}).select_related("item_version")[
            :MY_HOME_ROWS
        ]
    )
    recent_licences = list(licence_selectors.wallet_list(user=user)[:MY_HOME_ROWS])
    context = {
        "profile_user": user,
        "memberships": memberships,
        "is_staff_user": is_workbench_user(user),
        "recent_cases": recent_cases,
        "recent_licences": recent_licences,
        "unread_messages": message_selectors.unread_count(user=user),
        "my_cases_url": navigation.resolve("cases:my_cases"),
        "my_licences_url": navigation.resolve("licences:wallet"),
        "my_appointments_url": navigation.resolve("appointments:mine"),
        "my_messages_url": navigation.resolve("notifications:list"),
        "items_url": navigation.resolve("/items/"),
    }
    return render(request, "web/my_home.html", context)


MY_HOME_ROWS = 3

LOOKUPS = (
    # (title, description, url name or path) — shown as "即将开放" until the page exists
    (gettext_lazy("办件进度查询"), gettext_lazy("凭办件编号和申请人证件号查询办理进度。"), "cases:lookup"),
    (
        gettext_lazy("电子证照核验"),
        gettext_lazy("扫描证照上的二维码或输入证照标识，核验真伪与状态。"),
        "licences:verify_form",
    ),
    (
        gettext_lazy("大厅与排队"),
        gettext_lazy("查看各大厅的地址、办公时间、当前等候人数，并在线预约。"),
        "appointments:finder",
    ),
    (
        gettext_lazy("办事指南"),
        gettext_lazy("按名称、部门或主题查找事项，了解条件、材料、时限和收费。"),
        "/items/",
    ),
)


def lookup(request: HttpRequest) -> HttpResponse:
    cards = [
        {"title": title, "description": description, "url": navigation.resolve(path)}
        for title, description, path in LOOKUPS
    ]
    return render(request, "web/lookup.html", {"cards": cards})


def sitemap(request: HttpRequest) -> HttpResponse:
    return render(request, "web/sitemap.html", {"lookups": lookup_links()})


def lookup_links() -> list[dict]:
    return [
        {"title": title, "url": url}
        for title, _description, path in LOOKUPS
        if (url := navigation.resolve(path)) is not None
    ]


def contact(request: HttpRequest) -> HttpResponse:
    halls = Hall.objects.filter(is_active=True).select_related("region").order_by("sort_order", "name")
    return render(request, "web/contact.html", {"halls": halls})


@require_POST
def elderly_switch(request: HttpRequest) -> HttpResponse:
    """Turn 长辈版 on or off with a cookie, then go back. Works without JavaScript (a plain form)."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("elderly") == "1":
        response.set_cookie(
            ELDERLY_COOKIE, "1", max_age=ELDERLY_MAX_AGE, samesite="Lax", secure=request.is_secure()
        )
    else:
        response.delete_cookie(ELDERLY_COOKIE, samesite="Lax")
    return response
