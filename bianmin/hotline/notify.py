"""Telling the people concerned, after the commit: the in-app message centre and the pluggable SMS sender.

A request's messages go to its requester only; what staff are told names the request by its number,
never its requester, so a 举报人 stays unknown to the department concerned.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bianmin.notifications.senders import get_sms_sender

logger = logging.getLogger(__name__)
PREFIX = "【龙湖政务】"

# The requester's message title by the state the request has just reached.
REQUESTER_TITLES = {
    "received": gettext_lazy("诉求已登记"),
    "dispatched": gettext_lazy("诉求已转办"),
    "answered": gettext_lazy("诉求已答复"),
    "closed": gettext_lazy("诉求已办结"),
}


def send_sms(mobile: str, text: str) -> None:
    """SMS only (kept for callers without a user to write to)."""
    if not mobile:
        return
    try:
        get_sms_sender().send(mobile=mobile, text=_(PREFIX) + text)
    except Exception:  # a gateway failure must not undo the step it reports
        logger.exception("SMS not sent")


def staff_users(*, role: str, department_id: int | None = None) -> list:
    from bianmin.accounts.models import User

    qs = User.objects.filter(role_assignments__role=role, role_assignments__is_active=True, is_active=True)
    if department_id is not None:
        qs = qs.filter(role_assignments__department_id=department_id)
    return list(qs.distinct().order_by("pk"))


def staff_mobiles(*, role: str, department_id: int | None = None) -> list[str]:
    return [u.mobile for u in staff_users(role=role, department_id=department_id) if u.mobile]


def requester(request, text: str) -> None:
    """The request's own requester: an in-app message if they have an account, an SMS to the number left."""
    from bianmin.notifications.constants import Category
    from bianmin.notifications.services import notify

    if request.requester_id is None and not request.requester_mobile:
        return  # anonymous: nobody to tell
    with translation.override(settings.LANGUAGE_CODE):
        title = str(REQUESTER_TITLES.get(request.state, gettext_lazy("诉求进展")))
    notify(
        user=request.requester,
        category=Category.REQUEST,
        title=f"{title} · {request.number}",
        body=str(text),
        link=reverse("hotline:my-request", args=[request.number]) if request.requester_id else "",
        target_kind="service_request",
        target_ref=request.number,
        sms_text=str(text),
        mobile=request.requester_mobile or "",
    )


def staff(
    *,
    role: str,
    title: str,
    text: str,
    link: str = "",
    department_id: int | None = None,
    category: str = "request",
    target_kind: str = "",
    target_ref: str = "",
    immediately: bool = False,
) -> None:
    """Everyone holding `role` (in the department, if given): a message in their workbench and an SMS."""
    from bianmin.notifications.services import notify

    people = staff_users(role=role, department_id=department_id)
    if not people:
        return
    notify(
        users=people,
        category=category,
        title=str(title),
        body=str(text),
        link=link,
        target_kind=target_kind,
        target_ref=target_ref,
        sms_text=str(text),
        immediately=immediately,
    )
