"""Production settings: `check --deploy` is clean with the required environment, and refuses to start without it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "Qx7-vN2pLr9sT4wYb8zE1cF6hJ3kM5nP0aRdUgViXoZtS-yBqW_eH2jK4lN6mP8rT",
    "DJANGO_ALLOWED_HOSTS": "zwfw.longhu.gov.cn",
    "BIANMIN_PII_KEY": "5f1c2a9e7b3d4c6a8e0f1b2d3c4e5f60",
    "BIANMIN_PII_HASH_KEY": "9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9",
    "BIANMIN_AUDIT_KEY": "c0ffee11d00d22beef33cafe44face55c0ffee11d00d22beef33cafe44face55",
    "BIANMIN_SEAL_KEY": "7e6d5c4b3a2918070f1e2d3c4b5a6978",
}


def run_manage(tmp_path, *args: str, drop: tuple[str, ...] = (), **overrides: str):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "BIANMIN_"))}
    env.update(PRODUCTION_ENV)
    env["BIANMIN_VAR_DIR"] = str(tmp_path)
    env.update(overrides)
    for name in drop:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_security_checks_of_the_deploy_check_pass(tmp_path):
    """Django's security checks alone (settings); the next test adds every other check (schema, apps…)."""
    result = run_manage(tmp_path, "check", "--deploy", "--tag", "security", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def test_check_deploy_is_clean_with_the_required_environment(tmp_path):
    """Every check, including drf-spectacular's schema warnings raised by the apps' API views."""
    result = run_manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "BIANMIN_PII_KEY", "BIANMIN_AUDIT_KEY"]
)
def test_production_refuses_to_start_without_a_required_variable(tmp_path, missing):
    result = run_manage(tmp_path, "check", drop=(missing,))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_refuses_the_development_keys(tmp_path):
    result = run_manage(tmp_path, "check", BIANMIN_PII_KEY="00112233445566778899aabbccddeeff")
    assert result.returncode != 0
    assert "BIANMIN_PII_KEY" in result.stderr


def test_production_settings_make_cookies_secure_and_send_hsts(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER[0], s.AXES_IPWARE_PROXY_COUNT)"
    )
    result = run_manage(tmp_path, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "False",
        "True",
        "True",
        "True",
        "31536000",
        "HTTP_X_FORWARDED_PROTO",
        "1",
    ]


def test_security_headers_on_a_page(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/api/v1/ping/", secure=True)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp


def test_no_hsts_over_plain_http(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/api/v1/ping/")
    assert "Strict-Transport-Security" not in response


def test_login_is_rate_limited_by_axes_and_drf_throttles():
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT >= 1
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates["login"] and rates["otp"]
