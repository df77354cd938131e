"""Account pages: login/logout, registration with an SMS code, privacy notice, password reset, profile,
enterprise members, and the 统一身份认证 (OIDC) round trip. Every rule lives in services.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.core.cache import cache
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bianmin.accounts import oidc, rules, selectors, services
from bianmin.accounts.constants import LOGIN_RATE_PER_MINUTE, PRIVACY_NOTICE_VERSION, OtpPurpose
from bianmin.accounts.exceptions import AccountInvalid
from bianmin.accounts.forms import (
    EnterpriseRegisterForm,
    LoginForm,
    MemberAddForm,
    MobileChangeForm,
    PasswordResetForm,
    PrivacyAcceptForm,
    RegisterForm,
    apply_service_errors,
)
from bianmin.accounts.models import EnterpriseMembership
from bianmin.core.exceptions import ApplicationError
from bianmin.core.middleware import client_address
from bianmin.web.text import site_name

BACKEND = "bianmin.accounts.backends.UsernameOrMobileBackend"


def home_url() -> str:
    """Where a signed-in person lands: the role-based home (web app), or the site root until it exists."""
    try:
        return reverse(settings.LOGIN_REDIRECT_URL)
    except NoReverseMatch:
        return "/"


def portal_url() -> str:
    try:
        return reverse(settings.LOGOUT_REDIRECT_URL)
    except NoReverseMatch:
        return "/"


def safe_next(request, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def after_login_url(request, user) -> str:
    target = safe_next(request, home_url())
    if services.needs_privacy_consent(user):
        return reverse("accounts:privacy") + "?next=" + target
    return target


def _rate_limited(request, scope: str, limit: int) -> bool:
    key = f"ratelimit:{scope}:{client_address(request)}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=60)
        count = 1
    return count > limit


class LoginView(DjangoLoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if _rate_limited(request, "login", LOGIN_RATE_PER_MINUTE):
            form = self.get_form()
            form._errors, form.cleaned_data = ErrorDict(), {}
            form.add_error(None, _("登录尝试过于频繁，请一分钟后再试。"))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        return after_login_url(self.request, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_providers"] = oidc.providers().values()
        return context


@require_http_methods(["POST"])
def logout_view(request):
    logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect(portal_url())


def _send_code(request, form, purpose: str) -> None:
    if _rate_limited(request, "otp", 10):
        form.add_error(None, _("验证码发送过于频繁，请稍后再试。"))
        return
    try:
        services.otp_send(mobile=form.cleaned_data["mobile"], purpose=purpose)
    except ApplicationError as exc:
        apply_service_errors(form, exc)
        return
    messages.success(request, _("验证码已发送，5分钟内有效。"))


def register(request):
    if request.user.is_authenticated:
        return redirect(home_url())
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "send_code":
            _send_code(request, form, OtpPurpose.REGISTER)
        else:
            data = form.cleaned_data
            try:
                user = services.citizen_register(
                    full_name=data["full_name"],
                    id_card_no=data["id_card_no"],
                    mobile=data["mobile"],
                    code=data["code"],
                    password=data["password"],
                    privacy_accepted=data["privacy_accepted"],
                    privacy_version=data["privacy_version"] or PRIVACY_NOTICE_VERSION,
                    username=data.get("username", ""),
                )
            except ApplicationError as exc:
                apply_service_errors(form, exc)
            else:
                login(request, user, backend=BACKEND)
                messages.success(request, _("注册成功，欢迎使用%(site)s。") % {"site": site_name()})
                return redirect(safe_next(request, home_url()))
    return render(request, "accounts/register.html", {"form": form})


def password_reset(request):
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "send_code":
            _send_code(request, form, OtpPurpose.RESET_PASSWORD)
        else:
            data = form.cleaned_data
            try:
                services.password_reset(
                    mobile=data["mobile"], code=data["code"], new_password=data["new_password"]
                )
            except ApplicationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("密码已重置，请使用新密码登录。"))
                return redirect("accounts:login")
    return render(request, "accounts/password_reset.html", {"form": form})


def privacy(request):
    form = None
    if request.user.is_authenticated and services.needs_privacy_consent(request.user):
        form = PrivacyAcceptForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.privacy_accept(user=request.user, version=form.cleaned_data["version"])
            except ApplicationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("感谢您的同意。"))
                return redirect(safe_next(request, home_url()))
    elif request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    return render(
        request,
        "accounts/privacy.html",
        {"form": form, "version": PRIVACY_NOTICE_VERSION, "next": safe_next(request)},
    )


@login_required
def profile(request):
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_user": user,
            "assignments": selectors.role_assignments_of(user),
            "memberships": selectors.memberships_of(user),
            "permissions": rules.permissions_of(user),
        },
    )


@login_required
def mobile_change(request):
    form = MobileChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "send_code":
            _send_code(request, form, OtpPurpose.CHANGE_MOBILE)
        else:
            data = form.cleaned_data
            try:
                services.mobile_change(
                    user=request.user, new_mobile=data["mobile"], code=data["code"], password=data["password"]
                )
            except ApplicationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("手机号已更换。"))
                return redirect("accounts:profile")
    return render(request, "accounts/mobile_change.html", {"form": form})


@login_required
def enterprise_home(request):
    memberships = selectors.memberships_of(request.user)
    if len(memberships) == 1 and not request.GET.get("all"):
        return redirect("accounts:enterprise_members", uscc=memberships[0].enterprise.uscc)
    return render(request, "accounts/enterprise_list.html", {"memberships": memberships})


@login_required
def enterprise_register(request):
    if not rules.is_applicant(request.user):
        raise Http404
    form = EnterpriseRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_register(acting_user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("企业已登记，您是该企业的管理员。"))
            return redirect("accounts:enterprise_members", uscc=enterprise.uscc)
    return render(request, "accounts/enterprise_register.html", {"form": form})


@login_required
def enterprise_members(request, uscc: str):
    enterprise = selectors.enterprise_get_for_user(user=request.user, uscc=uscc)
    is_admin = rules.can_manage_enterprise(request.user, enterprise)
    form = MemberAddForm(request.POST or None) if is_admin else None
    if request.method == "POST":
        if not is_admin:
            return render(
                request,
                "accounts/forbidden.html",
                {"message": _("只有企业管理员可以管理企业成员。")},
                status=403,
            )
        action = request.POST.get("action")
        if action == "remove":
            membership = get_object_or_404(
                EnterpriseMembership, pk=request.POST.get("membership"), enterprise=enterprise
            )
            try:
                services.enterprise_member_remove(
                    enterprise=enterprise, acting_user=request.user, membership=membership
                )
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("已移除成员。"))
            return redirect("accounts:enterprise_members", uscc=enterprise.uscc)
        if form.is_valid():
            try:
                services.enterprise_member_add(
                    enterprise=enterprise, acting_user=request.user, **form.cleaned_data
                )
            except ApplicationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已添加成员。"))
                return redirect("accounts:enterprise_members", uscc=enterprise.uscc)
    return render(
        request,
        "accounts/enterprise_members.html",
        {
            "enterprise": enterprise,
            "members": selectors.enterprise_members(enterprise=enterprise),
            "is_admin": is_admin,
            "form": form,
        },
    )


# 统一身份认证 (OIDC) ---------------------------------------------------------------------------------


def _callback_uri(request, name: str) -> str:
    return request.build_absolute_uri(reverse("accounts:oidc_callback", kwargs={"provider": name}))


def oidc_login(request, provider: str):
    client = oidc.get_provider(provider)
    if client is None:
        raise Http404
    state, nonce = oidc.new_flow(request.session, provider=provider, next_url=safe_next(request))
    return redirect(
        client.authorization_url(redirect_uri=_callback_uri(request, provider), state=state, nonce=nonce)
    )


def oidc_callback(request, provider: str):
    client = oidc.get_provider(provider)
    if client is None:
        raise Http404
    try:
        if request.GET.get("error"):
            raise AccountInvalid(
                _("统一身份认证未完成：%(e)s")
                % {"e": request.GET.get("error_description") or request.GET["error"]}
            )
        flow = oidc.pop_flow(request.session, provider=provider, state=request.GET.get("state", ""))
        info = client.complete(
            code=request.GET.get("code", ""),
            redirect_uri=_callback_uri(request, provider),
            nonce=flow["nonce"],
        )
        user = services.external_login(
            provider=provider,
            subject=info.get("subject", ""),
            id_card_no=info.get("id_card_no", ""),
            full_name=info.get("full_name", ""),
            mobile=info.get("mobile", ""),
        )
    except ApplicationError as exc:
        return render(
            request, "accounts/oidc_error.html", {"message": exc.message, "provider": client}, status=400
        )
    login(request, user, backend=BACKEND)
    target = flow.get("next") or home_url()
    if services.needs_privacy_consent(user):
        return redirect(reverse("accounts:privacy") + "?next=" + target)
    return redirect(target)
