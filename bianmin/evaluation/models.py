"""好差评: invitations to rate a service, ratings (one plus one follow-up), rectifications of bad ones, appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bianmin.core.fields import EncryptedTextField
from bianmin.evaluation.constants import (
    AppealState,
    Channel,
    Level,
    Outcome,
    RectificationState,
    ServiceMode,
    Subject,
)
from bianmin.hotline.labels import relabel


class RatedService(models.Model):
    """What is rated, as the public figures group it: an invitation names it and each rating keeps a copy,
    so that the figures per department, item and hall read the ratings alone."""

    subject = models.CharField(_("评价对象"), max_length=8, choices=Subject.choices)
    service_mode = models.CharField(_("服务方式"), max_length=8, choices=ServiceMode.choices)
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hall = models.ForeignKey(
        "organisations.Hall",
        verbose_name=_("大厅"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def rated_service(self) -> dict:
        """This row's rated-service values by column (ids, not rows: copying them costs no query)."""
        columns = (self._meta.get_field(name).attname for name in RATED_SERVICE_FIELDS)
        return {column: getattr(self, column) for column in columns}


RATED_SERVICE_FIELDS = ("subject", "service_mode", "department", "item", "hall")


class EvaluationInvitation(RatedService):
    """The served person is invited to rate one service; the token is their key to the rate page."""

    token = models.CharField(_("评价令牌"), max_length=43, unique=True)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ticket_id = models.BigIntegerField(_("排队号"), null=True, blank=True, unique=True)
    service_request = models.OneToOneField(
        "hotline.ServiceRequest",
        verbose_name=_("诉求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被服务人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_invitations",
    )
    mobile = EncryptedTextField(_("联系电话"), blank=True, default="")
    label = models.CharField(_("服务说明"), max_length=200)
    window = models.ForeignKey(
        "organisations.Window",
        verbose_name=_("窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价邀请")
        verbose_name_plural = _("评价邀请")

    def __str__(self) -> str:
        return self.label

    @property
    def shown_label(self) -> str:
        """The label in the reader's language: it is stored in Chinese, starting with what was served."""
        return relabel(self.label, Subject)

    @property
    def is_identified(self) -> bool:
        return bool(self.person_id or self.mobile)


class Evaluation(RatedService):
    """One rating. Never edited: a second opinion is the one follow-up (追评)."""

    invitation = models.ForeignKey(
        EvaluationInvitation, verbose_name=_("评价邀请"), on_delete=models.PROTECT, related_name="evaluations"
    )
    is_follow_up = models.BooleanField(_("追评"), default=False)
    level = models.PositiveSmallIntegerField(_("评价等级"), choices=Level.choices)
    tags = models.JSONField(_("测评内容"), default=list, blank=True)
    comment = models.TextField(_("评价内容"), blank=True)
    channel = models.CharField(_("评价渠道"), max_length=16, choices=Channel.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "is_follow_up"], name="evaluation_one_plus_follow_up"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invitation.label} · {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level <= Level.DISSATISFIED


class Rectification(models.Model):
    """整改 of a bad rating: the department verifies and responds, calls an identified rater back, records the outcome."""

    evaluation = models.OneToOneField(
        Evaluation, verbose_name=_("评价"), on_delete=models.PROTECT, related_name="rectification"
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=RectificationState.choices,
        default=RectificationState.OPEN,
        db_index=True,
    )
    opened_on = models.DateField(_("开始日"))
    callback_due_on = models.DateField(_("回访期限"), null=True, blank=True)
    due_on = models.DateField(_("整改期限"))
    verification = models.TextField(_("核实情况"), blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    responded_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    callback_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    callback_note = models.TextField(_("回访记录"), blank=True)
    callback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回访人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("整改结果"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_overdue = models.BooleanField(_("超期"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"{_('整改')} #{self.pk}"


class Appeal(models.Model):
    """申诉复核: staff contest a malicious or mistaken rating; a supervisor decides. The rating itself stays."""

    evaluation = models.OneToOneField(
        Evaluation, verbose_name=_("评价"), on_delete=models.PROTECT, related_name="appeal"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申诉人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("申诉理由"))
    state = models.CharField(
        _("状态"), max_length=16, choices=AppealState.choices, default=AppealState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    decision_note = models.TextField(_("复核意见"), blank=True)
    created_at = models.DateTimeField(_("申诉时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("差评申诉")
        verbose_name_plural = _("差评申诉")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{_('申诉')} #{self.pk}"
