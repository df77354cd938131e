"""Reads of the message centre, always scoped to the signed-in user's own messages."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Count, Q, QuerySet

from bianmin.notifications.constants import Category
from bianmin.notifications.exceptions import MessageNotFound
from bianmin.notifications.models import Message, NotificationPreference


def _truthy(value) -> bool:
    return str(value).lower() in {"1", "true", "yes", "on"}


def message_list(*, user, filters: Mapping | None = None) -> QuerySet[Message]:
    """The user's messages, newest first; filters: category, unread (1/true)."""
    if not getattr(user, "is_authenticated", False):
        return Message.objects.none()
    filters = filters or {}
    qs = Message.objects.filter(recipient_id=user.pk)
    category = filters.get("category") or ""
    if category in Category.values:
        qs = qs.filter(category=category)
    if _truthy(filters.get("unread", "")):
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def message_get_for_user(*, user, pk) -> Message:
    """One of the user's own messages; anyone else's is 404 (no existence leak)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise MessageNotFound() from None
    message = Message.objects.filter(pk=pk, recipient_id=getattr(user, "pk", None)).first()
    if message is None:
        raise MessageNotFound()
    return message


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Message.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def unread_by_category(*, user) -> dict[str, int]:
    """{category: unread} for the user, plus "all", in one query (the tabs of the message centre)."""
    if not getattr(user, "is_authenticated", False):
        return {"all": 0}
    rows = (
        Message.objects.filter(recipient_id=user.pk, read_at__isnull=True)
        .values("category")
        .annotate(n=Count("id", filter=Q(read_at__isnull=True)))
        .order_by()
    )
    counts = {row["category"]: row["n"] for row in rows}
    counts["all"] = sum(counts.values())
    return counts


def preference_for_user(*, user) -> NotificationPreference:
    """The user's own channel choices; an unsaved row with the defaults when they never chose."""
    preference = NotificationPreference.objects.filter(user_id=user.pk).first()
    return preference or NotificationPreference(user=user)
