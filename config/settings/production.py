"""Production: secrets and hosts are required, TLS terminates at the reverse proxy, cookies are secure.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, BIANMIN_PII_KEY, BIANMIN_PII_HASH_KEY, BIANMIN_AUDIT_KEY,
BIANMIN_SEAL_KEY. Recommended: DATABASE_URL (PostgreSQL), REDIS_URL, USE_S3 + S3_*. See docs/operations.md.
`DJANGO_SETTINGS_MODULE=config.settings.production manage.py check --deploy` must report no issues.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if len(SECRET_KEY) < 50 or "insecure" in SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set in production: at least 50 random characters "
        '(python3 -c "import secrets; print(secrets.token_urlsafe(50))")'
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names in production")
CSRF_TRUSTED_ORIGINS = env.list(
    "DJANGO_CSRF_TRUSTED_ORIGINS", default=[f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS if h != "*"]
)

# Keys (hex): SM4 needs 16 bytes, the HMAC-SM3 keys at least 16. Development defaults are refused.
_KEYS = {
    "BIANMIN_PII_KEY": 16,
    "BIANMIN_PII_HASH_KEY": 16,
    "BIANMIN_AUDIT_KEY": 16,
    "BIANMIN_SEAL_KEY": 16,
}
_DEV_KEYS = {
    "00112233445566778899aabbccddeeff",
    "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978",
    "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718",
    "ffeeddccbbaa99887766554433221100",
}
for _name, _length in _KEYS.items():
    _value = env(_name, default="")
    try:
        _ok = len(bytes.fromhex(_value)) >= _length
    except ValueError:
        _ok = False
    if not _ok or _value.lower() in _DEV_KEYS:
        raise ImproperlyConfigured(
            f"{_name} must be set in production to at least {_length} random bytes in hex "
            f"(openssl rand -hex {_length if _name in ('BIANMIN_PII_KEY', 'BIANMIN_SEAL_KEY') else 32})"
        )
PII_ENCRYPTION_KEY = env("BIANMIN_PII_KEY")
PII_HASH_KEY = env("BIANMIN_PII_HASH_KEY")
AUDIT_HMAC_KEY = env("BIANMIN_AUDIT_KEY")
SEAL_KEY_ENCRYPTION_KEY = env("BIANMIN_SEAL_KEY")

# TLS at the proxy: it must set X-Forwarded-Proto. HSTS is only sent on HTTPS responses.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^api/v1/ping/$"]  # plain-HTTP health checks from the load balancer
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page (hx-headers), never from the cookie
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Client addresses behind the proxy (axes lockout, audit): trust BIANMIN_PROXY_COUNT hops of X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env.int("BIANMIN_PROXY_COUNT", default=1)
TRUST_X_FORWARDED_FOR = AXES_IPWARE_PROXY_COUNT > 0
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Login rate limits: axes locks a username+address after AXES_FAILURE_LIMIT failures, and the DRF scoped
# throttles "login" (LOGIN_RATE) and "otp" guard the API logins; both count in the cache, so set REDIS_URL
# to share the counts across gunicorn workers and machines.
