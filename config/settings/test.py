"""Settings for pytest: fast hashing, tasks run immediately, files in a temporary folder."""

import tempfile

from .base import *  # noqa: F403
from .base import HUEY, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
MEDIA_ROOT = tempfile.mkdtemp(prefix="bianmin-test-media-")
# An existing folder, so whitenoise does not warn on every request.
STATIC_ROOT = tempfile.mkdtemp(prefix="bianmin-test-static-")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_ENABLED = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_SENDER = "bianmin.notifications.senders.MemorySmsSender"
LANGUAGE_CODE = "zh-hans"
TEST_VAR_DIR = VAR_DIR
