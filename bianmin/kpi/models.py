from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bianmin.kpi.constants import Figure, TargetSource


class KpiTarget(models.Model):
    """A target of one figure for a year: the plan's 2019/2020 milestones (history) or set by an administrator."""

    figure = models.CharField(_("指标"), max_length=32, choices=Figure.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("目标值"), max_digits=8, decimal_places=4)
    source = models.CharField(
        _("来源"), max_length=8, choices=TargetSource.choices, default=TargetSource.ADMIN
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("指标目标")
        verbose_name_plural = _("指标目标")
        ordering = ["figure", "year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["figure", "year", "source"], name="kpi_target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_figure_display()} {self.year}: {self.value}"


class CaseDaySummary(models.Model):
    """The additive case counts of one lead department on one day, kept by bianmin.kpi.summary.

    Two families of columns, each tied to the date that figure counts by (design.md §7):
    - by conclusion day (concluded / delivered cases that had been accepted): concluded, concluded_on_time,
      concluded_one_visit, working_days (Σ working days from acceptance to conclusion, suspensions excluded);
    - by acceptance day (every case accepted that day, whatever its state now): accepted, accepted_online.
    A street is its departments' sum (a case belongs to its lead department, a department to one street).
    """

    department = models.ForeignKey(
        "organisations.Department", verbose_name=_("部门"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("日期"))
    concluded = models.PositiveIntegerField(_("办结件"), default=0)
    concluded_on_time = models.PositiveIntegerField(_("按期办结件"), default=0)
    concluded_one_visit = models.PositiveIntegerField(_("到现场≤1次的办结件"), default=0)
    working_days = models.PositiveBigIntegerField(_("办理工作日合计"), default=0)
    accepted = models.PositiveIntegerField(_("受理件"), default=0)
    accepted_online = models.PositiveIntegerField(_("网上申请受理件"), default=0)

    class Meta:
        verbose_name = _("办件日汇总")
        verbose_name_plural = _("办件日汇总")
        constraints = [
            models.UniqueConstraint(fields=["department", "day"], name="kpi_case_day_unique"),
        ]
        indexes = [models.Index(fields=["day", "department"], name="kpi_case_day_day")]

    def __str__(self) -> str:
        return f"{self.department_id} {self.day}"


class SummaryDirtyDay(models.Model):
    """A (department, day) cell whose cases changed after the last refresh: recomputed by the next one."""

    department_id = models.BigIntegerField(_("部门"))
    day = models.DateField(_("日期"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待刷新的汇总日")
        verbose_name_plural = _("待刷新的汇总日")

    def __str__(self) -> str:
        return f"{self.department_id} {self.day}"


class SummaryState(models.Model):
    """One row (pk=1): when the summary was last refreshed and rebuilt; also the lock refreshers take."""

    refreshed_at = models.DateTimeField(_("最近刷新"), null=True, blank=True)
    rebuilt_at = models.DateTimeField(_("最近全量重建"), null=True, blank=True)
    generation = models.PositiveBigIntegerField(
        _("写入代次"), default=0, help_text=_("每次写入汇总加一：刷新据此判断读取期间是否有人已写入。")
    )

    class Meta:
        verbose_name = _("汇总状态")
        verbose_name_plural = _("汇总状态")

    def __str__(self) -> str:
        return f"{self.refreshed_at}"
