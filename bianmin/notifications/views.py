"""消息中心: the signed-in user's messages, in the portal (/my/messages/) and in the workbench (/workbench/messages/)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bianmin.core.exceptions import ApplicationError
from bianmin.notifications import selectors, services
from bianmin.notifications.constants import MANDATORY_NOTICES, Category
from bianmin.notifications.exceptions import MessageNotFound
from bianmin.web.views import applicant_login_required, staff_required

PAGE_SIZE = 20

SHELLS = {
    "portal": {
        "base": "web/base_portal.html",
        "list": "notifications:list",
        "detail": "notifications:detail",
        "read": "notifications:read",
        "read_all": "notifications:read_all",
        "preferences": "notifications:preferences",
    },
    "workbench": {
        "base": "web/base_workbench.html",
        "list": "notifications:workbench",
        "detail": "notifications:workbench_detail",
        "read": "notifications:workbench_read",
        "read_all": "notifications:workbench_read_all",
        "preferences": "notifications:workbench_preferences",
    },
}


def _list(request: HttpRequest, shell: str) -> HttpResponse:
    category = request.GET.get("category") or ""
    if category not in Category.values:
        category = ""
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.message_list(user=request.user, filters={"category": category, "unread": unread_only})
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.unread_by_category(user=request.user)
    # The header badge reads the same figure: no second COUNT on this page.
    request._unread_message_count = counts["all"]
    tabs = [{"value": "", "label": _("全部"), "unread": counts["all"]}] + [
        {"value": value, "label": label, "unread": counts.get(value, 0)} for value, label in Category.choices
    ]
    return render(
        request,
        "notifications/message_list.html",
        {
            "base_template": SHELLS[shell]["base"],
            "urls": SHELLS[shell],
            "list_url": reverse(SHELLS[shell]["list"]),
            "read_all_url": reverse(SHELLS[shell]["read_all"]),
            "page_obj": page,
            "tabs": tabs,
            "category": category,
            "unread_only": unread_only,
            "unread_total": counts["all"],
        },
    )


def _detail(request: HttpRequest, shell: str, pk: int) -> HttpResponse:
    """Opening a message reads it (as in a mailbox), then shows it with the way to the page it is about."""
    try:
        message = services.message_mark_read(message=pk, acting_user=request.user)
    except MessageNotFound:
        raise Http404(_("消息不存在。")) from None
    return render(
        request,
        "notifications/message_detail.html",
        {
            "base_template": SHELLS[shell]["base"],
            "urls": SHELLS[shell],
            "message": message,
            "list_url": reverse(SHELLS[shell]["list"]),
        },
    )


def _back(request: HttpRequest, shell: str) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(SHELLS[shell]["list"])


def _mark(request: HttpRequest, shell: str, pk: int | None) -> HttpResponse:
    try:
        if pk is None:
            n = services.message_mark_all_read(
                acting_user=request.user, category=request.POST.get("category") or None
            )
            flash.success(request, _("已将%(n)d条消息标为已读。") % {"n": n})
        else:
            services.message_mark_read(message=pk, acting_user=request.user)
    except MessageNotFound:
        raise Http404(_("消息不存在。")) from None
    except ApplicationError as error:
        flash.error(request, error.message)
    return _back(request, shell)


@applicant_login_required
def message_list(request: HttpRequest) -> HttpResponse:
    return _list(request, "portal")


@applicant_login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, "portal", pk)


@require_POST
@applicant_login_required
def message_read(request: HttpRequest, pk: int) -> HttpResponse:
    return _mark(request, "portal", pk)


@require_POST
@applicant_login_required
def message_read_all(request: HttpRequest) -> HttpResponse:
    return _mark(request, "portal", None)


@staff_required
def workbench_list(request: HttpRequest) -> HttpResponse:
    return _list(request, "workbench")


@staff_required
def workbench_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, "workbench", pk)


@require_POST
@staff_required
def workbench_read(request: HttpRequest, pk: int) -> HttpResponse:
    return _mark(request, "workbench", pk)


@require_POST
@staff_required
def workbench_read_all(request: HttpRequest) -> HttpResponse:
    return _mark(request, "workbench", None)


def _preferences(request: HttpRequest, shell: str) -> HttpResponse:
    """通知方式: whether notices also come by SMS (and email, where the deployment mails)."""
    own_url = reverse(SHELLS[shell]["preferences"])
    if request.method == "POST":
        email = request.POST.get("email_enabled") == "1" if services.email_available() else None
        services.preference_update(
            acting_user=request.user, sms_enabled=request.POST.get("sms_enabled") == "1", email_enabled=email
        )
        flash.success(request, _("通知方式已保存。"))
        target = request.POST.get("next") or ""
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect(own_url)
    return render(
        request,
        "notifications/preferences.html",
        {
            "base_template": SHELLS[shell]["base"],
            "shell": shell,
            "form_action": own_url,
            "list_url": reverse(SHELLS[shell]["list"]),
            "preference": selectors.preference_for_user(user=request.user),
            "email_available": services.email_available(),
            "mandatory_notices": MANDATORY_NOTICES,
        },
    )


@applicant_login_required
def preferences(request: HttpRequest) -> HttpResponse:
    return _preferences(request, "portal")


@staff_required
def workbench_preferences(request: HttpRequest) -> HttpResponse:
    return _preferences(request, "workbench")
