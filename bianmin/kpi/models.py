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
