from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bianmin.accounts.constants import OtpPurpose, Role, UserKind
from bianmin.core.fields import EncryptedTextField
from bianmin.core.masking import mask_id_card, mask_mobile
from bianmin.core.models import TimeStampedModel
from bianmin.core.validators import validate_uscc


class User(AbstractUser):
    """Everyone who signs in. Personal numbers are encrypted; *_hash columns allow exact lookup."""

    kind = models.CharField(_("用户类型"), max_length=16, choices=UserKind.choices, default=UserKind.CITIZEN)
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    id_card_no = EncryptedTextField(_("身份证号"), blank=True, default="")
    id_card_hash = models.CharField(
        _("身份证号索引"), max_length=64, blank=True, db_index=True, editable=False
    )
    mobile = EncryptedTextField(_("手机号"), blank=True, default="")
    mobile_hash = models.CharField(_("手机号索引"), max_length=64, blank=True, db_index=True, editable=False)
    mobile_verified_at = models.DateTimeField(_("手机验证时间"), null=True, blank=True)
    privacy_accepted_at = models.DateTimeField(_("同意隐私政策时间"), null=True, blank=True)
    privacy_version = models.CharField(_("隐私政策版本"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["id_card_hash"], condition=~models.Q(id_card_hash=""), name="user_unique_id_card"
            ),
            models.UniqueConstraint(
                fields=["mobile_hash"], condition=~models.Q(mobile_hash=""), name="user_unique_mobile"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def masked_id_card(self) -> str:
        return mask_id_card(self.id_card_no)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def is_staff_user(self) -> bool:
        return self.kind == UserKind.STAFF


class Enterprise(TimeStampedModel):
    """A legal person (法人) that applies through its member accounts."""

    name = models.CharField(_("名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    legal_representative = models.CharField(_("法定代表人"), max_length=64)
    legal_representative_id_card_no = EncryptedTextField(_("法定代表人身份证号"), blank=True, default="")
    address = models.CharField(_("住所"), max_length=200, blank=True)
    object_type = models.CharField(
        _("服务对象类别"), max_length=1, default="2", help_text=_("国家服务对象代码，2=企业法人")
    )
    members = models.ManyToManyField(
        User,
        through="EnterpriseMembership",
        through_fields=("enterprise", "user"),
        related_name="enterprises",
    )

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EnterpriseMembership(TimeStampedModel):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    is_admin = models.BooleanField(_("企业管理员"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)
    added_by = models.ForeignKey(
        User, verbose_name=_("添加人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("企业成员")
        verbose_name_plural = _("企业成员")
        constraints = [models.UniqueConstraint(fields=["enterprise", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.enterprise} / {self.user}"


class RoleAssignment(TimeStampedModel):
    """A staff role with its scope: a department (editor, reviewer, head), a hall (clerk, manager) or none."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    hall = models.ForeignKey(
        "organisations.Hall",
        verbose_name=_("大厅"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    is_active = models.BooleanField(_("有效"), default=True)
    granted_by = models.ForeignKey(
        User, verbose_name=_("授权人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "department", "hall"], name="role_assignment_unique"
            ),
            # NULLs are distinct in a unique index on both databases: the scoped variants need their own.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(department__isnull=True, hall__isnull=True),
                name="role_assignment_unique_unscoped",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "department"],
                condition=Q(department__isnull=False, hall__isnull=True),
                name="role_assignment_unique_department",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "hall"],
                condition=Q(department__isnull=True, hall__isnull=False),
                name="role_assignment_unique_hall",
            ),
        ]

    def __str__(self) -> str:
        scope = self.department or self.hall or ""
        return f"{self.user} · {self.get_role_display()} {scope}".strip()


class OneTimeCode(TimeStampedModel):
    """A code sent by SMS; only its hash is stored."""

    mobile_hash = models.CharField(_("手机号索引"), max_length=64, db_index=True)
    purpose = models.CharField(_("用途"), max_length=16, choices=OtpPurpose.choices)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    expires_at = models.DateTimeField(_("过期时间"))
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")


class ExternalIdentity(TimeStampedModel):
    """A link between a user and an external identity provider's subject (统一身份认证)."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="external_identities"
    )
    provider = models.CharField(_("身份提供方"), max_length=32)
    subject = models.CharField(_("外部标识"), max_length=200)

    class Meta:
        verbose_name = _("外部身份")
        verbose_name_plural = _("外部身份")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"
