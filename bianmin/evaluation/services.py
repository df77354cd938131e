"""好差评's write path: invite, rate (one + one follow-up), rectify bad ratings, appeal."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.audit.services import audit_record
from bianmin.evaluation import conf, rules
from bianmin.evaluation.constants import (
    AppealState,
    Channel,
    Level,
    Outcome,
    RectificationState,
    ServiceMode,
    Subject,
)
from bianmin.evaluation.exceptions import (
    AlreadyRated,
    EvaluationForbidden,
    EvaluationInvalid,
    EvaluationNotFound,
    RectificationStateError,
)
from bianmin.evaluation.models import Appeal, Evaluation, EvaluationInvitation, Rectification
from bianmin.hotline.notify import staff as notify_staff
from bianmin.notifications.constants import Category
from bianmin.notifications.services import notify as notify_person
from bianmin.web.text import join_list
from bianmin.workdays.services import add as workdays_add


def rate_url(invitation: EvaluationInvitation) -> str:
    return reverse("evaluation:rate", args=[invitation.token])


@transaction.atomic
def evaluation_invite(
    *,
    subject: str,
    label: str,
    service_mode: str,
    case=None,
    ticket_id: int | None = None,
    service_request=None,
    person=None,
    mobile: str = "",
    department=None,
    item=None,
    hall=None,
    window=None,
    notify: bool = True,
) -> EvaluationInvitation:
    """Invite the person served to rate one service (idempotent per service). Other apps call this."""
    if subject not in Subject.values or service_mode not in ServiceMode.values:
        raise EvaluationInvalid(_("无效的评价对象。"))
    lookup = {"case": case} if case is not None else {"ticket_id": ticket_id} if ticket_id else {}
    if service_request is not None:
        lookup = {"service_request": service_request}
    if not lookup:
        raise EvaluationInvalid(_("评价邀请须对应一项服务。"))
    existing = EvaluationInvitation.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    mobile = mobile or (getattr(person, "mobile", "") if person is not None else "")
    try:
        with transaction.atomic():
            invitation = EvaluationInvitation.objects.create(
                token=secrets.token_urlsafe(24),
                subject=subject,
                label=label[:200],
                service_mode=service_mode,
                case=case,
                ticket_id=ticket_id,
                service_request=service_request,
                person=person,
                mobile=mobile,
                department=department,
                item=item,
                hall=hall,
                window=window,
            )
    except IntegrityError:  # invited concurrently: the other invitation stands
        return EvaluationInvitation.objects.get(**lookup)
    audit_record(actor=None, action="evaluation.invite", target=invitation, changes={"subject": subject})
    if notify:
        link = settings.PUBLIC_BASE_URL.rstrip("/") + rate_url(invitation)
        _notify_served(
            invitation,
            title=_("请您评价：%(label)s") % {"label": invitation.label},
            body=_("请对“%(label)s”的服务作出评价，您的评价帮助我们改进服务。") % {"label": invitation.label},
            sms_text=_("请对“%(label)s”的服务作出评价：%(link)s") % {"label": invitation.label, "link": link},
            target_kind="evaluation_invitation",
            target_ref=str(invitation.pk),
        )
    return invitation


def _notify_served(
    invitation: EvaluationInvitation,
    *,
    title: str,
    body: str,
    sms_text: str,
    target_kind: str,
    target_ref: str,
) -> None:
    """Tell the person served: in their message centre if they have an account, by SMS if a number is known."""
    if not (invitation.mobile or invitation.person_id):
        return
    notify_person(
        user=invitation.person,
        category=Category.EVALUATION,
        title=title,
        body=body,
        link=rate_url(invitation),
        target_kind=target_kind,
        target_ref=target_ref,
        sms_text=sms_text if invitation.mobile else None,
        mobile=invitation.mobile,
    )


def _check_rater(invitation: EvaluationInvitation, acting_user) -> None:
    """Only the served person rates: the token is sent to them alone, and a signed-in other person is refused."""
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    if user is not None and invitation.person_id and user.pk != invitation.person_id:
        raise EvaluationForbidden(_("只有被服务人本人可以评价该服务。"))


@transaction.atomic
def evaluation_submit(
    *,
    invitation: EvaluationInvitation,
    acting_user=None,
    level: int,
    tags: list[str] | None = None,
    comment: str = "",
    channel: str = Channel.PC,
) -> Evaluation:
    """Rate the service: the first time a rating, the second time the one follow-up (追评); then no more."""
    invitation = EvaluationInvitation.objects.select_for_update().get(pk=invitation.pk)
    _check_rater(invitation, acting_user)
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in Level.values:
        raise EvaluationInvalid(_("请选择评价等级。"), fields={"level": [_("无效的评价等级。")]})
    if channel not in Channel.values:
        raise EvaluationInvalid(_("无效的评价渠道。"), fields={"channel": [_("无效。")]})
    allowed = set(conf.tags_for(invitation.service_mode))
    tags = list(dict.fromkeys(tags or []))
    if set(tags) - allowed:
        raise EvaluationInvalid(
            _("评价标签无效。"), fields={"tags": [_("可选：%s") % join_list(sorted(allowed))]}
        )
    comment = (comment or "").strip()[:1000]
    if level in (Level.DISSATISFIED, Level.VERY_DISSATISFIED) and not (comment or tags):
        raise EvaluationInvalid(
            _("差评请选择或填写不满意的原因，便于整改。"), fields={"comment": [_("必填。")]}
        )
    previous = list(invitation.evaluations.order_by("created_at"))
    if len(previous) >= 2:
        raise AlreadyRated(_("该服务已评价并追评，不能再次评价。"))
    is_follow_up = len(previous) == 1
    if is_follow_up and (timezone.now() - previous[0].created_at).days > conf.follow_up_days():
        raise AlreadyRated(_("已超过追评期限。"))
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                invitation=invitation,
                is_follow_up=is_follow_up,
                level=level,
                tags=tags,
                comment=comment,
                channel=channel,
                rater=user,
                **invitation.rated_service(),
            )
    except IntegrityError as exc:
        raise AlreadyRated(_("该服务已评价，请刷新后查看。")) from exc
    audit_record(
        actor=user or "rater",
        action="evaluation.submit",
        target=evaluation,
        changes={"level": level, "follow_up": is_follow_up, "channel": channel},
    )
    if (
        evaluation.is_bad
        and not Rectification.objects.filter(
            evaluation__invitation=invitation,
            state__in=[RectificationState.OPEN, RectificationState.RESPONDED],
        ).exists()
    ):
        _rectification_open(evaluation)
    return evaluation


def _rectification_open(evaluation: Evaluation) -> Rectification:
    today = timezone.localdate()
    identified = evaluation.invitation.is_identified
    rectification = Rectification.objects.create(
        evaluation=evaluation,
        department=evaluation.department,
        opened_on=today,
        callback_due_on=workdays_add(today, conf.callback_days()) if identified else None,
        due_on=workdays_add(today, conf.rectification_days()),
    )
    audit_record(actor=None, action="evaluation.rectification_open", target=rectification)
    department_id = evaluation.department_id
    text = _("收到一条差评（%(label)s），请于%(due)s前核实整改。") % {
        "label": evaluation.invitation.label,
        "due": rectification.due_on.isoformat(),
    }
    if department_id:
        notify_staff(
            role="head",
            department_id=department_id,
            category=Category.EVALUATION,
            title=_("差评待核实整改"),
            text=text,
            link=reverse("evaluation:workbench-rectification", args=[rectification.pk]),
            target_kind="rectification",
            target_ref=str(rectification.pk),
        )
    return rectification


def _lock(rectification: Rectification) -> Rectification:
    locked = (
        Rectification.objects.select_for_update()
        .select_related("evaluation__invitation")
        .get(pk=rectification.pk)
    )
    if locked.version != rectification.version:
        raise RectificationStateError(_("该整改已被他人处理，请刷新后重试。"))
    return locked


def _save(rectification: Rectification, fields: list[str]) -> None:
    old = rectification.version
    rectification.version = old + 1
    values = {
        Rectification._meta.get_field(f).attname: getattr(
            rectification, Rectification._meta.get_field(f).attname
        )
        for f in fields
    }
    if not Rectification.objects.filter(pk=rectification.pk, version=old).update(version=old + 1, **values):
        raise RectificationStateError(_("该整改已被他人处理，请刷新后重试。"))


@transaction.atomic
def rectification_respond(
    *, rectification: Rectification, acting_user, verification: str, measures: str
) -> Rectification:
    """The responsible department verifies the complaint and states its measures."""
    rectification = _lock(rectification)
    if not rules.handles_rectification(acting_user, rectification):
        raise EvaluationNotFound()
    if rectification.state != RectificationState.OPEN:
        raise RectificationStateError(_("该整改已核实。"))
    if not verification.strip() or not measures.strip():
        raise EvaluationInvalid(_("请填写核实情况和整改措施。"))
    rectification.verification = verification.strip()
    rectification.measures = measures.strip()
    rectification.responded_at = timezone.now()
    rectification.responded_by = acting_user
    rectification.state = RectificationState.RESPONDED
    _save(rectification, ["verification", "measures", "responded_at", "responded_by", "state"])
    audit_record(actor=acting_user, action="evaluation.rectification_respond", target=rectification)
    return rectification


@transaction.atomic
def rectification_callback(*, rectification: Rectification, acting_user, note: str) -> Rectification:
    """回访: the rater (identified) is called back; the call is recorded."""
    rectification = _lock(rectification)
    if not rules.can_call_back(acting_user, rectification):
        if rules.handles_rectification(acting_user, rectification):
            raise EvaluationForbidden(_("举报人的回访由热线进行，承办部门不联系举报人。"))
        raise EvaluationNotFound()
    if rectification.state == RectificationState.DONE:
        raise RectificationStateError(_("该整改已办结。"))
    if not rectification.evaluation.invitation.is_identified:
        raise RectificationStateError(_("匿名评价无法回访。"))
    if not note.strip():
        raise EvaluationInvalid(_("请填写回访情况。"))
    rectification.callback_at = timezone.now()
    rectification.callback_note = note.strip()
    rectification.callback_by = acting_user
    _save(rectification, ["callback_at", "callback_note", "callback_by"])
    audit_record(actor=acting_user, action="evaluation.rectification_callback", target=rectification)
    return rectification


@transaction.atomic
def rectification_complete(
    *, rectification: Rectification, acting_user, outcome: str, note: str = ""
) -> Rectification:
    """Record the outcome; an identified rater must have been called back first."""
    rectification = _lock(rectification)
    if not rules.handles_rectification(acting_user, rectification):
        raise EvaluationNotFound()
    if rectification.state != RectificationState.RESPONDED:
        raise RectificationStateError(_("请先核实并填写整改措施。"))
    if outcome not in (Outcome.RECTIFIED, Outcome.EXPLAINED, Outcome.UNFOUNDED):
        raise EvaluationInvalid(_("请选择整改结果。"), fields={"outcome": [_("无效。")]})
    if rectification.evaluation.invitation.is_identified and rectification.callback_at is None:
        raise RectificationStateError(_("实名差评须先回访评价人。"))
    _finish(rectification, acting_user=acting_user, outcome=outcome, note=note)
    audit_record(
        actor=acting_user,
        action="evaluation.rectification_complete",
        target=rectification,
        changes={"outcome": outcome},
    )
    invitation = rectification.evaluation.invitation
    text = _("您对“%(label)s”的评价已处理：%(outcome)s。") % {
        "label": invitation.label,
        "outcome": rectification.get_outcome_display(),
    }
    _notify_served(
        invitation,
        title=_("评价整改结果"),
        body=text,
        sms_text=text,
        target_kind="rectification",
        target_ref=str(rectification.pk),
    )
    return rectification


def _finish(rectification: Rectification, *, acting_user, outcome: str, note: str) -> None:
    rectification.outcome = outcome
    rectification.outcome_note = note.strip()
    rectification.done_at = timezone.now()
    rectification.done_by = acting_user
    rectification.state = RectificationState.DONE
    _save(rectification, ["outcome", "outcome_note", "done_at", "done_by", "state"])


@transaction.atomic
def appeal_file(*, evaluation: Evaluation, acting_user, reason: str) -> Appeal:
    """申诉: the department concerned contests a malicious or mistaken rating (once per rating)."""
    rectification = Rectification.objects.filter(evaluation=evaluation).first()
    if not (
        rules.is_department_staff(acting_user, evaluation.department_id)
        or (rectification is not None and rules.handles_rectification(acting_user, rectification))
    ):
        raise EvaluationNotFound()
    if not reason.strip():
        raise EvaluationInvalid(_("请填写申诉理由。"), fields={"reason": [_("必填。")]})
    if Appeal.objects.filter(evaluation=evaluation).exists():
        raise AlreadyRated(_("该评价已申诉过。"))
    appeal = Appeal.objects.create(evaluation=evaluation, filed_by=acting_user, reason=reason.strip())
    audit_record(actor=acting_user, action="evaluation.appeal_file", target=appeal)
    text = _("有一条差评申诉待复核（%(label)s）。") % {"label": evaluation.invitation.label}
    notify_staff(
        role="supervisor",
        category=Category.EVALUATION,
        title=_("差评申诉待复核"),
        text=text,
        link=reverse("evaluation:workbench"),
        target_kind="appeal",
        target_ref=str(appeal.pk),
    )
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: Appeal, acting_user, upheld: bool, note: str) -> Appeal:
    """A supervisor decides: upheld excludes the rating from the figures (the rating stays as it was)."""
    if not rules.is_supervisor(acting_user):
        raise EvaluationForbidden(_("只有效能监督员可以复核申诉。"))
    appeal = Appeal.objects.select_for_update().select_related("evaluation").get(pk=appeal.pk)
    if appeal.state != AppealState.PENDING:
        raise RectificationStateError(_("该申诉已复核。"))
    if not note.strip():
        raise EvaluationInvalid(_("请填写复核意见。"), fields={"note": [_("必填。")]})
    appeal.state = AppealState.UPHELD if upheld else AppealState.REJECTED
    appeal.decided_by = acting_user
    appeal.decided_at = timezone.now()
    appeal.decision_note = note.strip()
    appeal.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if upheld:
        rectification = (
            Rectification.objects.filter(evaluation=appeal.evaluation)
            .exclude(state=RectificationState.DONE)
            .first()
        )
        if rectification is not None:
            _finish(rectification, acting_user=acting_user, outcome=Outcome.APPEAL_UPHELD, note=note)
    audit_record(
        actor=acting_user, action="evaluation.appeal_decide", target=appeal, changes={"upheld": upheld}
    )
    text = _("您的差评申诉复核结果：%(state)s。") % {"state": appeal.get_state_display()}
    notify_person(
        user=appeal.filed_by,
        category=Category.EVALUATION,
        title=_("差评申诉复核结果"),
        body=text,
        link=reverse("evaluation:workbench"),
        target_kind="appeal",
        target_ref=str(appeal.pk),
        sms_text=text,
    )
    return appeal


def rectification_flag_overdue(*, today=None) -> int:
    today = today or timezone.localdate()
    return (
        Rectification.objects.exclude(state=RectificationState.DONE)
        .filter(due_on__lt=today, is_overdue=False)
        .update(is_overdue=True)
    )
