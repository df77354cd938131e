import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's event loop runs in the test thread


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    """A request in English leaves English active in the thread (LocaleMiddleware): reset it, so no test
    depends on which test ran before it in the same worker."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_sms_outbox():
    from bianmin.notifications.senders import MemorySmsSender

    MemorySmsSender.outbox.clear()
    yield


# Every transaction=True test must also say serialized_rollback=True: a flush without it re-creates content
# types through post_migrate, and the next serialized_rollback test then fails to restore its snapshot.
