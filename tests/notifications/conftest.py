"""The case world and the request desk of the case and hotline tests, reused for the message centre."""

from __future__ import annotations

import pytest

from tests.cases.conftest import _fresh_calendar_cache, api, build_world, clock  # noqa: F401
from tests.hotline.conftest import desk  # noqa: F401


@pytest.fixture
def world(clock):  # noqa: F811
    return build_world()


@pytest.fixture(autouse=True)
def _memory_senders(settings):
    settings.SMS_SENDER = "bianmin.notifications.senders.MemorySmsSender"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
