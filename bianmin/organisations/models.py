from django.db import models
from django.utils.translation import gettext_lazy as _

from bianmin.core.models import TimeStampedModel
from bianmin.core.validators import validate_region_code, validate_uscc
from bianmin.organisations.constants import DepartmentKind, HallKind, RegionLevel, WindowKind


class Region(TimeStampedModel):
    """An administrative region (行政区划), stored with its 12-digit 统计用区划代码."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True, validators=[validate_region_code])
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("有效"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def short_code(self) -> str:
        """The GB/T 2260 six-digit code for province, city and district; the 9-digit prefix for streets."""
        if self.level in (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.DISTRICT):
            return self.code[:6]
        if self.level == RegionLevel.STREET:
            return self.code[:9]
        return self.code


class Department(TimeStampedModel):
    """An implementing unit (实施主体): a district bureau, a street office, a vertical branch."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=32)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    short_code = models.CharField(
        _("部门简码"), max_length=4, unique=True, help_text=_("4位数字，用于办件编号。")
    )
    kind = models.CharField(
        _("类型"), max_length=16, choices=DepartmentKind.choices, default=DepartmentKind.GOVERNMENT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="departments"
    )
    phone = models.CharField(_("咨询电话"), max_length=32, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["sort_order", "short_code"]

    def __str__(self) -> str:
        return self.name


class Hall(TimeStampedModel):
    """A place people go to: the district centre, a street hall or a community station."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=24, choices=HallKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="halls"
    )
    address = models.CharField(_("地址"), max_length=200)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    opening_hours = models.CharField(
        _("办公时间"), max_length=200, default="周一至周五 9:00-12:00, 14:30-17:30（法定节假日除外）"
    )
    managing_department = models.ForeignKey(
        Department,
        verbose_name=_("管理单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="halls",
    )
    is_active = models.BooleanField(_("有效"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("政务服务大厅")
        verbose_name_plural = _("政务服务大厅")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Window(TimeStampedModel):
    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="windows")
    number = models.CharField(_("窗口号"), max_length=16)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(
        _("类型"), max_length=16, choices=WindowKind.choices, default=WindowKind.COMPREHENSIVE
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("进驻部门"), blank=True, related_name="windows"
    )
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["hall", "number"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="window_unique_number_per_hall")
        ]

    def __str__(self) -> str:
        return f"{self.hall.name} {self.number}"
