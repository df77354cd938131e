from django.utils.translation import gettext_lazy as _

from bianmin.core.exceptions import ApplicationError, NotFound, PermissionDenied, ValidationFailed


class AccountInvalid(ValidationFailed):
    code = "account_invalid"


class OtpInvalid(ValidationFailed):
    code = "otp_invalid"

    def __init__(self, message=None, **kwargs):
        super().__init__(
            message or _("验证码不正确，请核对短信中的6位数字。"),
            fields={"code": [_("验证码不正确。")]},
            **kwargs,
        )


class OtpExpired(ValidationFailed):
    code = "otp_expired"

    def __init__(self, message=None, **kwargs):
        super().__init__(
            message or _("验证码已过期或已使用，请重新获取。"),
            fields={"code": [_("验证码已过期。")]},
            **kwargs,
        )


class OtpTooManyAttempts(ApplicationError):
    code = "otp_too_many_attempts"
    http_status = 429

    def __init__(self, message=None, **kwargs):
        super().__init__(
            message or _("验证码错误次数过多，请重新获取验证码。"),
            fields={"code": [_("错误次数过多。")]},
            **kwargs,
        )


class OtpRateLimited(ApplicationError):
    code = "otp_rate_limited"
    http_status = 429

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("验证码发送过于频繁，请稍后再试。"), **kwargs)


class AccountPermissionDenied(PermissionDenied):
    code = "account_permission_denied"


class AccountNotFound(NotFound):
    code = "account_not_found"


class OidcError(ApplicationError):
    code = "oidc_error"
    http_status = 400
