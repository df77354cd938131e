import pytest
from rest_framework.test import APIClient

from bianmin.accounts.models import User
from bianmin.core.crypto import pii_hash
from tests.factories import FACTORY_PASSWORD, CitizenFactory, make_id_card

pytestmark = pytest.mark.django_db


def test_token_by_mobile_then_me():
    user = CitizenFactory()
    api = APIClient()
    response = api.post(
        "/api/v1/auth/token/", {"username": user.mobile, "password": FACTORY_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.data["me"]["username"] == user.username
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200 and me.data["kind"] == "citizen"
    assert me.data["id_card_no"] != user.id_card_no and me.data["id_card_no"].endswith(user.id_card_no[-4:])


def test_token_refused_and_locked_out():
    user = CitizenFactory()
    api = APIClient()
    bad = api.post("/api/v1/auth/token/", {"username": user.username, "password": "nope"}, format="json")
    assert bad.status_code == 400 and bad.data["code"] == "invalid_credentials"
    for _ in range(4):
        api.post("/api/v1/auth/token/", {"username": user.username, "password": "nope"}, format="json")
    locked = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": FACTORY_PASSWORD}, format="json"
    )
    assert locked.status_code == 403 and locked.data["code"] == "account_locked"
    assert "token" not in locked.data
    again = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": FACTORY_PASSWORD}, format="json"
    )
    assert again.status_code == 403 and again.data["code"] == "account_locked"


def test_register_and_reset_over_api(last_code):
    api = APIClient()
    mobile = "13833334444"
    sent = api.post("/api/v1/auth/otp/", {"mobile": mobile, "purpose": "register"}, format="json")
    assert sent.status_code == 202
    id_card = make_id_card(3131)
    body = {
        "full_name": "接口注册",
        "id_card_no": id_card,
        "mobile": mobile,
        "code": last_code(mobile),
        "password": "Api-Reg-2026!",
        "privacy_accepted": True,
    }
    refused = api.post("/api/v1/auth/register/", {**body, "privacy_accepted": False}, format="json")
    assert refused.status_code == 400 and "privacy_accepted" in refused.data["fields"]
    created = api.post("/api/v1/auth/register/", body, format="json")
    assert created.status_code == 201 and created.data["mobile_verified"] is True
    assert User.objects.filter(id_card_hash=pii_hash(id_card)).exists()
    again = api.post("/api/v1/auth/register/", body, format="json")
    assert again.status_code == 400 and "id_card_no" in again.data["fields"]

    sent = api.post("/api/v1/auth/otp/", {"mobile": mobile, "purpose": "reset_password"}, format="json")
    assert sent.status_code == 202
    reset = api.post(
        "/api/v1/auth/password-reset/",
        {"mobile": mobile, "code": last_code(mobile), "new_password": "Api-Reset-2026!"},
        format="json",
    )
    assert reset.status_code == 204
    token = api.post(
        "/api/v1/auth/token/", {"username": mobile, "password": "Api-Reset-2026!"}, format="json"
    )
    assert token.status_code == 200


def test_wrong_code_over_api(last_code):
    api = APIClient()
    mobile = "13833335555"
    api.post("/api/v1/auth/otp/", {"mobile": mobile, "purpose": "register"}, format="json")
    code = last_code(mobile)
    response = api.post(
        "/api/v1/auth/register/",
        {
            "full_name": "错码",
            "id_card_no": make_id_card(3232),
            "mobile": mobile,
            "code": f"{(int(code) + 1) % 10**6:06d}",
            "password": "Api-Reg-2026!",
            "privacy_accepted": True,
        },
        format="json",
    )
    assert response.status_code == 400 and response.data["code"] == "otp_invalid"


def test_otp_endpoint_throttled():
    api = APIClient()
    statuses = [
        api.post(
            "/api/v1/auth/otp/", {"mobile": f"1370000000{i}", "purpose": "register"}, format="json"
        ).status_code
        for i in range(6)
    ]
    assert statuses[:5] == [202] * 5 and statuses[5] == 429
