"""The plan's tasks (改革任务), their parts with their own lead units, milestones and progress reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bianmin.kpi.constants import Figure


class _Units:
    """The lead and partner units as shown: the listed departments, then the units named only in the plan."""

    @property
    def lead_units(self) -> list[str]:
        return [d.name for d in self.lead_departments.all()] + [str(u) for u in self.lead_units_other or ()]

    @property
    def partner_units(self) -> list[str]:
        return [d.name for d in self.partner_departments.all()] + [
            str(u) for u in self.partner_units_other or ()
        ]


class PlanTask(_Units, models.Model):
    number = models.PositiveSmallIntegerField(_("序号"), unique=True)
    section = models.CharField(_("所属部分"), max_length=100)
    title = models.CharField(_("任务名称"), max_length=100)
    text = models.TextField(_("任务内容"))
    units_text = models.TextField(_("责任单位（原文）"), blank=True)
    lead_departments = models.ManyToManyField(
        "organisations.Department", verbose_name=_("牵头单位"), blank=True, related_name="led_plan_tasks"
    )
    lead_units_other = models.JSONField(
        _("其他牵头单位"),
        default=list,
        blank=True,
        help_text=_("不在组织机构清单中的单位，如“各街道政务服务统筹管理机构”。"),
    )
    partner_departments = models.ManyToManyField(
        "organisations.Department", verbose_name=_("配合单位"), blank=True, related_name="partner_plan_tasks"
    )
    partner_units_other = models.JSONField(_("其他配合单位"), default=list, blank=True)

    class Meta:
        verbose_name = _("改革任务")
        verbose_name_plural = _("改革任务")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class PlanSubTask(_Units, models.Model):
    """A part of a task with its own lead units (tasks 14 and 16)."""

    task = models.ForeignKey(
        PlanTask, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="subtasks"
    )
    number = models.CharField(_("编号"), max_length=8)
    text = models.TextField(_("内容"))
    units_text = models.TextField(_("责任单位（原文）"), blank=True)
    lead_departments = models.ManyToManyField(
        "organisations.Department", verbose_name=_("牵头单位"), blank=True, related_name="led_plan_subtasks"
    )
    lead_units_other = models.JSONField(_("其他牵头单位"), default=list, blank=True)
    partner_departments = models.ManyToManyField(
        "organisations.Department",
        verbose_name=_("配合单位"),
        blank=True,
        related_name="partner_plan_subtasks",
    )
    partner_units_other = models.JSONField(_("其他配合单位"), default=list, blank=True)

    class Meta:
        verbose_name = _("子任务")
        verbose_name_plural = _("子任务")
        ordering = ["task__number", "number"]
        constraints = [models.UniqueConstraint(fields=["task", "number"], name="reform_subtask_unique")]

    def __str__(self) -> str:
        return self.number


class Milestone(models.Model):
    """A deadline of a task ("2019年底前"), with the KPI and target that measure it when there is one."""

    task = models.ForeignKey(
        PlanTask, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="milestones"
    )
    subtask = models.ForeignKey(
        PlanSubTask,
        verbose_name=_("子任务"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    label = models.CharField(_("时限（原文）"), max_length=32, blank=True)
    due_on = models.DateField(_("期限"), null=True, blank=True)
    figure = models.CharField(_("关联指标"), max_length=32, choices=Figure.choices, blank=True)
    target_value = models.DecimalField(_("目标值"), max_digits=8, decimal_places=4, null=True, blank=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["task__number", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.task.number} {self.label}"

    @property
    def display_label(self) -> str:
        """The deadline as shown: the plan's own wording ("2019年底前") in Chinese, "by 2019-12-31" in other
        languages; empty where the plan gives none."""
        from bianmin.web.text import is_chinese

        if not self.label or self.due_on is None or is_chinese():
            return self.label
        return gettext("%(date)s前") % {"date": self.due_on.isoformat()}


class ProgressReport(models.Model):
    task = models.ForeignKey(
        PlanTask, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="reports"
    )
    subtask = models.ForeignKey(
        PlanSubTask,
        verbose_name=_("子任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    department = models.ForeignKey(
        "organisations.Department", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("报送期"), max_length=7, help_text=_("如 2026-Q3"))
    period_end = models.DateField(_("报送期末"))
    text = models.TextField(_("进展情况"))
    percentage = models.PositiveSmallIntegerField(_("完成进度（%）"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["task__number", "-period_end", "-filed_at"]

    def __str__(self) -> str:
        return f"{self.task.number} {self.period}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("附件"), upload_to="reform/reports/%Y/")
    file_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)

    class Meta:
        verbose_name = _("报告附件")
        verbose_name_plural = _("报告附件")

    def __str__(self) -> str:
        return self.file_name
