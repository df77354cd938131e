"""Every catalog test starts with an empty cache: the public pages cache rendered fragments and the
filter options, and a test database reuses primary keys after each rollback."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
