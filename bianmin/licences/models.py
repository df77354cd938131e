"""The licence catalogue (证照目录) and issued licences (电子证照), GB/T 36903/36904 metadata.

A licence row is one signed version: renewal (延续) and change (变更) issue a new version with the same
serial and licence number, a version number + 1 and `previous` pointing back; the old one becomes
superseded. Only licences/services.py writes these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bianmin.core.fields import EncryptedTextField
from bianmin.core.models import TimeStampedModel
from bianmin.licences.constants import (
    HolderCodeType,
    HolderKind,
    LicenceSource,
    LicenceStatus,
    RevocationKind,
)


class LicenceType(TimeStampedModel):
    code = models.CharField(
        _("证照类型代码"),
        max_length=21,
        unique=True,
        help_text=_("证照定义机构统一社会信用代码（18位）+ 3位顺序号。"),
    )
    name = models.CharField(_("证照类型名称"), max_length=100)
    local_code = models.CharField(
        _("本地简码"),
        max_length=32,
        blank=True,
        db_index=True,
        help_text=_("事项材料里引用该证照类型的本地代码（如 BUSINESS_LICENCE），与国家类型代码同样可用。"),
    )
    definer_name = models.CharField(_("证照定义机构"), max_length=100)
    issuing_department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("颁发部门"),
        on_delete=models.PROTECT,
        related_name="licence_types",
    )
    items = models.ManyToManyField(
        "catalog.ServiceItem", verbose_name=_("产生该证照的事项"), blank=True, related_name="licence_types"
    )
    holder_kind = models.CharField(
        _("持证主体类型"), max_length=16, choices=HolderKind.choices, default=HolderKind.ANY
    )
    number_prefix = models.CharField(_("证照编号前缀"), max_length=16, blank=True)
    fields = models.JSONField(
        _("照面字段"),
        default=list,
        blank=True,
        help_text=_('[{"key": "business_scope", "label": "经营项目", "kind": "text", "form_key": "…"}]'),
    )
    validity_years = models.PositiveSmallIntegerField(
        _("有效期（年）"), default=5, help_text=_("0 表示长期有效。")
    )
    template = models.CharField(_("版式模板"), max_length=100, default="licences/pdf/licence.html")
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("证照类型")
        verbose_name_plural = _("证照目录")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Licence(TimeStampedModel):
    identifier = models.CharField(_("电子证照标识"), max_length=128, unique=True)
    licence_type = models.ForeignKey(
        LicenceType, verbose_name=_("证照类型"), on_delete=models.PROTECT, related_name="licences"
    )
    serial = models.CharField(_("流水号"), max_length=40)
    version = models.PositiveSmallIntegerField(_("版本号"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("上一版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    licence_no = models.CharField(_("证照编号"), max_length=64, db_index=True)
    holder_name = models.CharField(_("持证主体"), max_length=200)
    holder_code = EncryptedTextField(_("持证主体代码"))
    holder_code_hash = models.CharField(_("持证主体代码索引"), max_length=64, db_index=True)
    holder_code_masked = models.CharField(_("持证主体代码（脱敏）"), max_length=32)
    holder_code_type = models.CharField(_("持证主体代码类型"), max_length=16, choices=HolderCodeType.choices)
    issuer = models.ForeignKey(
        "organisations.Department", verbose_name=_("颁发机构"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("颁发日期"))
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期止"), null=True, blank=True, db_index=True)
    data = models.JSONField(_("照面信息"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=LicenceStatus.choices, default=LicenceStatus.VALID, db_index=True
    )
    revocation_kind = models.CharField(
        _("注销/吊销"), max_length=16, choices=RevocationKind.choices, blank=True, default=""
    )
    revoked_on = models.DateField(_("注销/吊销日期"), null=True, blank=True)
    revocation_reason = models.TextField(_("注销/吊销原因"), blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=LicenceSource.choices)
    change_reason = models.TextField(_("延续/变更说明"), blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    canonical_json = EncryptedTextField(_("规范化数据"))
    digest_sm3 = models.CharField(_("数据摘要（SM3）"), max_length=64)
    signature = models.TextField(_("SM2签名（DER，十六进制）"))
    seal = models.ForeignKey(
        "documents.Seal", verbose_name=_("电子印章"), on_delete=models.PROTECT, related_name="+"
    )
    key_version = models.PositiveIntegerField(_("密钥版本"))
    key_fingerprint = models.CharField(_("公钥指纹"), max_length=64)
    pdf = models.FileField(_("版式文件（PDF）"), upload_to="licences/%Y/", blank=True, max_length=200)
    pdf_sm3 = models.CharField(_("版式文件摘要（SM3）"), max_length=64, blank=True, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "serial", "version"], name="licence_unique_version"),
        ]
        indexes = [
            models.Index(fields=["holder_code_hash", "status"], name="licence_holder_status"),
            models.Index(fields=["status", "valid_until"], name="licence_status_until"),
        ]

    def __str__(self) -> str:
        return f"{self.licence_type.name} {self.licence_no}"

    @property
    def is_current_version(self) -> bool:
        return self.status != LicenceStatus.SUPERSEDED


class LicenceSerialCounter(models.Model):
    """Daily serials per issuer (流水号 = date + 6 digits), locked while one is handed out."""

    issuer = models.ForeignKey(
        "organisations.Department", verbose_name=_("颁发机构"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("日期"))
    last_serial = models.PositiveIntegerField(_("最后序号"), default=0)

    class Meta:
        verbose_name = _("证照流水号计数器")
        verbose_name_plural = _("证照流水号计数器")
        constraints = [models.UniqueConstraint(fields=["issuer", "day"], name="licence_counter_unique_day")]

    def __str__(self) -> str:
        return f"{self.issuer_id} {self.day} {self.last_serial}"


class LicenceAccessLog(models.Model):
    """数据共享: who queried whose licences, why, for which case."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查询人"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("查询部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holder_code_hash = models.CharField(_("持证主体代码索引"), max_length=64, db_index=True)
    holder_code_masked = models.CharField(_("持证主体代码（脱敏）"), max_length=32)
    purpose = models.CharField(_("用途"), max_length=200)
    case_number = models.CharField(_("办件编号"), max_length=40, blank=True)
    result_count = models.PositiveIntegerField(_("返回证照数"), default=0)
    licence_ids = models.JSONField(_("返回证照"), default=list, blank=True)

    class Meta:
        verbose_name = _("证照共享查询记录")
        verbose_name_plural = _("证照共享查询记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.requested_by_id} {self.purpose}"
