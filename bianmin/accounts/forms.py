from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from bianmin.accounts.constants import PRIVACY_NOTICE_VERSION
from bianmin.core.validators import (
    is_valid_id_card,
    is_valid_uscc,
    normalise_id_card,
    normalise_uscc,
    validate_mobile,
)


class StyledMixin:
    """Adds the stylesheet's .form-control class to every input (checkboxes keep their own look)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput | forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")


def apply_service_errors(form: forms.Form, exc) -> None:
    """Show a service refusal next to its fields (or on top of the form)."""
    placed = False
    for field, messages in (exc.fields or {}).items():
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            form.add_error(field if field in form.fields else None, str(message))
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


class LoginForm(StyledMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _("用户名（手机号）或密码不正确。连续输错5次，账号将被锁定30分钟。"),
        "inactive": _("该账号已停用。"),
    }


class MobileField(forms.CharField):
    default_validators = [validate_mobile]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("手机号"))
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))
        super().__init__(**kwargs)


class SendCodeForm(StyledMixin, forms.Form):
    mobile = MobileField()


class RegisterForm(StyledMixin, forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=32, required=False)
    id_card_no = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    mobile = MobileField()
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    username = forms.CharField(
        label=_("用户名（可选）"),
        max_length=32,
        required=False,
        help_text=_("可用手机号登录，用户名可不填。"),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        help_text=_("至少8位，不能全为数字，不能过于简单。"),
    )
    password2 = forms.CharField(
        label=_("确认密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
    )
    privacy_accepted = forms.BooleanField(label=_("我已阅读并同意《个人信息保护政策》"), required=False)
    privacy_version = forms.CharField(
        widget=forms.HiddenInput, initial=PRIVACY_NOTICE_VERSION, required=False
    )

    def clean_id_card_no(self):
        value = normalise_id_card(self.cleaned_data["id_card_no"])
        if value and not is_valid_id_card(value):
            raise forms.ValidationError(_("身份证号码不正确：请核对18位号码（含最后一位校验码）。"))
        return value

    def clean(self):
        data = super().clean()
        if self.data.get("action") == "send_code":
            return data
        if not data.get("full_name") and "full_name" not in self.errors:
            self.add_error("full_name", _("请填写与身份证一致的姓名。"))
        if not data.get("id_card_no") and "id_card_no" not in self.errors:
            self.add_error("id_card_no", _("请填写18位身份证号码。"))
        if not data.get("code"):
            self.add_error("code", _("请输入短信验证码。"))
        if not data.get("password"):
            self.add_error("password", _("请设置密码。"))
        elif data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        if not data.get("privacy_accepted"):
            self.add_error("privacy_accepted", _("请阅读并同意《个人信息保护政策》后再注册。"))
        return data


class PasswordResetForm(StyledMixin, forms.Form):
    mobile = MobileField()
    code = forms.CharField(label=_("短信验证码"), max_length=6, required=False)
    new_password = forms.CharField(label=_("新密码"), strip=False, widget=forms.PasswordInput, required=False)
    new_password2 = forms.CharField(
        label=_("确认新密码"), strip=False, widget=forms.PasswordInput, required=False
    )

    def clean(self):
        data = super().clean()
        if self.data.get("action") == "send_code":
            return data
        if not data.get("code"):
            self.add_error("code", _("请输入短信验证码。"))
        if not data.get("new_password"):
            self.add_error("new_password", _("请设置新密码。"))
        elif data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的密码不一致。"))
        return data


class PrivacyAcceptForm(StyledMixin, forms.Form):
    accept = forms.BooleanField(label=_("我已阅读并同意本政策"), required=True)
    version = forms.CharField(widget=forms.HiddenInput, initial=PRIVACY_NOTICE_VERSION)


class EnterpriseRegisterForm(StyledMixin, forms.Form):
    name = forms.CharField(label=_("企业名称"), max_length=200)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=64)
    address = forms.CharField(label=_("住所"), max_length=200, required=False)

    def clean_uscc(self):
        value = normalise_uscc(self.cleaned_data["uscc"])
        if not is_valid_uscc(value):
            raise forms.ValidationError(
                _("统一社会信用代码不正确：应为18位，且校验码符合国家标准 GB 32100。")
            )
        return value


class MemberAddForm(StyledMixin, forms.Form):
    full_name = forms.CharField(label=_("成员姓名"), max_length=32)
    mobile = MobileField(label=_("成员手机号"))
    is_admin = forms.BooleanField(label=_("设为企业管理员"), required=False)


class MobileChangeForm(StyledMixin, forms.Form):
    mobile = MobileField(label=_("新手机号"))
    code = forms.CharField(label=_("短信验证码"), max_length=6, required=False)
    password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if self.data.get("action") == "send_code":
            return data
        if not data.get("code"):
            self.add_error("code", _("请输入短信验证码。"))
        if not data.get("password"):
            self.add_error("password", _("请输入当前密码。"))
        return data
