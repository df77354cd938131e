"""Settings of 好差评 with their defaults (override in Django settings)."""

from __future__ import annotations

from django.conf import settings

from bianmin.evaluation.constants import DEFAULT_TAGS


def tags_for(mode: str) -> list[str]:
    tags = getattr(settings, "EVALUATION_TAGS", None) or DEFAULT_TAGS
    return list(tags.get(mode, []))


def callback_days() -> int:
    """回访 of an identified bad rater within this many working days."""
    return int(getattr(settings, "EVALUATION_CALLBACK_DAYS", 1))


def rectification_days() -> int:
    return int(getattr(settings, "EVALUATION_RECTIFICATION_DAYS", 15))


def follow_up_days() -> int:
    """A follow-up rating (追评) within this many days of the first."""
    return int(getattr(settings, "EVALUATION_FOLLOW_UP_DAYS", 30))
