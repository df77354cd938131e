import re

import pytest
from django.core.cache import cache

from bianmin.notifications.senders import MemorySmsSender


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttles and rate limits live in the cache; each test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def last_code():
    def read(mobile: str) -> str:
        texts = [m["text"] for m in MemorySmsSender.outbox if m["mobile"] == mobile]
        assert texts, f"no SMS sent to {mobile}"
        return re.search(r"(\d{6})", texts[-1]).group(1)

    return read
