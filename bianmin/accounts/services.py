"""The one write path for accounts: registration by SMS code, password reset, privacy consent, enterprises and
their members, staff accounts and role grants, links to external identity providers. Every change is audited.

Personal numbers are set only through `_set_identity`, which keeps the keyed lookup hashes beside them.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from bianmin.accounts import rules
from bianmin.accounts.constants import (
    DEPARTMENT_ROLES,
    GLOBAL_ROLES,
    HALL_ROLES,
    OTP_LENGTH,
    OTP_MAX_ATTEMPTS,
    OTP_MAX_PER_HOUR,
    OTP_RESEND_SECONDS,
    PRIVACY_NOTICE_VERSION,
    OtpPurpose,
    Role,
    UserKind,
)
from bianmin.accounts.exceptions import (
    AccountInvalid,
    AccountNotFound,
    AccountPermissionDenied,
    OtpExpired,
    OtpInvalid,
    OtpRateLimited,
    OtpTooManyAttempts,
)
from bianmin.accounts.models import (
    Enterprise,
    EnterpriseMembership,
    ExternalIdentity,
    OneTimeCode,
    RoleAssignment,
    User,
)
from bianmin.audit.services import audit_record
from bianmin.core.crypto import pii_hash
from bianmin.core.masking import mask_mobile
from bianmin.core.validators import (
    MOBILE_RE,
    is_valid_id_card,
    is_valid_uscc,
    normalise_id_card,
    normalise_uscc,
)
from bianmin.notifications.senders import get_sms_sender

USERNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{2,31}$")
FULL_NAME_RE = re.compile(r"^[\u4e00-\u9fa5·A-Za-z .]{2,32}$")


def _set_identity(user: User, *, id_card_no: str | None = None, mobile: str | None = None) -> None:
    if id_card_no is not None:
        user.id_card_no = normalise_id_card(id_card_no)
        user.id_card_hash = pii_hash(user.id_card_no)
    if mobile is not None:
        user.mobile = mobile.strip()
        user.mobile_hash = pii_hash(user.mobile)


def user_by_mobile(mobile: str) -> User | None:
    return User.objects.filter(mobile_hash=pii_hash((mobile or "").strip())).first() if mobile else None


def _actor_role(user) -> str:
    if user is None:
        return "system"
    if rules.is_platform_admin(user):
        return Role.PLATFORM_ADMIN
    return user.kind


# One-time codes -----------------------------------------------------------------------------------


def _code_hash(mobile_hash: str, purpose: str, code: str) -> str:
    return pii_hash(f"otp:{purpose}:{mobile_hash}:{code}")


def _validate_mobile(mobile: str) -> str:
    mobile = (mobile or "").strip()
    if not MOBILE_RE.fullmatch(mobile):
        message = _("手机号码应为11位中国大陆手机号。")
        raise AccountInvalid(message, fields={"mobile": [message]})
    return mobile


@transaction.atomic
def otp_send(*, mobile: str, purpose: str) -> OneTimeCode | None:
    """Send a 6-digit code. Refused when sent too often. A reset code for an unknown number is silently not sent
    (the answer is the same, so the form does not reveal who is registered)."""
    from django.conf import settings

    mobile = _validate_mobile(mobile)
    if purpose not in OtpPurpose.values:
        raise AccountInvalid(_("验证码用途不正确。"))
    mobile_hash = pii_hash(mobile)
    if purpose in (OtpPurpose.REGISTER, OtpPurpose.CHANGE_MOBILE) and (
        User.objects.filter(mobile_hash=mobile_hash).exists()
    ):
        message = _("该手机号已注册，请直接登录；如忘记密码，请使用“找回密码”。")
        raise AccountInvalid(message, fields={"mobile": [message]})
    now = timezone.now()
    recent = OneTimeCode.objects.filter(
        mobile_hash=mobile_hash, purpose=purpose, created_at__gte=now - dt.timedelta(hours=1)
    )
    if (
        recent.filter(created_at__gt=now - dt.timedelta(seconds=OTP_RESEND_SECONDS)).exists()
        or recent.count() >= OTP_MAX_PER_HOUR
    ):
        raise OtpRateLimited()
    if purpose == OtpPurpose.RESET_PASSWORD and not User.objects.filter(mobile_hash=mobile_hash).exists():
        return None
    recent.filter(used_at__isnull=True).update(used_at=now)  # only the newest code works
    code = f"{secrets.randbelow(10**OTP_LENGTH):0{OTP_LENGTH}d}"
    otp = OneTimeCode.objects.create(
        mobile_hash=mobile_hash,
        purpose=purpose,
        code_hash=_code_hash(mobile_hash, purpose, code),
        expires_at=now + dt.timedelta(seconds=settings.OTP_TTL_SECONDS),
    )
    audit_record(
        actor=None,
        action="otp.send",
        target=otp,
        object_repr=mask_mobile(mobile),
        changes={"purpose": purpose},
    )
    minutes = settings.OTP_TTL_SECONDS // 60
    text = _("【%(site)s】您的验证码是%(code)s，%(minutes)d分钟内有效，请勿告诉他人。") % {
        "site": settings.SITE_NAME,
        "code": code,
        "minutes": minutes,
    }
    get_sms_sender().send(mobile=mobile, text=text)
    return otp


def otp_verify(*, mobile: str, purpose: str, code: str) -> None:
    """Consume the newest code. A wrong attempt is counted in its own transaction, so that it sticks even though
    the caller's work is refused: callers must not wrap this in an outer transaction."""
    mobile_hash = pii_hash((mobile or "").strip())
    code = (code or "").strip()
    error = None
    with transaction.atomic():
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(mobile_hash=mobile_hash, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        now = timezone.now()
        if otp is None or otp.expires_at <= now:
            error = OtpExpired()
        elif otp.attempts >= OTP_MAX_ATTEMPTS:
            error = OtpTooManyAttempts()
        elif not constant_time_compare(otp.code_hash, _code_hash(mobile_hash, purpose, code)):
            otp.attempts += 1
            otp.save(update_fields=["attempts", "updated_at"])
            error = OtpTooManyAttempts() if otp.attempts >= OTP_MAX_ATTEMPTS else OtpInvalid()
        else:
            otp.used_at = now
            otp.save(update_fields=["used_at", "updated_at"])
    if error is not None:
        raise error


# Registration, password reset, privacy -------------------------------------------------------------


def _password_errors(password: str, user: User) -> list[str]:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        return [str(m) for m in exc.messages]
    return []


def citizen_register(
    *,
    full_name: str,
    id_card_no: str,
    mobile: str,
    code: str,
    password: str,
    privacy_accepted: bool,
    privacy_version: str = PRIVACY_NOTICE_VERSION,
    username: str = "",
) -> User:
    """A natural person registers with a verified mobile number. Everything is checked before the code is used."""
    errors: dict[str, list[str]] = {}
    full_name = (full_name or "").strip()
    id_card_no = normalise_id_card(id_card_no)
    mobile = (mobile or "").strip()
    username = (username or "").strip()
    if not FULL_NAME_RE.fullmatch(full_name):
        errors["full_name"] = [_("请填写与身份证一致的姓名（2至32个字）。")]
    if not is_valid_id_card(id_card_no):
        errors["id_card_no"] = [_("身份证号码不正确：请核对18位号码（含最后一位校验码）。")]
    elif User.objects.filter(id_card_hash=pii_hash(id_card_no)).exists():
        errors["id_card_no"] = [_("该身份证号已注册，请直接登录；如忘记密码，请使用“找回密码”。")]
    if not MOBILE_RE.fullmatch(mobile):
        errors["mobile"] = [_("手机号码应为11位中国大陆手机号。")]
    elif User.objects.filter(mobile_hash=pii_hash(mobile)).exists():
        errors["mobile"] = [_("该手机号已注册，请直接登录；如忘记密码，请使用“找回密码”。")]
    if username:
        if not USERNAME_RE.fullmatch(username):
            errors["username"] = [_("用户名应以字母开头，3至32位字母、数字或 _ . -。")]
        elif User.objects.filter(username__iexact=username).exists():
            errors["username"] = [_("该用户名已被使用。")]
    if not privacy_accepted or privacy_version != PRIVACY_NOTICE_VERSION:
        errors["privacy_accepted"] = [_("请阅读并同意《个人信息保护政策》后再注册。")]
    user = User(
        username=username or f"m{pii_hash(mobile)[:12]}",
        kind=UserKind.CITIZEN,
        full_name=full_name,
    )
    password_problems = _password_errors(password, user)
    if password_problems:
        errors["password"] = password_problems
    if errors:
        first = next(iter(errors.values()))[0]
        raise AccountInvalid(first, fields=errors)

    otp_verify(mobile=mobile, purpose=OtpPurpose.REGISTER, code=code)

    now = timezone.now()
    _set_identity(user, id_card_no=id_card_no, mobile=mobile)
    user.mobile_verified_at = now
    user.privacy_accepted_at = now
    user.privacy_version = privacy_version
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            audit_record(
                actor=user,
                action="user.register",
                target=user,
                changes={"kind": user.kind, "privacy_version": privacy_version},
                role=user.kind,
            )
    except IntegrityError:
        raise AccountInvalid(_("该身份证号或手机号已注册。"))
    return user


def password_reset(*, mobile: str, code: str, new_password: str) -> User:
    mobile = (mobile or "").strip()
    user = user_by_mobile(mobile)
    problems = _password_errors(new_password, user or User())
    if problems:
        raise AccountInvalid(problems[0], fields={"new_password": problems})
    otp_verify(mobile=mobile, purpose=OtpPurpose.RESET_PASSWORD, code=code)
    if user is None:  # no code is ever sent to an unknown number, so this is not reached in practice
        raise OtpExpired()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="user.password_reset", target=user, role=user.kind)
    try:
        from axes.handlers.proxy import AxesProxyHandler

        AxesProxyHandler.reset_attempts(username=user.username)
    except Exception:  # axes is optional at this point; a reset password still works
        pass
    return user


def mobile_change(*, user: User, new_mobile: str, code: str, password: str) -> User:
    """A signed-in person moves to a new number: current password + a code sent to the new number."""
    new_mobile = _validate_mobile(new_mobile)
    if not user.has_usable_password() or not user.check_password(password or ""):
        message = _("当前密码不正确。")
        raise AccountInvalid(message, fields={"password": [message]})
    if User.objects.filter(mobile_hash=pii_hash(new_mobile)).exclude(pk=user.pk).exists():
        message = _("该手机号已被其他账号使用。")
        raise AccountInvalid(message, fields={"mobile": [message]})
    otp_verify(mobile=new_mobile, purpose=OtpPurpose.CHANGE_MOBILE, code=code)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        old_masked = mask_mobile(locked.mobile)
        _set_identity(locked, mobile=new_mobile)
        locked.mobile_verified_at = timezone.now()
        try:
            with transaction.atomic():
                locked.save(update_fields=["mobile", "mobile_hash", "mobile_verified_at"])
        except IntegrityError:
            raise AccountInvalid(_("该手机号已被其他账号使用。"))
        audit_record(
            actor=locked,
            action="user.mobile_change",
            target=locked,
            changes={"mobile": [old_masked, mask_mobile(new_mobile)]},
            role=locked.kind,
        )
    return locked


@transaction.atomic
def privacy_accept(*, user: User, version: str = PRIVACY_NOTICE_VERSION) -> User:
    if version != PRIVACY_NOTICE_VERSION:
        raise AccountInvalid(_("隐私政策已更新，请阅读最新版本后再同意。"))
    user = User.objects.select_for_update().get(pk=user.pk)
    user.privacy_accepted_at = timezone.now()
    user.privacy_version = version
    user.save(update_fields=["privacy_accepted_at", "privacy_version"])
    audit_record(
        actor=user, action="user.privacy_accept", target=user, changes={"version": version}, role=user.kind
    )
    return user


def needs_privacy_consent(user) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.kind != UserKind.STAFF
        and user.privacy_version != PRIVACY_NOTICE_VERSION
    )


# Enterprises --------------------------------------------------------------------------------------


@transaction.atomic
def enterprise_register(
    *,
    acting_user: User,
    name: str,
    uscc: str,
    legal_representative: str,
    legal_representative_id_card_no: str = "",
    address: str = "",
) -> Enterprise:
    """An applicant registers an enterprise and becomes its administrator."""
    if not rules.is_applicant(acting_user):
        raise AccountPermissionDenied(_("只有办事人账号可以登记企业。"))
    errors: dict[str, list[str]] = {}
    uscc = normalise_uscc(uscc)
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("请填写企业名称。")]
    if not is_valid_uscc(uscc):
        errors["uscc"] = [_("统一社会信用代码不正确：应为18位，且校验码符合国家标准 GB 32100。")]
    elif Enterprise.objects.filter(uscc=uscc).exists():
        errors["uscc"] = [_("该企业已登记，请联系企业管理员将您添加为成员。")]
    if not (legal_representative or "").strip():
        errors["legal_representative"] = [_("请填写法定代表人姓名。")]
    if legal_representative_id_card_no and not is_valid_id_card(legal_representative_id_card_no):
        errors["legal_representative_id_card_no"] = [
            _("身份证号码不正确：请核对18位号码（含最后一位校验码）。")
        ]
    if errors:
        raise AccountInvalid(next(iter(errors.values()))[0], fields=errors)
    enterprise = Enterprise.objects.create(
        name=name,
        uscc=uscc,
        legal_representative=legal_representative.strip(),
        legal_representative_id_card_no=normalise_id_card(legal_representative_id_card_no),
        address=(address or "").strip(),
    )
    EnterpriseMembership.objects.create(
        enterprise=enterprise, user=acting_user, is_admin=True, added_by=acting_user
    )
    audit_record(
        actor=acting_user,
        action="enterprise.register",
        target=enterprise,
        changes={"uscc": uscc, "admin": acting_user.pk},
        role=acting_user.kind,
    )
    return enterprise


def _require_enterprise_admin(acting_user, enterprise: Enterprise) -> None:
    if enterprise.pk not in rules.enterprise_ids(acting_user):
        raise AccountNotFound(_("未找到该企业。"))
    if not rules.can_manage_enterprise(acting_user, enterprise):
        raise AccountPermissionDenied(_("只有企业管理员可以管理企业成员。"))


@transaction.atomic
def enterprise_member_add(
    *, enterprise: Enterprise, acting_user: User, mobile: str, full_name: str, is_admin: bool = False
) -> EnterpriseMembership:
    """Add a registered person as a member. Name and mobile must both match, so numbers cannot be probed."""
    _require_enterprise_admin(acting_user, enterprise)
    user = user_by_mobile(mobile)
    if user is None or user.full_name != (full_name or "").strip() or user.kind == UserKind.STAFF:
        raise AccountNotFound(
            _("未找到姓名与手机号匹配的已注册用户，请对方先注册后再添加。"),
            fields={"mobile": [_("未找到匹配的已注册用户。")]},
        )
    membership = (
        EnterpriseMembership.objects.select_for_update().filter(enterprise=enterprise, user=user).first()
    )
    if membership and membership.is_active:
        raise AccountInvalid(_("该用户已是本企业成员。"), fields={"mobile": [_("已是成员。")]})
    if membership is None:
        membership = EnterpriseMembership(enterprise=enterprise, user=user)
    membership.is_active = True
    membership.is_admin = bool(is_admin)
    membership.added_by = acting_user
    membership.save()
    audit_record(
        actor=acting_user,
        action="enterprise.member_add",
        target=enterprise,
        changes={"member": user.pk, "is_admin": bool(is_admin)},
        role="enterprise_admin",
    )
    return membership


@transaction.atomic
def enterprise_member_remove(
    *, enterprise: Enterprise, acting_user: User, membership: EnterpriseMembership
) -> None:
    _require_enterprise_admin(acting_user, enterprise)
    membership = EnterpriseMembership.objects.select_for_update().get(pk=membership.pk, enterprise=enterprise)
    if not membership.is_active:
        raise AccountNotFound(_("该成员已被移除。"))
    if membership.is_admin:
        admins = EnterpriseMembership.objects.filter(enterprise=enterprise, is_admin=True, is_active=True)
        if admins.exclude(pk=membership.pk).count() == 0:
            raise AccountInvalid(_("企业至少需要一名管理员：请先指定其他管理员。"))
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=acting_user,
        action="enterprise.member_remove",
        target=enterprise,
        changes={"member": membership.user_id},
        role="enterprise_admin",
    )


# Staff and roles ----------------------------------------------------------------------------------


def _require_platform_admin(acting_user) -> None:
    """acting_user=None is the system itself (seed, commands)."""
    if acting_user is not None and not rules.is_platform_admin(acting_user):
        raise AccountPermissionDenied(_("只有平台管理员可以管理工作人员账号和角色。"))


@transaction.atomic
def staff_create(
    *, acting_user: User | None, username: str, full_name: str, mobile: str = "", password: str | None = None
) -> User:
    _require_platform_admin(acting_user)
    username = (username or "").strip()
    if not USERNAME_RE.fullmatch(username):
        raise AccountInvalid(
            _("用户名应以字母开头，3至32位字母、数字或 _ . -。"), fields={"username": ["invalid"]}
        )
    if User.objects.filter(username__iexact=username).exists():
        raise AccountInvalid(_("该用户名已被使用。"), fields={"username": [_("该用户名已被使用。")]})
    if mobile:
        _validate_mobile(mobile)
        if User.objects.filter(mobile_hash=pii_hash(mobile)).exists():
            raise AccountInvalid(_("该手机号已被其他账号使用。"), fields={"mobile": [_("已被使用。")]})
    user = User(username=username, full_name=full_name.strip(), kind=UserKind.STAFF)
    if mobile:
        _set_identity(user, mobile=mobile)
    if password:
        problems = _password_errors(password, user)
        if problems:
            raise AccountInvalid(problems[0], fields={"password": problems})
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        actor=acting_user,
        action="user.staff_create",
        target=user,
        changes={"username": username},
        role=_actor_role(acting_user),
    )
    return user


@transaction.atomic
def role_grant(
    *, acting_user: User | None, user: User, role: str, department=None, hall=None
) -> RoleAssignment:
    """Grant a staff role with its scope: department roles need a department, hall roles a hall, others none."""
    _require_platform_admin(acting_user)
    if role not in Role.values:
        raise AccountInvalid(_("角色不正确。"), fields={"role": [_("角色不正确。")]})
    if user.kind != UserKind.STAFF:
        raise AccountInvalid(_("只能给工作人员账号授予角色。"), fields={"user": [_("不是工作人员账号。")]})
    if role in DEPARTMENT_ROLES and (department is None or hall is not None):
        raise AccountInvalid(_("该角色须指定所属部门。"), fields={"department": [_("请选择部门。")]})
    if role in HALL_ROLES and (hall is None or department is not None):
        raise AccountInvalid(_("该角色须指定所在大厅。"), fields={"hall": [_("请选择大厅。")]})
    if role in GLOBAL_ROLES and (department is not None or hall is not None):
        raise AccountInvalid(_("该角色不绑定部门或大厅。"))
    assignment = (
        RoleAssignment.objects.select_for_update()
        .filter(user=user, role=role, department=department, hall=hall)
        .first()
    )
    if assignment and assignment.is_active:
        raise AccountInvalid(_("该用户已拥有此角色。"), code="role_exists")
    if assignment is None:
        assignment = RoleAssignment(user=user, role=role, department=department, hall=hall)
    assignment.is_active = True
    assignment.granted_by = acting_user
    try:
        with transaction.atomic():  # a concurrent grant of the same role may have won the race
            assignment.save()
    except IntegrityError:
        raise AccountInvalid(_("该用户已拥有此角色。"), code="role_exists") from None
    audit_record(
        actor=acting_user,
        action="role.grant",
        target=assignment,
        changes={
            "user": user.pk,
            "role": role,
            "department": getattr(department, "pk", None),
            "hall": getattr(hall, "pk", None),
        },
        role=_actor_role(acting_user),
    )
    rules.clear_cache(user)
    return assignment


@transaction.atomic
def role_revoke(*, acting_user: User | None, assignment: RoleAssignment) -> RoleAssignment:
    _require_platform_admin(acting_user)
    given_user = assignment.user if RoleAssignment.user.is_cached(assignment) else None
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if not assignment.is_active:
        raise AccountInvalid(_("该角色已撤销。"))
    assignment.is_active = False
    assignment.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=acting_user,
        action="role.revoke",
        target=assignment,
        changes={"user": assignment.user_id, "role": assignment.role},
        role=_actor_role(acting_user),
    )
    rules.clear_cache(assignment.user)
    if given_user is not None:
        rules.clear_cache(given_user)  # the caller's copy of the user, if it has one
    return assignment


# External identity providers (统一身份认证) -----------------------------------------------------------


@transaction.atomic
def external_login(
    *, provider: str, subject: str, id_card_no: str = "", full_name: str = "", mobile: str = ""
) -> User:
    """Map an external identity to a user: the linked one, else the one with the same 身份证号 (linked now),
    else a new citizen (verified by the provider, so no SMS code)."""
    subject = (subject or "").strip()
    if not subject:
        raise AccountInvalid(_("统一身份认证未返回用户标识。"))
    link = ExternalIdentity.objects.select_related("user").filter(provider=provider, subject=subject).first()
    if link:
        return link.user
    id_card_no = normalise_id_card(id_card_no)
    if not is_valid_id_card(id_card_no):
        raise AccountInvalid(_("统一身份认证返回的身份证号码无效，无法登录。"))
    user = User.objects.filter(id_card_hash=pii_hash(id_card_no)).first()
    action = "user.external_link"
    if user is None:
        action = "user.external_register"
        user = User(
            username=f"{provider[:10]}_{pii_hash(id_card_no)[:12]}",
            kind=UserKind.CITIZEN,
            full_name=(full_name or "").strip()[:64],
        )
        _set_identity(user, id_card_no=id_card_no)
        mobile = (mobile or "").strip()
        if MOBILE_RE.fullmatch(mobile) and not User.objects.filter(mobile_hash=pii_hash(mobile)).exists():
            _set_identity(user, mobile=mobile)
        user.set_unusable_password()
        user.save()
    elif user.kind == UserKind.STAFF:
        raise AccountInvalid(_("工作人员账号不能通过统一身份认证登录，请使用工作账号登录。"))
    ExternalIdentity.objects.create(user=user, provider=provider, subject=subject)
    audit_record(actor=user, action=action, target=user, changes={"provider": provider}, role=user.kind)
    return user


USER_ADMIN_FIELDS = ("full_name", "kind", "is_active", "is_staff", "is_superuser", "email")


@transaction.atomic
def user_update(*, acting_user: User | None, user: User, **data) -> User:
    """Platform admins edit an account's flags (the Django admin saves through here). Not personal numbers."""
    _require_platform_admin(acting_user)
    unknown = set(data) - set(USER_ADMIN_FIELDS)
    if unknown:
        raise AccountInvalid(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    user = User.objects.select_for_update().get(pk=user.pk)
    changes = {f: [getattr(user, f), v] for f, v in data.items() if getattr(user, f) != v}
    if not changes:
        return user
    for field, (_old, new) in changes.items():
        setattr(user, field, new)
    user.save(update_fields=list(changes))
    audit_record(
        actor=acting_user, action="user.update", target=user, changes=changes, role=_actor_role(acting_user)
    )
    rules.clear_cache(user)
    return user


@transaction.atomic
def applicant_create_verified(
    *,
    acting_user: User | None,
    username: str,
    full_name: str,
    id_card_no: str,
    mobile: str,
    password: str | None = None,
    kind: str = UserKind.CITIZEN,
) -> User:
    """An applicant account whose identity was verified elsewhere (demo data, a future counter registration).
    The person still accepts the privacy notice at first login."""
    _require_platform_admin(acting_user)
    if kind not in (UserKind.CITIZEN, UserKind.ENTERPRISE):
        raise AccountInvalid(_("用户类型不正确。"))
    id_card_no = normalise_id_card(id_card_no)
    if not is_valid_id_card(id_card_no):
        raise AccountInvalid(_("身份证号码不正确：请核对18位号码（含最后一位校验码）。"))
    _validate_mobile(mobile)
    if User.objects.filter(id_card_hash=pii_hash(id_card_no)).exists() or user_by_mobile(mobile):
        raise AccountInvalid(_("该身份证号或手机号已注册。"))
    user = User(username=username, full_name=full_name, kind=kind, mobile_verified_at=timezone.now())
    _set_identity(user, id_card_no=id_card_no, mobile=mobile)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        actor=acting_user,
        action="user.applicant_create",
        target=user,
        changes={"kind": kind},
        role=_actor_role(acting_user),
    )
    return user
