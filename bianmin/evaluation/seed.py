"""Demo ratings: window services finished in the demo halls and delivered demo cases are rated (through the
services), a few badly, so the public figures, rectifications and the workbench have something to show."""

from __future__ import annotations

# A fixed pattern of levels (5 = 非常满意 … 1 = 非常不满意): mostly good, some bad.
PATTERN = [5, 5, 4, 5, 3, 5, 4, 5, 2, 5, 4, 5, 5, 1, 4, 5, 3, 5, 5, 4]
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
            department=item.department if item else None,
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
    return f"evaluation: {invited} window services invited, {rated} ratings"
