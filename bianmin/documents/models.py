"""Electronic seals (电子印章, GB/T 38540 fields) and their SM2 key versions.

One 行政审批专用章 per approving unit (一枚印章管审批). A seal holds several key versions: rotation
adds a new one and retires the old, whose public key stays published so old signatures still verify.
Private keys are stored only sealed with SM4-GCM under settings.SEAL_KEY_ENCRYPTION_KEY (documents.sm2).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bianmin.core.models import TimeStampedModel


class SealType(models.TextChoices):
    """GB/T 38540 SES_ESPropertyInfo.type: 1 单位印章, 2 个人印章; we issue unit seals of the approval kind."""

    APPROVAL = "approval", _("行政审批专用章")
    OFFICIAL = "official", _("单位公章")


class Seal(TimeStampedModel):
    department = models.OneToOneField(
        "organisations.Department", verbose_name=_("用章单位"), on_delete=models.PROTECT, related_name="seal"
    )
    code = models.CharField(
        _("印章标识"),
        max_length=40,
        unique=True,
        help_text=_("GB/T 38540 esID：单位统一社会信用代码 + 印章类型 + 序号。"),
    )
    name = models.CharField(_("印章名称"), max_length=120)
    seal_type = models.CharField(
        _("印章类型"), max_length=16, choices=SealType.choices, default=SealType.APPROVAL
    )
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期止"))
    image_svg = models.TextField(_("印章图像（SVG）"))
    image_width_mm = models.PositiveSmallIntegerField(_("图像宽度（毫米）"), default=42)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("制章人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("电子印章")
        verbose_name_plural = _("电子印章")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SealKey(models.Model):
    """One SM2 key pair of a seal. Only the current one signs; every one keeps verifying."""

    seal = models.ForeignKey(Seal, verbose_name=_("印章"), on_delete=models.PROTECT, related_name="keys")
    version = models.PositiveIntegerField(_("密钥版本"))
    public_key_pem = models.TextField(_("签章人SM2公钥"))
    fingerprint = models.CharField(_("公钥指纹（SM3）"), max_length=64, unique=True)
    sealed_private_key = models.TextField(_("加密私钥"), editable=False)
    is_current = models.BooleanField(_("当前密钥"), default=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("印章密钥")
        verbose_name_plural = _("印章密钥")
        ordering = ["seal", "version"]
        constraints = [
            models.UniqueConstraint(fields=["seal", "version"], name="seal_key_unique_version"),
            models.UniqueConstraint(
                fields=["seal"], condition=models.Q(is_current=True), name="seal_key_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seal.code} v{self.version}"

    def __repr__(self) -> str:  # never show the sealed private key
        return f"<SealKey {self.seal_id} v{self.version} {self.fingerprint[:12]}>"
