"""Hall data (items taken in, window scopes and schedules, queue categories), slots, appointments and tickets."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bianmin.appointments.constants import (
    HALL_CLOSURE_REASONS,
    AppointmentState,
    BookingChannel,
    CancelReason,
    TicketSource,
    TicketState,
    Weekday,
)
from bianmin.core.fields import EncryptedTextField
from bianmin.core.models import TimeStampedModel


class HallSetting(TimeStampedModel):
    """Per-hall booking settings."""

    hall = models.OneToOneField(
        "organisations.Hall", verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="booking_setting"
    )
    slot_minutes = models.PositiveSmallIntegerField(_("预约时段（分钟）"), default=30)
    appointments_per_window = models.PositiveSmallIntegerField(
        _("每窗口每时段可预约人数"), default=2, help_text=_("时段容量 = 该时段开放的受理窗口数 × 本值。")
    )

    class Meta:
        verbose_name = _("大厅预约设置")
        verbose_name_plural = _("大厅预约设置")

    def __str__(self) -> str:
        return str(self.hall)


class HallItem(TimeStampedModel):
    """An item a hall takes in (就近办 hall data, kept outside the versioned item)."""

    hall = models.ForeignKey(
        "organisations.Hall", verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="hall_items"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.CASCADE, related_name="hall_items"
    )
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("大厅可办事项")
        verbose_name_plural = _("大厅可办事项")
        constraints = [models.UniqueConstraint(fields=["hall", "item"], name="hall_item_unique")]

    def __str__(self) -> str:
        return f"{self.hall} · {self.item}"


class WindowItem(models.Model):
    """An item a special window serves (besides the items of its departments)."""

    window = models.ForeignKey(
        "organisations.Window", verbose_name=_("窗口"), on_delete=models.CASCADE, related_name="served_items"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("窗口办理事项")
        verbose_name_plural = _("窗口办理事项")
        constraints = [models.UniqueConstraint(fields=["window", "item"], name="window_item_unique")]

    def __str__(self) -> str:
        return f"{self.window} · {self.item}"


class WindowSchedule(models.Model):
    """A weekly opening period of a window."""

    window = models.ForeignKey(
        "organisations.Window", verbose_name=_("窗口"), on_delete=models.CASCADE, related_name="schedules"
    )
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"))

    class Meta:
        verbose_name = _("窗口开放时间")
        verbose_name_plural = _("窗口开放时间")
        ordering = ["window", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="window_schedule_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.window} {self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class TicketCategory(models.Model):
    """A business category of the hall's queue with its number prefix (A 综合, B 市场监管, …)."""

    hall = models.ForeignKey(
        "organisations.Hall",
        verbose_name=_("大厅"),
        on_delete=models.CASCADE,
        related_name="ticket_categories",
    )
    letter = models.CharField(_("号码前缀"), max_length=1)
    name = models.CharField(_("业务类别"), max_length=32)
    departments = models.ManyToManyField(
        "organisations.Department", verbose_name=_("对应部门"), blank=True, related_name="+"
    )
    themes = models.ManyToManyField("catalog.Theme", verbose_name=_("对应主题"), blank=True, related_name="+")
    is_default = models.BooleanField(
        _("默认类别"), default=False, help_text=_("未匹配到部门或主题的事项取此类别。")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("排队业务类别")
        verbose_name_plural = _("排队业务类别")
        ordering = ["hall", "sort_order", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "letter"], name="ticket_category_unique_letter")
        ]

    def __str__(self) -> str:
        return f"{self.letter} {self.name}"


class Slot(models.Model):
    """A bookable time slot of a hall; `booked` only grows through a compare-and-set against `capacity`."""

    hall = models.ForeignKey(
        "organisations.Hall", verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="slots"
    )
    on = models.DateField(_("日期"))
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"))
    capacity = models.PositiveIntegerField(_("容量"))
    booked = models.PositiveIntegerField(_("已预约"), default=0)

    class Meta:
        verbose_name = _("预约时段")
        verbose_name_plural = _("预约时段")
        ordering = ["hall", "on", "start"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "on", "start"], name="slot_unique_start"),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
        ]
        indexes = [models.Index(fields=["on", "hall"], name="slot_day_hall")]

    def __str__(self) -> str:
        return f"{self.hall} {self.on} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def available(self) -> int:
        return max(0, self.capacity - self.booked)

    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.on, self.start))

    def ends_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.on, self.end))


class Appointment(TimeStampedModel):
    code = models.CharField(_("预约码"), max_length=12, unique=True)
    slot = models.ForeignKey(
        Slot, verbose_name=_("时段"), on_delete=models.PROTECT, related_name="appointments"
    )
    hall = models.ForeignKey(
        "organisations.Hall", verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="appointments"
    )
    on = models.DateField(_("日期"))
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    person_key = models.CharField(_("申请人标识"), max_length=80, db_index=True, editable=False)
    name = models.CharField(_("姓名"), max_length=64)
    mobile = EncryptedTextField(_("手机号"), blank=True, default="")
    mobile_masked = models.CharField(_("手机号（脱敏）"), max_length=16, blank=True)
    channel = models.CharField(_("预约方式"), max_length=16, choices=BookingChannel.choices)
    state = models.CharField(
        _("状态"), max_length=16, choices=AppointmentState.choices, default=AppointmentState.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("预约人"), on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(_("幂等键"), max_length=64, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=16, choices=CancelReason.choices, blank=True)
    no_show_on = models.DateField(_("爽约日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["on", "slot__start", "pk"]
        indexes = [
            models.Index(fields=["person_key", "on"], name="appointment_person_day"),
            models.Index(fields=["hall", "on", "state"], name="appointment_hall_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["booked_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="appointment_unique_idempotency",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_cancelled_by_hall(self) -> bool:
        return self.state == AppointmentState.CANCELLED and self.cancel_reason in HALL_CLOSURE_REASONS

    def rebook_url(self) -> str:
        """Where to book again: the same hall's booking page, for the same item."""
        path = reverse("appointments:book", args=[self.hall_id])
        return f"{path}?{urlencode({'item': self.item.code})}" if self.item_id else path


class TicketCounter(models.Model):
    """The last number issued per hall, day and prefix (locked while a number is taken)."""

    hall = models.ForeignKey(
        "organisations.Hall", verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="+"
    )
    on = models.DateField(_("日期"))
    letter = models.CharField(_("号码前缀"), max_length=1)
    last = models.PositiveIntegerField(_("当前号"), default=0)

    class Meta:
        verbose_name = _("取号计数")
        verbose_name_plural = _("取号计数")
        constraints = [models.UniqueConstraint(fields=["hall", "on", "letter"], name="ticket_counter_unique")]

    def __str__(self) -> str:
        return f"{self.hall_id} {self.on} {self.letter}{self.last}"


class QueueTicket(models.Model):
    hall = models.ForeignKey(
        "organisations.Hall", verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="tickets"
    )
    on = models.DateField(_("日期"))
    category = models.ForeignKey(
        TicketCategory, verbose_name=_("业务类别"), on_delete=models.PROTECT, related_name="tickets"
    )
    number = models.CharField(_("号码"), max_length=8)
    token = models.CharField(_("查询令牌"), max_length=32, unique=True)
    source = models.CharField(_("取号方式"), max_length=16, choices=TicketSource.choices)
    state = models.CharField(
        _("状态"), max_length=16, choices=TicketState.choices, default=TicketState.WAITING
    )
    appointment = models.OneToOneField(
        Appointment,
        verbose_name=_("预约"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ticket",
    )
    priority_from = models.DateTimeField(
        _("优先起始"), null=True, blank=True, help_text=_("预约号从预约时段开始起排在现场取号之前。")
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_window = models.ForeignKey(
        "organisations.Window",
        verbose_name=_("转至窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        "organisations.Window",
        verbose_name=_("办理窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("取号时间"))
    called_at = models.DateTimeField(_("首次叫号时间"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("最近叫号时间"), null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(_("叫号次数"), default=0)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("叫号人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transfer_count = models.PositiveSmallIntegerField(_("转移次数"), default=0)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        ordering = ["hall", "on", "issued_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["hall", "on", "number"], name="ticket_unique_number")]
        indexes = [models.Index(fields=["hall", "on", "state"], name="ticket_hall_day_state")]

    def __str__(self) -> str:
        return self.number
