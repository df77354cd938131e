import pytest
from django.urls import reverse

from bianmin.accounts import services
from bianmin.accounts.constants import OtpPurpose
from bianmin.accounts.exceptions import AccountInvalid, OtpInvalid
from bianmin.audit.models import AuditEntry
from bianmin.notifications.senders import MemorySmsSender
from tests.factories import FACTORY_PASSWORD, CitizenFactory, StaffFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def test_login_by_mobile_redirects_to_role_home(client):
    user = CitizenFactory()
    response = client.post(LOGIN, {"username": user.mobile, "password": FACTORY_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home_for_role")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_by_username(client):
    user = StaffFactory(reviewer=True)
    response = client.post(LOGIN, {"username": user.username, "password": FACTORY_PASSWORD})
    assert response.status_code == 302


def test_login_honours_safe_next_only(client):
    user = CitizenFactory()
    response = client.post(
        LOGIN, {"username": user.username, "password": FACTORY_PASSWORD, "next": "/my/cases/"}
    )
    assert response["Location"] == "/my/cases/"
    client.logout()
    response = client.post(
        LOGIN, {"username": user.username, "password": FACTORY_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("web:home_for_role")


def test_wrong_password_shows_chinese_error(client):
    user = CitizenFactory()
    response = client.post(LOGIN, {"username": user.mobile, "password": "wrong-password"})
    assert response.status_code == 200
    assert "密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_after_five_failures(client):
    user = CitizenFactory()
    for _ in range(5):
        client.post(LOGIN, {"username": user.username, "password": "wrong-password"})
    response = client.post(LOGIN, {"username": user.username, "password": FACTORY_PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_rate_limited_per_address(client):
    for i in range(10):
        client.post(LOGIN, {"username": f"nobody{i}", "password": "x"})
    response = client.post(LOGIN, {"username": "nobody-else", "password": "x"})
    assert response.status_code == 429
    assert "频繁" in response.content.decode()


def test_logout_is_post_only(client):
    user = CitizenFactory()
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_mobile(last_code, client):
    user = CitizenFactory()
    services.otp_send(mobile=user.mobile, purpose=OtpPurpose.RESET_PASSWORD)
    code = last_code(user.mobile)
    with pytest.raises(AccountInvalid):
        services.password_reset(mobile=user.mobile, code=code, new_password="123")
    with pytest.raises(OtpInvalid):
        services.password_reset(
            mobile=user.mobile, code=f"{(int(code) + 1) % 10**6:06d}", new_password="Reset-Pass-99"
        )
    services.password_reset(mobile=user.mobile, code=code, new_password="Reset-Pass-99")
    user.refresh_from_db()
    assert user.check_password("Reset-Pass-99")
    assert AuditEntry.objects.filter(action="user.password_reset").count() == 1
    response = client.post(LOGIN, {"username": user.mobile, "password": "Reset-Pass-99"})
    assert response.status_code == 302


def test_reset_code_not_sent_to_unknown_number():
    assert services.otp_send(mobile="13600000000", purpose=OtpPurpose.RESET_PASSWORD) is None
    assert MemorySmsSender.outbox == []


def test_password_reset_page_flow(client, last_code):
    user = CitizenFactory()
    response = client.post("/accounts/password-reset/", {"mobile": user.mobile, "action": "send_code"})
    assert response.status_code == 200
    code = last_code(user.mobile)
    response = client.post(
        "/accounts/password-reset/",
        {
            "mobile": user.mobile,
            "code": code,
            "new_password": "Page-Reset-77",
            "new_password2": "Page-Reset-77",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    user.refresh_from_db()
    assert user.check_password("Page-Reset-77")


def test_register_page_two_steps(client, last_code):
    mobile = "13511112222"
    response = client.post("/accounts/register/", {"mobile": mobile, "action": "send_code"})
    assert response.status_code == 200
    code = last_code(mobile)
    form = {
        "mobile": mobile,
        "code": code,
        "full_name": "页面注册",
        "id_card_no": "11010519491231002X",
        "password": "Page-Reg-2026",
        "password2": "Page-Reg-2026",
        "privacy_accepted": "on",
        "privacy_version": "2026-11",
        "action": "register",
    }
    bad = {**form, "id_card_no": "110105194912310021"}
    response = client.post("/accounts/register/", bad)
    assert response.status_code == 200
    assert "身份证号码不正确" in response.content.decode()
    response = client.post("/accounts/register/", form)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_register_page_requires_privacy(client, last_code):
    mobile = "13511113333"
    client.post("/accounts/register/", {"mobile": mobile, "action": "send_code"})
    response = client.post(
        "/accounts/register/",
        {
            "mobile": mobile,
            "code": last_code(mobile),
            "full_name": "未同意",
            "id_card_no": "11010519491231002X",
            "password": "Page-Reg-2026",
            "password2": "Page-Reg-2026",
            "privacy_version": "2026-11",
            "action": "register",
        },
    )
    assert response.status_code == 200
    assert "个人信息保护政策" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_privacy_page_public_with_version(client):
    response = client.get("/accounts/privacy/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "个人信息保护法" in body and "2026-11" in body


def test_outdated_consent_asked_again(client):
    user = CitizenFactory(privacy_version="2019-01")
    response = client.post(LOGIN, {"username": user.username, "password": FACTORY_PASSWORD})
    assert response["Location"].startswith("/accounts/privacy/?next=")
    response = client.post("/accounts/privacy/", {"accept": "on", "version": "2026-11", "next": "/my/"})
    assert response.status_code == 302 and response["Location"] == "/my/"
    user.refresh_from_db()
    assert user.privacy_version == "2026-11"
