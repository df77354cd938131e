from tests.hotline.conftest import _fresh_calendar_cache, api, at, clock, desk  # noqa: F401  (shared fixtures)
