from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One state-changing action. Append-only; chained per partition with HMAC-SM3."""

    partition = models.PositiveSmallIntegerField(_("分区"))
    seq = models.PositiveBigIntegerField(_("序号"))
    created_at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    actor_role = models.CharField(_("角色"), max_length=32, blank=True)
    action = models.CharField(_("动作"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象标识"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    ip_address = models.CharField(_("来源地址"), max_length=64, blank=True)
    prev_mac = models.CharField(_("前一条摘要"), max_length=64)
    mac = models.CharField(_("摘要"), max_length=64)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["partition", "seq"], name="audit_entry_unique_seq")]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "created_at"]),
            models.Index(fields=["action", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.partition}:{self.seq} {self.action}"


class AuditChainHead(models.Model):
    """The newest entry of each partition; its row lock serialises appends within that partition only."""

    partition = models.PositiveSmallIntegerField(_("分区"), unique=True)
    seq = models.PositiveBigIntegerField(_("序号"), default=0)
    mac = models.CharField(_("摘要"), max_length=64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"{self.partition}:{self.seq}"
