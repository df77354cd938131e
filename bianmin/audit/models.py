"""The audit trail (全过程记录): append-only entries chained per partition, signed checkpoints, signing keys.

docs/audit.md describes the chain, the canonical serialisation and what verification proves.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk changes: audit rows are written once and never touched again."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: update() refused")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: delete() refused")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: bulk_update() refused")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: update_or_create() refused")

    # Django's deletion collector and QuerySet internals call _raw_delete / _update directly.
    def _raw_delete(self, using):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: delete refused")

    def _update(self, values):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: update refused")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(
                f"{type(self).__name__} rows are append-only: an existing row cannot be saved"
            )
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are append-only: delete() refused")


class AuditEntry(AppendOnlyModel):
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
            models.Index(fields=["created_at"], name="audit_entry_created_idx"),
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


class AuditCheckpoint(AppendOnlyModel):
    """A signed statement "partition P had reached entry S whose MAC was M": a deleted tail shows."""

    partition = models.PositiveSmallIntegerField(_("分区"))
    seq = models.PositiveBigIntegerField(_("序号"))
    mac = models.CharField(_("摘要"), max_length=64)
    created_at = models.DateTimeField(_("时间"))
    key_fingerprint = models.CharField(_("签名公钥指纹"), max_length=64)
    signature = models.TextField(_("SM2 签名"))  # hex of the DER signature

    class Meta:
        verbose_name = _("审计检查点")
        verbose_name_plural = _("审计检查点")
        ordering = ["partition", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["partition", "seq"], name="audit_checkpoint_unique_seq")
        ]

    def __str__(self) -> str:
        return f"{self.partition}:{self.seq}"


class SigningKey(models.Model):
    """A platform SM2 key pair. The private key is sealed with SEAL_KEY_ENCRYPTION_KEY (SM4-GCM).

    Rotation marks the old key retired and keeps its public key, so old signatures stay verifiable.
    """

    class Purpose(models.TextChoices):
        AUDIT_CHECKPOINT = "audit_checkpoint", _("审计检查点签名")

    purpose = models.CharField(_("用途"), max_length=32, choices=Purpose.choices)
    fingerprint = models.CharField(_("公钥指纹"), max_length=64, unique=True)
    public_key_pem = models.TextField(_("公钥"))
    sealed_private_key = models.TextField(_("加密私钥"), blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("签名密钥")
        verbose_name_plural = _("签名密钥")
        ordering = ["purpose", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose"], condition=models.Q(is_active=True), name="signing_key_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.fingerprint[:16]}"
