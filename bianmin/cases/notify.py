"""Telling the applicant what happened at each step: the in-app message centre, plus an SMS for the
steps that ask something of them or settle the case (the pluggable sender of the foundation).

Registered as an after-transition handler in CasesConfig.ready(); the spine calls it on commit, so a
rolled-back action tells nobody. The message goes to the applicant's account (for an enterprise case,
the member who applied); the SMS to the mobile recorded on the case, so a person who applied at a
window without an account still hears of it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from bianmin.cases.registries import TransitionDone

logger = logging.getLogger(__name__)

# action → (title, text, also by SMS). Internal steps (review opinions, payments) are not announced.
MESSAGES = {
    "submit": (_("申请已提交"), _("您的申请“%(item)s”已提交，办件编号%(number)s。"), True),
    "resubmit": (_("补正材料已提交"), _("您的办件%(number)s补正材料已提交，等待受理。"), False),
    "request_correction": (
        _("请补正材料"),
        _("您的申请%(number)s需要补正材料，请登录查看一次性告知内容。"),
        True,
    ),
    "decline": (_("不予受理"), _("您的申请%(number)s不予受理，请登录查看决定书。"), True),
    "accept": (_("申请已受理"), _("您的申请%(number)s已受理，办结期限%(deadline)s。"), True),
    "accept_and_conclude": (_("已当场办结"), _("您的办件%(number)s已当场办结。"), True),
    "supplement": (_("容缺材料已补齐"), _("您的办件%(number)s容缺材料已补齐。"), False),
    "start_review": (_("办件审查中"), _("您的办件%(number)s已进入审查。"), False),
    "return_to_applicant": (_("请补充材料"), _("您的办件%(number)s需要补充材料，请登录查看。"), True),
    "suspend": (
        _("特别程序告知"),
        _("您的办件%(number)s进入特别程序，期间不计入办理时限，请登录查看告知书。"),
        True,
    ),
    "resume": (_("恢复计时"), _("您的办件%(number)s特别程序结束，恢复计时，办结期限%(deadline)s。"), False),
    "extend": (_("办理期限延长"), _("您的办件%(number)s办理期限延长至%(deadline)s。"), True),
    "conclude": (
        _("办件已办结"),
        _("您的办件%(number)s已办结（%(decision)s），请按所选方式领取结果。"),
        True,
    ),
    "deliver": (_("办理结果已送达"), _("您的办件%(number)s办理结果已送达。"), True),
    "withdraw": (_("申请已撤回"), _("您的办件%(number)s已撤回。"), False),
    "void": (_("办件已作废"), _("您的办件%(number)s已作废，请登录查看原因。"), True),
}

# Notices the law requires the applicant to receive (行政许可法 arts. 32, 38, 42, 44, 45: acceptance or
# not, correction, the decision and its delivery, a special procedure or an extension), and the voiding
# of the case: they go by SMS even to someone who declined SMS for other notices (NotificationPreference).
MANDATORY = frozenset(
    {
        "accept",
        "decline",
        "request_correction",
        "accept_and_conclude",
        "return_to_applicant",
        "suspend",
        "extend",
        "conclude",
        "deliver",
        "void",
    }
)


def notify_applicant(done: TransitionDone) -> None:
    entry = MESSAGES.get(done.action)
    if entry is None:
        return
    from bianmin.cases.models import Case
    from bianmin.notifications.constants import Category
    from bianmin.notifications.services import notify

    case = Case.objects.select_related("item_version", "applicant").filter(pk=done.case_id).first()
    if case is None or (case.applicant is None and not case.applicant_mobile):
        return
    title, template, by_sms = entry
    ref = case.number or str(case.pk)
    # Written in the site's language whatever the acting clerk's (the applicant reads it later).
    with translation.override(settings.LANGUAGE_CODE):
        text = str(template) % {
            "item": case.item_version.name,
            "number": case.number or "",
            "deadline": case.deadline_on.isoformat() if case.deadline_on else "",
            "decision": case.get_decision_display() if case.decision else "",
        }
        title = str(title)
    from bianmin.cases.models import CaseEvent

    # dated at the step (the same moment unless the step was recorded as of another time: demo data, imports)
    sent_at = CaseEvent.objects.filter(pk=done.event_id).values_list("at", flat=True).first()
    notify(
        user=case.applicant,
        sent_at=sent_at,
        category=Category.CASE,
        title=f"{title} · {case.item_version.name}"[:200],
        body=text,
        link=reverse("cases:my_case", args=[ref]),
        target_kind="case",
        target_ref=ref,
        sms_text=text if by_sms else None,
        mobile=case.applicant_mobile or "",
        email=True,
        mandatory=done.action in MANDATORY,
    )
