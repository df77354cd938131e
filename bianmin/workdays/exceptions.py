from django.utils.translation import gettext as _

from bianmin.core.exceptions import ApplicationError, ValidationFailed


class CalendarOutOfRange(ApplicationError):
    """A computation needs a day for which there is neither an official nor a provisional calendar."""

    code = "calendar_out_of_range"
    http_status = 400

    def __init__(self, *, day=None, first=None, last=None) -> None:
        if first is not None and last is not None:
            message = _(
                "工作日历仅覆盖 %(first)s 至 %(last)s；%(day)s 超出范围，无法计算期限。"
                "更远年份须待国务院公布放假安排后由管理员录入。"
            ) % {"first": first.isoformat(), "last": last.isoformat(), "day": day.isoformat() if day else "—"}
        else:
            message = _("工作日历尚无 %(day)s 的数据，无法计算期限。") % {
                "day": day.isoformat() if day else "—"
            }
        super().__init__(
            message,
            extra={"day": day.isoformat() if day else None},
        )
        self.day = day


class CalendarScheduleInvalid(ValidationFailed):
    code = "calendar_schedule_invalid"
