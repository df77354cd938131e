"""Telling the applicant what happened (pluggable SMS sender of the foundation), after the commit.

Registered as an after-transition handler in CasesConfig.ready(). The in-app message centre will
register its own handler when the notifications app grows one.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from bianmin.cases.registries import TransitionDone

logger = logging.getLogger(__name__)

MESSAGES = {
    "submit": _("您的申请“%(item)s”已提交，办件编号%(number)s。"),
    "request_correction": _("您的申请%(number)s需要补正材料，请登录查看一次性告知内容。"),
    "decline": _("您的申请%(number)s不予受理，请登录查看决定书。"),
    "accept": _("您的申请%(number)s已受理，办结期限%(deadline)s。"),
    "return_to_applicant": _("您的办件%(number)s需要补充材料，请登录查看。"),
    "extend": _("您的办件%(number)s办理期限延长至%(deadline)s。"),
    "conclude": _("您的办件%(number)s已办结，请按所选方式领取结果。"),
    "accept_and_conclude": _("您的办件%(number)s已当场办结。"),
    "deliver": _("您的办件%(number)s办理结果已送达。"),
}


def notify_applicant(done: TransitionDone) -> None:
    template = MESSAGES.get(done.action)
    if template is None:
        return
    from bianmin.cases.models import Case
    from bianmin.notifications.senders import get_sms_sender

    case = Case.objects.select_related("item_version").filter(pk=done.case_id).first()
    if case is None or not case.applicant_mobile:
        return
    text = str(template) % {
        "item": case.item_version.name,
        "number": case.number or "",
        "deadline": case.deadline_on.isoformat() if case.deadline_on else "",
    }
    get_sms_sender().send(mobile=case.applicant_mobile, text=gettext_now("【龙湖政务】") + text)
