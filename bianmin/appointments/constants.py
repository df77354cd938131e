from django.db import models
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("周一")
    TUESDAY = 1, _("周二")
    WEDNESDAY = 2, _("周三")
    THURSDAY = 3, _("周四")
    FRIDAY = 4, _("周五")
    SATURDAY = 5, _("周六")
    SUNDAY = 6, _("周日")


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CHECKED_IN = "checked_in", _("已签到")
    SERVED = "served", _("已办理")
    CANCELLED = "cancelled", _("已取消")
    NO_SHOW = "no_show", _("爽约")


ACTIVE_APPOINTMENT_STATES = (AppointmentState.BOOKED, AppointmentState.CHECKED_IN)


class CancelReason(models.TextChoices):
    """Who or what cancelled a booking. The last two are the hall's own doing: the applicant is told and asked
    to book again, and the cancellation never counts against them."""

    APPLICANT = "applicant", _("申请人取消")
    STAFF = "staff", _("大厅工作人员取消")
    DAY_CLOSED = "day_closed", _("当天不办公")
    HOURS_CHANGED = "hours_changed", _("开放时间调整")


HALL_CLOSURE_REASONS = (CancelReason.DAY_CLOSED, CancelReason.HOURS_CHANGED)


class BookingChannel(models.TextChoices):
    ONLINE = "online", _("网上预约")
    PHONE = "phone", _("电话预约")


class TicketState(models.TextChoices):
    WAITING = "waiting", _("等候中")
    CALLED = "called", _("已叫号")
    SERVING = "serving", _("办理中")
    DONE = "done", _("已办结")
    NO_SHOW = "no_show", _("过号")


OPEN_TICKET_STATES = (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING)


class TicketSource(models.TextChoices):
    KIOSK = "kiosk", _("自助取号")
    STAFF = "staff", _("人工取号")
    APPOINTMENT = "appointment", _("预约签到")


# Window kinds that take in applications (and so count towards slot capacity).
BOOKABLE_WINDOW_KINDS = ("comprehensive", "special")
