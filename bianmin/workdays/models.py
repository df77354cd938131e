"""The working-day calendar: one row per year (who published it, how sure it is) and one row per day."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bianmin.core.models import TimeStampedModel
from bianmin.workdays.constants import CalendarStatus, DayKind


class CalendarYear(TimeStampedModel):
    """A year's schedule. Official years come from the State Council's notice (国务院办公厅放假安排通知)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=CalendarStatus.choices)
    published_at = models.DateTimeField(_("录入时间"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_note = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知")
    )

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}（{self.get_status_display()}）"


class CalendarDay(models.Model):
    """One calendar day: whether public offices work on it and why."""

    date = models.DateField(_("日期"), unique=True)
    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("日历年度"), on_delete=models.CASCADE, related_name="days"
    )
    is_workday = models.BooleanField(_("是否工作日"))
    kind = models.CharField(_("类别"), max_length=20, choices=DayKind.choices)
    holiday_name = models.CharField(_("节日名称"), max_length=100, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=CalendarStatus.choices)

    class Meta:
        verbose_name = _("日历日")
        verbose_name_plural = _("日历日")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(is_workday=True, kind__in=["workday", "adjusted_workday"])
                    | models.Q(is_workday=False, kind__in=["weekend", "holiday"])
                ),
                name="workdays_day_kind_matches_flag",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"
