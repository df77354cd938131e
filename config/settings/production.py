"""Production: secrets are required, TLS is assumed at the proxy, cookies are secure."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
for _name in ("BIANMIN_PII_KEY", "BIANMIN_PII_HASH_KEY", "BIANMIN_AUDIT_KEY", "BIANMIN_SEAL_KEY"):
    if not env(_name, default=""):
        raise ImproperlyConfigured(f"{_name} must be set in production")
PII_ENCRYPTION_KEY = env("BIANMIN_PII_KEY")
PII_HASH_KEY = env("BIANMIN_PII_HASH_KEY")
AUDIT_HMAC_KEY = env("BIANMIN_AUDIT_KEY")
SEAL_KEY_ENCRYPTION_KEY = env("BIANMIN_SEAL_KEY")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
