"""Periodic tasks in the district's own clock and language.

huey evaluates crontabs in UTC (its default, and the only choice that does not depend on the server's system
time zone), while people think in Beijing time: `local_crontab(hour=8, minute=30)` is 08:30 in
settings.TIME_ZONE (China has no daylight saving, so the offset is fixed). A task runs without a request, and
a thread that served a request keeps that request's language: `in_site_language` composes messages in
settings.LANGUAGE_CODE whatever ran before.
"""

from __future__ import annotations

import datetime as dt
import functools
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from huey import crontab


def _utc_offset_hours() -> int:
    offset = dt.datetime.now(ZoneInfo(settings.TIME_ZONE)).utcoffset() or dt.timedelta(0)
    return int(offset.total_seconds() // 3600)


def local_crontab(*, hour: int, minute: int = 0, day_of_week: str = "*"):
    """A daily crontab at hour:minute local time (settings.TIME_ZONE), for huey's UTC clock."""
    return crontab(minute=str(minute), hour=str((hour - _utc_offset_hours()) % 24), day_of_week=day_of_week)


def in_site_language(func):
    """Run `func` with the site's language active (messages and SMS written by periodic tasks)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper
