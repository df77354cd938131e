"""Pluggable OpenID Connect login (统一身份认证, e.g. 广东省统一身份认证平台): authorization-code flow with
state and nonce.

settings.OIDC_PROVIDERS = {"province": {
    "label": "广东省统一身份认证", "authorize_url": ..., "token_url": ..., "userinfo_url": ...,
    "client_id": ..., "client_secret": ..., "scope": "openid profile",          # optional
    "issuer": "https://...",                                                     # optional: checked if set
    "claims": {"subject": "sub", "id_card_no": "id_card_no", "full_name": "name", "mobile": "phone_number"},
    "class": "dotted.path.to.ProviderClass",                                     # optional: a replacement class
}}

The ID token arrives over the back channel from the token endpoint (TLS, client authenticated), so by OIDC Core
§3.1.3.7 its issuer, audience, expiry and nonce are checked without verifying the signature.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from bianmin.accounts.exceptions import OidcError

DEFAULT_CLAIMS = {"subject": "sub", "id_card_no": "id_card_no", "full_name": "name", "mobile": "phone_number"}
SESSION_KEY = "oidc_flow"


class OidcProvider:
    """One configured provider. Network calls are two small methods so a test can replace them."""

    timeout = 10

    def __init__(self, name: str, config: dict[str, Any]):
        self.name = name
        self.config = config
        self.claims = {**DEFAULT_CLAIMS, **config.get("claims", {})}

    @property
    def label(self) -> str:
        return self.config.get("label", self.name)

    def authorization_url(self, *, redirect_uri: str, state: str, nonce: str) -> str:
        query = {
            "response_type": "code",
            "client_id": self.config["client_id"],
            "redirect_uri": redirect_uri,
            "scope": self.config.get("scope", "openid profile"),
            "state": state,
            "nonce": nonce,
        }
        separator = "&" if "?" in self.config["authorize_url"] else "?"
        return self.config["authorize_url"] + separator + urllib.parse.urlencode(query)

    # -- network -------------------------------------------------------------------------------

    def _request_json(self, request: urllib.request.Request) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode())
        except (OSError, ValueError) as exc:
            raise OidcError(_("统一身份认证服务暂时不可用，请稍后再试。")) from exc

    def fetch_token(self, *, code: str, redirect_uri: str) -> dict[str, Any]:
        body = urllib.parse.urlencode(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": self.config["client_id"],
                "client_secret": self.config["client_secret"],
            }
        ).encode()
        request = urllib.request.Request(
            self.config["token_url"],
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        )
        return self._request_json(request)

    def fetch_userinfo(self, *, access_token: str) -> dict[str, Any]:
        request = urllib.request.Request(
            self.config["userinfo_url"],
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
        )
        return self._request_json(request)

    # -- checks --------------------------------------------------------------------------------

    @staticmethod
    def decode_id_token(id_token: str) -> dict[str, Any]:
        try:
            payload = id_token.split(".")[1]
            payload += "=" * (-len(payload) % 4)
            return json.loads(base64.urlsafe_b64decode(payload))
        except (IndexError, ValueError) as exc:
            raise OidcError(_("统一身份认证返回的凭证无效。")) from exc

    def check_id_token(self, claims: dict[str, Any], *, nonce: str) -> None:
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        problems = [
            not secrets.compare_digest(str(claims.get("nonce", "")), nonce),
            self.config["client_id"] not in audiences,
            float(claims.get("exp", 0)) < time.time(),
            bool(self.config.get("issuer")) and claims.get("iss") != self.config.get("issuer"),
        ]
        if any(problems):
            raise OidcError(_("统一身份认证返回的凭证校验失败，请重新登录。"))

    def complete(self, *, code: str, redirect_uri: str, nonce: str) -> dict[str, str]:
        """Exchange the code, check the ID token, read the user info; returns subject/id_card_no/full_name/mobile."""
        token = self.fetch_token(code=code, redirect_uri=redirect_uri)
        if "access_token" not in token or "id_token" not in token:
            raise OidcError(_("统一身份认证未返回访问令牌。"))
        id_claims = self.decode_id_token(token["id_token"])
        self.check_id_token(id_claims, nonce=nonce)
        info = self.fetch_userinfo(access_token=token["access_token"])
        if str(info.get("sub", id_claims.get("sub"))) != str(id_claims.get("sub")):
            raise OidcError(_("统一身份认证返回的用户信息不一致。"))
        return {key: str(info.get(claim, "") or "") for key, claim in self.claims.items()}


def providers() -> dict[str, OidcProvider]:
    result = {}
    for name, config in getattr(settings, "OIDC_PROVIDERS", {}).items():
        cls = import_string(config["class"]) if config.get("class") else OidcProvider
        result[name] = cls(name, config)
    return result


def get_provider(name: str) -> OidcProvider | None:
    return providers().get(name)


def new_flow(session, *, provider: str, next_url: str) -> tuple[str, str]:
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    session[SESSION_KEY] = {"provider": provider, "state": state, "nonce": nonce, "next": next_url}
    return state, nonce


def pop_flow(session, *, provider: str, state: str) -> dict[str, str]:
    flow = session.pop(SESSION_KEY, None)
    if (
        not flow
        or flow.get("provider") != provider
        or not state
        or not secrets.compare_digest(str(flow.get("state", "")), str(state))
    ):
        raise OidcError(_("登录请求已失效或来源不明，请重新登录。"), code="oidc_bad_state")
    return flow
