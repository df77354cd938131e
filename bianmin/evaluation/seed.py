"""Demo ratings: window services finished in the demo halls and delivered demo cases are rated (through the
services), a few badly, so the public figures, rectifications and the workbench have something to show."""

from __future__ import annotations

# A fixed pattern of levels (5 = 非常满意 … 1 = 非常不满意): mostly good, some bad.
PATTERN = [5, 4, 2, 5, 3, 1, 5, 4, 5, 5, 4, 5, 3, 5, 5, 2, 4, 5, 5, 4]
COMMENTS = {1: "排队时间太长，窗口人员态度冷淡。", 2: "材料要求前后说法不一，跑了两次。"}


def seed(*, today) -> str:
    from bianmin.appointments.constants import TicketState
    from bianmin.appointments.models import QueueTicket
    from bianmin.evaluation import conf, services
    from bianmin.evaluation.constants import Channel, ServiceMode, Subject
    from bianmin.evaluation.models import EvaluationInvitation

    invited = 0
    tickets = QueueTicket.objects.filter(state=TicketState.DONE).select_related(
        "hall", "item__current_version", "item__department", "window"
    )[:120]
    for ticket in tickets:
        if EvaluationInvitation.objects.filter(ticket_id=ticket.pk).exists():
            continue
        item = ticket.item
        label = f"{ticket.hall.name} 窗口服务 {ticket.number}"
        if item is not None and item.current_version is not None:
            label += f" {item.current_version.name}"
        services.evaluation_invite(
            subject=Subject.WINDOW,
            label=label,
            service_mode=ServiceMode.ON_SITE,
            ticket_id=ticket.pk,
            department=item.department if item else ticket.hall.managing_department,
            item=item,
            hall=ticket.hall,
            window=ticket.window,
            notify=False,
        )
        invited += 1
    rated = 0
    channels = [
        Channel.HALL_TABLET,
        Channel.MOBILE,
        Channel.PC,
        Channel.QR,
        Channel.HALL_TERMINAL,
        Channel.SMS,
    ]
    for n, invitation in enumerate(
        EvaluationInvitation.objects.filter(evaluations__isnull=True).order_by("pk")[:150]
    ):
        level = PATTERN[n % len(PATTERN)]
        tags = conf.tags_for(invitation.service_mode)[: 1 + n % 2]
        services.evaluation_submit(
            invitation=invitation,
            acting_user=invitation.person,
            level=level,
            tags=tags,
            comment=COMMENTS.get(level, ""),
            channel=channels[n % len(channels)],
        )
        rated += 1
    done = _progress_first_rectification()
    return f"{done} rectification closed, {invited} window services invited, {rated} ratings"


def _progress_first_rectification() -> int:
    """The oldest open rectification is verified, called back and closed by its department's staff."""
    from bianmin.accounts.models import User
    from bianmin.evaluation import services
    from bianmin.evaluation.constants import Outcome, RectificationState
    from bianmin.evaluation.models import Rectification

    if Rectification.objects.filter(state=RectificationState.DONE).exists():
        return 0  # idempotent: one closed example is enough
    for rectification in Rectification.objects.filter(state=RectificationState.OPEN).order_by("pk"):
        staff = (
            User.objects.filter(
                role_assignments__department_id=rectification.department_id,
                role_assignments__role__in=["reviewer", "head"],
                role_assignments__is_active=True,
            ).first()
            or User.objects.filter(
                role_assignments__hall_id=rectification.evaluation.hall_id,
                role_assignments__role="hall_manager",
                role_assignments__is_active=True,
            ).first()
        )
        if staff is None:
            continue
        rectification = services.rectification_respond(
            rectification=rectification,
            acting_user=staff,
            verification="经调取窗口录像核实，当日排队时间较长属实。",
            measures="高峰时段增开窗口，推行预约办理，对窗口人员开展服务规范培训。",
        )
        if rectification.evaluation.invitation.is_identified:
            rectification = services.rectification_callback(
                rectification=rectification, acting_user=staff, note="已电话回访，群众表示认可。"
            )
        services.rectification_complete(
            rectification=rectification, acting_user=staff, outcome=Outcome.RECTIFIED
        )
        return 1
    return 0
