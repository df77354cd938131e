"""Settings of the request desk, with defaults (override in Django settings)."""

from __future__ import annotations

from django.conf import settings

from bianmin.hotline.constants import DEFAULT_RESPONSE_DAYS


def response_days(kind: str) -> int:
    overrides = getattr(settings, "HOTLINE_RESPONSE_DAYS", {}) or {}
    return int(overrides.get(kind, DEFAULT_RESPONSE_DAYS.get(kind, 5)))


def max_dispatches() -> int:
    """The first dispatch plus one re-dispatch."""
    return int(getattr(settings, "HOTLINE_MAX_DISPATCHES", 2))
