"""Settings shared by every environment. Everything secret or site-specific comes from the environment."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

VAR_DIR = Path(env("BIANMIN_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Development defaults: production.py refuses to start without real values.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-insecure-bianmin-secret-key-change-me-0123456789abcdef")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Read the client address from X-Forwarded-For (last hop) only behind a proxy that sets it.
TRUST_X_FORWARDED_FOR = env.bool("BIANMIN_TRUST_X_FORWARDED_FOR", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "axes",
    "csp",
    "bianmin.core",
    "bianmin.audit",
    "bianmin.workdays",
    "bianmin.documents",
    "bianmin.organisations",
    "bianmin.accounts",
    "bianmin.notifications",
    "bianmin.catalog",
    "bianmin.cases",
    "bianmin.licences",
    "bianmin.appointments",
    "bianmin.hotline",
    "bianmin.evaluation",
    "bianmin.kpi",
    "bianmin.reform",
    "bianmin.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "bianmin.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bianmin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bianmin.web.context_processors.site",
            ],
        },
    }
]

# Database: embedded SQLite by default (WAL, IMMEDIATE transactions); PostgreSQL via DATABASE_URL.
SQLITE_PATH = env("BIANMIN_SQLITE_PATH", default=str(VAR_DIR / "bianmin.sqlite3"))
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    " PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "bianmin.accounts.backends.UsernameOrMobileBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home_for_role"
LOGOUT_REDIRECT_URL = "web:portal_home"

# Login lockout (django-axes): 5 failures lock the username+address pair for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("BIANMIN_STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "bianmin" / "static"]
MEDIA_ROOT = Path(env("BIANMIN_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go through permission-checked views

# File storage: local folder by default, S3-compatible when USE_S3 is set.
USE_S3 = env.bool("USE_S3", default=False)
if USE_S3:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "region_name": env("S3_REGION", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# Cache: local memory by default, Redis when REDIS_URL is set (shared by every app server).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Per process; large enough for the catalog's cached guides and result cards (300 by default).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env.int("LOCAL_CACHE_MAX_ENTRIES", default=20_000)},
        }
    }

# 效能监督: the dashboard's case figures come from a daily summary (bianmin.kpi.summary), refreshed every minute
# by the task queue and before any read when older than this; the item, overdue and rating figures are live.
KPI_SUMMARY_MAX_AGE_SECONDS = env.int("KPI_SUMMARY_MAX_AGE_SECONDS", default=300)

# Task queue: huey on SQLite next to the database by default, Redis when REDIS_URL is set.
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "bianmin",
        "url": REDIS_URL,
        "immediate": env.bool("HUEY_IMMEDIATE", default=False),
        "consumer": {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "bianmin",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": env.bool("HUEY_IMMEDIATE", default=False),
        "consumer": {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread"},
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "bianmin.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "bianmin.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "login": env("LOGIN_RATE", default="10/min"),
        "otp": "5/min",
        # Public licence verification (pages and API together), per client address.
        "licence_verify": env("LICENCE_VERIFY_RATE", default="60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bianmin 便民 API",
    "DESCRIPTION": "龙湖区政务服务平台 API. Errors: {code, detail, fields}.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CatalogItemTypeEnum": "bianmin.catalog.constants.ItemType",
        "CatalogItemStatusEnum": "bianmin.catalog.constants.ItemStatus",
        "CatalogVersionStateEnum": "bianmin.catalog.constants.VersionState",
        "CatalogCertificateStateEnum": "bianmin.catalog.constants.CertificateState",
        "CatalogLimitUnitEnum": "bianmin.catalog.constants.LimitUnit",
        "CatalogFormFieldKindEnum": "bianmin.catalog.constants.FormFieldKind",
        "CatalogMaterialSourceEnum": "bianmin.catalog.constants.MaterialSource",
        "CatalogMaterialFormEnum": "bianmin.catalog.constants.MaterialForm",
        "CatalogNecessityEnum": "bianmin.catalog.constants.Necessity",
        "CatalogHandleKindEnum": "bianmin.catalog.constants.HandleKind",
        "CatalogResultTypeEnum": "bianmin.catalog.constants.ResultType",
        "CatalogThemeAudienceEnum": "bianmin.catalog.constants.ThemeAudience",
        "CalendarYearStatusEnum": "bianmin.workdays.constants.CalendarStatus",
        "CaseStateEnum": "bianmin.cases.constants.CaseState",
        "CaseAcceptanceModeEnum": "bianmin.cases.constants.AcceptanceMode",
        "CaseApplicantKindEnum": "bianmin.cases.constants.ApplicantKind",
        "CaseDecisionEnum": "bianmin.cases.constants.Decision",
        "CaseDeliveryChannelEnum": "bianmin.cases.constants.DeliveryChannel",
        "CaseSpecialProcedureEnum": "bianmin.cases.constants.SpecialProcedure",
        "HotlineRequestKindEnum": "bianmin.hotline.constants.RequestKind",
        "HotlineRequestChannelEnum": "bianmin.hotline.constants.RequestChannel",
        "HotlineRequestStateEnum": "bianmin.hotline.constants.RequestState",
        "HotlineRequestEventKindEnum": "bianmin.hotline.constants.EventKind",
        "HotlineCloseReasonEnum": "bianmin.hotline.constants.CloseReason",
        "EvaluationChannelEnum": "bianmin.evaluation.constants.Channel",
        "EvaluationLevelEnum": "bianmin.evaluation.constants.Level",
        "EvaluationSubjectEnum": "bianmin.evaluation.constants.Subject",
        "EvaluationServiceModeEnum": "bianmin.evaluation.constants.ServiceMode",
        "EvaluationRectificationStateEnum": "bianmin.evaluation.constants.RectificationState",
        "EvaluationOutcomeEnum": "bianmin.evaluation.constants.Outcome",
        "EvaluationAppealStateEnum": "bianmin.evaluation.constants.AppealState",
        "LicenceStatusEnum": "bianmin.licences.constants.LicenceStatus",
        "LicenceRevocationKindEnum": "bianmin.licences.constants.RevocationKind",
        "LicenceVerifyOutcomeEnum": "bianmin.licences.constants.VerifyOutcome",
        "LicenceHolderCodeTypeEnum": "bianmin.licences.constants.HolderCodeType",
    },
}

# Content security policy (django-csp 4): no inline script, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)

# Cryptographic keys (hex). Development defaults are fixed so `make run` works; production requires real ones.
PII_ENCRYPTION_KEY = env("BIANMIN_PII_KEY", default="00112233445566778899aabbccddeeff")  # SM4, 16 bytes
PII_HASH_KEY = env("BIANMIN_PII_HASH_KEY", default="0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978")
AUDIT_HMAC_KEY = env("BIANMIN_AUDIT_KEY", default="a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718")
SEAL_KEY_ENCRYPTION_KEY = env("BIANMIN_SEAL_KEY", default="ffeeddccbbaa99887766554433221100")
AUDIT_PARTITIONS = env.int("BIANMIN_AUDIT_PARTITIONS", default=8)
AUDIT_CHECKPOINT_EVERY = env.int("BIANMIN_AUDIT_CHECKPOINT_EVERY", default=100)

# Site identity (footer and header). SITE_NAME is the Chinese name; pages show it through gettext
# (bianmin.web.text.site_name) or, in English, SITE_NAME_EN when set. The ICP/公安 filings stay as registered.
SITE_NAME = env("BIANMIN_SITE_NAME", default="龙湖区政务服务网")
SITE_NAME_EN = env("BIANMIN_SITE_NAME_EN", default="")
SITE_ICP = env("BIANMIN_SITE_ICP", default="粤ICP备00000000号")
SITE_PSB = env("BIANMIN_SITE_PSB", default="粤公网安备 44050702000000号")
SITE_GOV_ID = env("BIANMIN_SITE_GOV_ID", default="4405070000")  # 网站标识码
SITE_HOTLINE = env("BIANMIN_SITE_HOTLINE", default="12345")
DISTRICT_REGION_CODE = env("BIANMIN_DISTRICT_CODE", default="440507")
PUBLIC_BASE_URL = env("BIANMIN_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

# Pluggable senders and identity providers.
SMS_SENDER = env("BIANMIN_SMS_SENDER", default="bianmin.notifications.senders.LoggingSmsSender")
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
OIDC_PROVIDERS = {}  # name -> dict(issuer, client_id, client_secret, ...) see docs/operations.md
OIDC_ENABLED = env.bool("USE_OIDC", default=False)
if OIDC_ENABLED:
    OIDC_PROVIDERS["province"] = {
        "label": env("OIDC_LABEL", default="广东省统一身份认证"),
        "authorize_url": env("OIDC_AUTHORIZE_URL"),
        "token_url": env("OIDC_TOKEN_URL"),
        "userinfo_url": env("OIDC_USERINFO_URL"),
        "client_id": env("OIDC_CLIENT_ID"),
        "client_secret": env("OIDC_CLIENT_SECRET"),
    }

DEMO_PASSWORD = env("DEMO_PASSWORD", default="bianmin-demo")
OTP_TTL_SECONDS = 300

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_pii": {"()": "bianmin.core.masking.MaskPiiLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_pii"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"jieba": {"level": "WARNING"}},
}
