from django.db import models
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("自然人")
    ENTERPRISE = "enterprise", _("法人（企业成员）")
    STAFF = "staff", _("工作人员")


class Role(models.TextChoices):
    """Staff roles. The scope column says what each role is bound to."""

    WINDOW_CLERK = "window_clerk", _("综合窗口人员")
    CATALOG_EDITOR = "catalog_editor", _("部门事项编辑")
    REVIEWER = "reviewer", _("部门审核人员")
    HEAD = "head", _("部门负责人")
    HALL_MANAGER = "hall_manager", _("大厅管理员")
    HOTLINE_OPERATOR = "hotline_operator", _("热线坐席")
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    SUPERVISOR = "supervisor", _("效能监督员")


DEPARTMENT_ROLES = frozenset({Role.CATALOG_EDITOR, Role.REVIEWER, Role.HEAD})
HALL_ROLES = frozenset({Role.WINDOW_CLERK, Role.HALL_MANAGER})
GLOBAL_ROLES = frozenset({Role.HOTLINE_OPERATOR, Role.PLATFORM_ADMIN, Role.SUPERVISOR})


class OtpPurpose(models.TextChoices):
    REGISTER = "register", _("注册")
    RESET_PASSWORD = "reset_password", _("找回密码")
    CHANGE_MOBILE = "change_mobile", _("更换手机号")


# The privacy notice (《个人信息保护法》): its version is stored with each acceptance.
PRIVACY_NOTICE_VERSION = "2026-11"

OTP_LENGTH = 6
OTP_MAX_ATTEMPTS = 5  # wrong codes before a code is void
OTP_RESEND_SECONDS = 60  # at most one code per mobile and purpose per minute
OTP_MAX_PER_HOUR = 5  # and five an hour
LOGIN_RATE_PER_MINUTE = 10  # login attempts per client address (the page; the API uses DRF throttling)
