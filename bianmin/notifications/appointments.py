"""Messages about appointments (预约): booked, rescheduled, cancelled (by the applicant, by staff, or by the hall
because it no longer opens then), and the day-before reminder.

The appointments services call the first three after their write (one line each); all the work (loading,
wording, writing, sending) happens after the commit and a failure there is logged, so a notification can
neither slow nor break a booking. The reminder is a periodic task (notifications/tasks.py). The message goes to the booker's account when they booked online; the SMS goes
to the mobile on the appointment, so a phone booking without an account is told too.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from bianmin.notifications.constants import Category
from bianmin.notifications.services import notify

logger = logging.getLogger(__name__)


def _facts(appointment) -> dict:
    slot = appointment.slot
    return {
        "date": appointment.on.isoformat(),
        "start": f"{slot.start:%H:%M}",
        "end": f"{slot.end:%H:%M}",
        "hall": appointment.hall.name,
        "item": str(appointment.item) if appointment.item_id else _("综合业务"),
        "code": appointment.code,
    }


def _tell(appointment, *, title: str, text: str, target_kind: str = "appointment"):
    notify(
        user=appointment.user if appointment.user_id else None,
        category=Category.APPOINTMENT,
        title=title,
        body=text,
        link=reverse("appointments:mine") if appointment.user_id else "",
        target_kind=target_kind,
        target_ref=appointment.code,
        sms_text=text,
        mobile=appointment.mobile or "",
        immediately=True,  # already after the commit (or in the periodic task)
    )


def _after_commit(kind: str, appointment, **kwargs) -> None:
    pk = appointment.pk

    def run():
        from bianmin.appointments.models import Appointment

        try:
            row = Appointment.objects.select_related("slot", "hall", "item__current_version", "user").get(
                pk=pk
            )
            with translation.override(settings.LANGUAGE_CODE):
                WORDINGS[kind](row, **kwargs)
        except Exception:  # the booking has committed; a message must never undo or break it
            logger.exception("appointment message not sent")

    transaction.on_commit(run)


def booked(appointment) -> None:
    _after_commit("booked", appointment)


def rescheduled(appointment) -> None:
    _after_commit("rescheduled", appointment)


def cancelled(appointment, *, by_staff: bool = False) -> None:
    _after_commit("cancelled", appointment, by_staff=by_staff)


def cancelled_by_hall(appointment, *, reason: str) -> None:
    """The hall closed the booking's slot (a day off entered in the calendar, or opening hours changed)."""
    _after_commit("cancelled_by_hall", appointment, reason=reason)


def _booked(appointment) -> None:
    text = _(
        "您已预约%(date)s %(start)s-%(end)s到%(hall)s办理%(item)s，预约码%(code)s。请按时到场，凭预约码签到取号。"
    ) % _facts(appointment)
    _tell(appointment, title=_("预约成功 · %(hall)s") % {"hall": appointment.hall.name}, text=text)


def _rescheduled(appointment) -> None:
    text = _("您的预约（预约码%(code)s）已改到%(date)s %(start)s-%(end)s，地点%(hall)s。") % _facts(
        appointment
    )
    _tell(appointment, title=_("预约已改期 · %(hall)s") % {"hall": appointment.hall.name}, text=text)


def _cancelled(appointment, *, by_staff: bool = False) -> None:
    facts = _facts(appointment)
    if by_staff:
        text = (
            _("您%(date)s %(start)s在%(hall)s的预约（预约码%(code)s）已由大厅取消，如有疑问请致电大厅。")
            % facts
        )
    else:
        text = _("您%(date)s %(start)s在%(hall)s的预约（预约码%(code)s）已取消。") % facts
    _tell(appointment, title=_("预约已取消 · %(hall)s") % {"hall": appointment.hall.name}, text=text)


def _cancelled_by_hall(appointment, *, reason: str) -> None:
    facts = _facts(appointment)
    if reason == "day_closed":
        text = (
            _(
                "因%(hall)s在%(date)s不办公（节假日或调休安排），您%(date)s %(start)s-%(end)s的预约（预约码%(code)s）"
                "已由大厅取消，不计爽约，请重新预约。"
            )
            % facts
        )
    else:
        text = (
            _(
                "因%(hall)s开放时间调整，您%(date)s %(start)s-%(end)s的预约（预约码%(code)s）已由大厅取消，"
                "不计爽约，请重新预约。"
            )
            % facts
        )
    path = appointment.rebook_url()
    sms = _("%(message)s重新预约：%(link)s") % {
        "message": text,
        "link": settings.PUBLIC_BASE_URL.rstrip("/") + path,
    }
    notify(
        user=appointment.user if appointment.user_id else None,
        category=Category.APPOINTMENT,
        title=_("预约已由大厅取消 · %(hall)s") % {"hall": appointment.hall.name},
        body=text,
        link=path,  # the message's button leads to the same hall's booking page
        target_kind="appointment",
        target_ref=appointment.code,
        sms_text=sms,
        mobile=appointment.mobile or "",
        immediately=True,  # already after the commit
    )


WORDINGS = {
    "booked": _booked,
    "rescheduled": _rescheduled,
    "cancelled": _cancelled,
    "cancelled_by_hall": _cancelled_by_hall,
}


def send_reminders(*, today: dt.date | None = None) -> int:
    """Remind everyone booked for tomorrow (run once a day; an account is reminded once per appointment)."""
    from django.utils import timezone

    from bianmin.appointments.constants import AppointmentState
    from bianmin.appointments.models import Appointment
    from bianmin.notifications.models import Message

    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    rows = (
        Appointment.objects.filter(on=tomorrow, state=AppointmentState.BOOKED)
        .select_related("slot", "hall", "item__current_version", "user")
        .order_by("slot__start", "pk")
    )
    reminded = set(
        Message.objects.filter(
            target_kind="appointment_reminder", target_ref__in=[a.code for a in rows]
        ).values_list("target_ref", flat=True)
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for appointment in rows:
            if appointment.code in reminded:
                continue
            text = _(
                "提醒：您明天%(start)s-%(end)s在%(hall)s有预约（预约码%(code)s），请按时到场。"
            ) % _facts(appointment)
            _tell(
                appointment,
                title=_("预约提醒 · %(hall)s") % {"hall": appointment.hall.name},
                text=text,
                target_kind="appointment_reminder",
            )
            sent += 1
    return sent
