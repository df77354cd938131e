"""How 好差评 hears of finished services (registered in EvaluationConfig.ready(); the spine never imports us).

- cases: after a case is delivered (送达) its applicant is invited to rate it;
- appointments: when a window service ends (service_finished) the person served is invited;
- hotline: when a request is closed its identified requester is invited.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from bianmin.evaluation.constants import ServiceMode, Subject

logger = logging.getLogger(__name__)


def invite_on_delivery(done) -> None:
    if done.action != "deliver":
        return
    from bianmin.cases.models import Case
    from bianmin.evaluation.services import evaluation_invite

    case = Case.objects.select_related("item_version", "applicant").filter(pk=done.case_id).first()
    if case is None:
        return
    evaluation_invite(
        subject=Subject.CASE,
        label=_("办件 %(number)s %(item)s") % {"number": case.number, "item": case.item_version.name},
        service_mode=ServiceMode.ONLINE if case.channel == "online" else ServiceMode.ON_SITE,
        case=case,
        person=case.applicant,
        mobile=case.applicant_mobile,
        department=case.department,
        item=case.item,
        hall=case.hall,
        window=case.window,
    )


def invite_on_window_service(done) -> None:
    from bianmin.accounts.models import User
    from bianmin.catalog.models import ServiceItem
    from bianmin.evaluation.services import evaluation_invite
    from bianmin.organisations.models import Hall, Window

    item = ServiceItem.objects.select_related("current_version", "department").filter(pk=done.item_id).first()
    hall = Hall.objects.filter(pk=done.hall_id).first()
    person = User.objects.filter(pk=done.user_id).first() if done.user_id else None
    label = _("窗口服务 %(number)s") % {"number": done.number}
    if hall is not None:
        label = f"{hall.name} {label}"
    if item is not None and item.current_version is not None:
        label = f"{label} {item.current_version.name}"
    evaluation_invite(
        subject=Subject.WINDOW,
        label=label,
        service_mode=ServiceMode.ON_SITE,
        ticket_id=done.ticket_id,
        person=person,
        department=item.department if item else (hall.managing_department if hall else None),
        item=item,
        hall=hall,
        window=Window.objects.filter(pk=done.window_id).first() if done.window_id else None,
    )


def invite_on_request_closed(done) -> None:
    if not done.requester_id:
        return  # an anonymous request has nobody to invite
    from bianmin.evaluation.services import evaluation_invite
    from bianmin.hotline.models import ServiceRequest

    request = (
        ServiceRequest.objects.select_related("requester", "department").filter(pk=done.request_id).first()
    )
    if request is None:
        return
    # the label is shown to the department on a rectification: a 举报's title loses the reporter's name
    title = request.redact(request.title) if request.hides_identity_from_department else request.title
    evaluation_invite(
        subject=Subject.REQUEST,
        label=_("诉求 %(number)s %(title)s") % {"number": request.number, "title": title},
        service_mode=ServiceMode.ONLINE,
        service_request=request,
        person=request.requester,
        mobile=request.requester_mobile,
        department=request.department,
    )
