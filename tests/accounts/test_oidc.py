"""统一身份认证 (OIDC) with a fake provider: the two HTTP calls are replaced, everything else is real."""

import base64
import json
import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings

from bianmin.accounts.models import ExternalIdentity, User
from bianmin.accounts.oidc import OidcProvider
from bianmin.core.crypto import pii_hash
from tests.factories import CitizenFactory, StaffFactory, make_id_card

pytestmark = pytest.mark.django_db

ID_CARD = make_id_card(9191)


def _jwt(claims: dict) -> str:
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJl"


class FakeProvider(OidcProvider):
    """Answers the token and userinfo calls like 广东省统一身份认证 would, for the person in `person`."""

    person = {"sub": "gd-0001", "id_card_no": ID_CARD, "name": "黄认证", "phone_number": "13622223333"}
    calls: list = []
    nonce_override = None

    def fetch_token(self, *, code, redirect_uri):
        FakeProvider.calls.append(("token", code, redirect_uri))
        nonce = FakeProvider.nonce_override or FakeProvider.last_nonce
        claims = {
            "iss": "https://sso.example.gd.gov.cn",
            "sub": self.person["sub"],
            "aud": self.config["client_id"],
            "exp": time.time() + 300,
            "nonce": nonce,
        }
        return {"access_token": "at-" + code, "id_token": _jwt(claims), "token_type": "Bearer"}

    def fetch_userinfo(self, *, access_token):
        FakeProvider.calls.append(("userinfo", access_token))
        return dict(self.person)


PROVIDERS = {
    "gd": {
        "class": "tests.accounts.test_oidc.FakeProvider",
        "label": "广东省统一身份认证",
        "authorize_url": "https://sso.example.gd.gov.cn/authorize",
        "token_url": "https://sso.example.gd.gov.cn/token",
        "userinfo_url": "https://sso.example.gd.gov.cn/userinfo",
        "client_id": "bianmin",
        "client_secret": "secret",
        "issuer": "https://sso.example.gd.gov.cn",
    }
}


@pytest.fixture(autouse=True)
def _providers():
    FakeProvider.calls = []
    FakeProvider.nonce_override = None
    with override_settings(OIDC_PROVIDERS=PROVIDERS):
        yield


def _start(client, next_url=""):
    response = client.get("/accounts/oidc/gd/login/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    query = parse_qs(urlparse(response["Location"]).query)
    assert response["Location"].startswith("https://sso.example.gd.gov.cn/authorize?")
    assert query["client_id"] == ["bianmin"] and query["response_type"] == ["code"]
    FakeProvider.last_nonce = query["nonce"][0]
    return query["state"][0]


def test_login_page_offers_provider(client):
    assert "广东省统一身份认证" in client.get("/accounts/login/").content.decode()


def test_first_login_creates_and_links_user_second_reuses(client):
    state = _start(client, next_url="/my/")
    response = client.get("/accounts/oidc/gd/callback/", {"state": state, "code": "abc"})
    assert response.status_code == 302
    user = User.objects.get(id_card_hash=pii_hash(ID_CARD))
    assert user.full_name == "黄认证" and user.mobile == "13622223333" and not user.has_usable_password()
    assert ExternalIdentity.objects.get(provider="gd", subject="gd-0001").user == user
    assert client.session["_auth_user_id"] == str(user.pk)
    # a new account has not yet accepted the privacy notice
    assert response["Location"] == "/accounts/privacy/?next=/my/"
    assert ("token", "abc", "http://testserver/accounts/oidc/gd/callback/") in FakeProvider.calls

    client.logout()
    state = _start(client)
    response = client.get("/accounts/oidc/gd/callback/", {"state": state, "code": "def"})
    assert response.status_code == 302
    assert User.objects.count() == 1 and ExternalIdentity.objects.count() == 1
    assert client.session["_auth_user_id"] == str(user.pk)


def test_existing_citizen_is_linked_by_id_number(client):
    citizen = CitizenFactory(id_card_no=ID_CARD)
    state = _start(client)
    response = client.get("/accounts/oidc/gd/callback/", {"state": state, "code": "abc"})
    assert response.status_code == 302
    assert ExternalIdentity.objects.get().user == citizen
    assert User.objects.count() == 1


def test_bad_state_refused(client):
    _start(client)
    response = client.get("/accounts/oidc/gd/callback/", {"state": "forged", "code": "abc"})
    assert response.status_code == 400
    assert "失效" in response.content.decode()
    assert not User.objects.exists() and "_auth_user_id" not in client.session
    assert not any(call[0] == "token" for call in FakeProvider.calls)


def test_callback_without_started_flow_refused(client):
    response = client.get("/accounts/oidc/gd/callback/", {"state": "x", "code": "abc"})
    assert response.status_code == 400


def test_wrong_nonce_refused(client):
    state = _start(client)
    FakeProvider.nonce_override = "replayed-nonce"
    response = client.get("/accounts/oidc/gd/callback/", {"state": state, "code": "abc"})
    assert response.status_code == 400
    assert not User.objects.exists()


def test_state_is_single_use(client):
    state = _start(client)
    client.get("/accounts/oidc/gd/callback/", {"state": state, "code": "abc"})
    client.logout()
    response = client.get("/accounts/oidc/gd/callback/", {"state": state, "code": "abc"})
    assert response.status_code == 400


def test_staff_account_cannot_be_taken_over(client):
    StaffFactory(id_card_no=ID_CARD)
    state = _start(client)
    response = client.get("/accounts/oidc/gd/callback/", {"state": state, "code": "abc"})
    assert response.status_code == 400
    assert not ExternalIdentity.objects.exists()


def test_unknown_provider_404(client):
    assert client.get("/accounts/oidc/nope/login/").status_code == 404


def test_real_provider_http_calls_with_mocked_urlopen():
    """The default provider class speaks HTTP through urllib; here urlopen is replaced by a fake server."""
    import io
    from unittest import mock

    config = {**PROVIDERS["gd"]}
    config.pop("class")
    provider = OidcProvider("gd", config)
    claims = {
        "iss": config["issuer"],
        "sub": "s-1",
        "aud": "bianmin",
        "exp": time.time() + 60,
        "nonce": "n-1",
    }
    answers = {
        config["token_url"]: {"access_token": "at", "id_token": _jwt(claims)},
        config["userinfo_url"]: {"sub": "s-1", "id_card_no": ID_CARD, "name": "测试", "phone_number": ""},
    }
    seen = []

    def fake_urlopen(request, timeout):
        seen.append((request.full_url, request.get_header("Authorization"), request.data))
        return io.BytesIO(json.dumps(answers[request.full_url]).encode())

    with mock.patch("urllib.request.urlopen", fake_urlopen):
        info = provider.complete(code="c-1", redirect_uri="http://testserver/cb/", nonce="n-1")
    assert info == {"subject": "s-1", "id_card_no": ID_CARD, "full_name": "测试", "mobile": ""}
    assert b"grant_type=authorization_code" in seen[0][2] and seen[1][1] == "Bearer at"
    from bianmin.accounts.exceptions import OidcError

    with mock.patch("urllib.request.urlopen", fake_urlopen), pytest.raises(OidcError):
        provider.complete(code="c-1", redirect_uri="http://testserver/cb/", nonce="other")
