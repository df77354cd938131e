import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's event loop runs in the test thread


@pytest.fixture(autouse=True)
def _clear_sms_outbox():
    from bianmin.notifications.senders import MemorySmsSender

    MemorySmsSender.outbox.clear()
    yield


# Every transaction=True test must also say serialized_rollback=True: a flush without it re-creates content
# types through post_migrate, and the next serialized_rollback test then fails to restore its snapshot.
