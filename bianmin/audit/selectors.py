"""Reads of the audit trail, scoped: only supervisors and platform administrators browse it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bianmin.accounts import rules
from bianmin.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry
from bianmin.core.exceptions import PermissionDenied

LIST_FIELDS = (
    "id",
    "partition",
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "ip_address",
)


def audit_can_browse(user) -> bool:
    return rules.is_platform_admin(user) or rules.is_supervisor(user)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entry_list(*, user, filters: dict[str, Any] | None = None) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered. Dates are local (Asia/Shanghai) days, both ends included.

    Date bounds are turned into a created_at range (not __date) so the created_at index serves them.
    """
    if not audit_can_browse(user):
        raise PermissionDenied(_("只有效能监督员和平台管理员可以查看审计日志。"))
    filters = filters or {}
    qs = AuditEntry.objects.only(*LIST_FIELDS).order_by("-created_at", "-id")
    if filters.get("date_from"):
        qs = qs.filter(created_at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(created_at__lt=_day_start(filters["date_to"] + dt.timedelta(days=1)))
    if filters.get("actor"):
        actor = str(filters["actor"]).strip()
        qs = (
            qs.filter(actor_id=int(actor))
            if actor.isdigit() and len(actor) <= 18
            else qs.filter(actor_label__icontains=actor)
        )
    if filters.get("role"):
        qs = qs.filter(actor_role=filters["role"])
    if filters.get("action"):
        action = str(filters["action"]).strip()
        qs = qs.filter(action__startswith=action[:-1]) if action.endswith("*") else qs.filter(action=action)
    if filters.get("object_type"):
        qs = qs.filter(object_type=str(filters["object_type"]).strip())
    if filters.get("object_id"):
        qs = qs.filter(object_id=str(filters["object_id"]).strip())
    return qs


def audit_object_types(*, user) -> list[str]:
    if not audit_can_browse(user):
        raise PermissionDenied(_("只有效能监督员和平台管理员可以查看审计日志。"))
    return list(AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct()[:200])


def audit_chain_status(*, user) -> list[dict[str, Any]]:
    """Per partition: head seq and the newest signed checkpoint (two queries)."""
    if not audit_can_browse(user):
        raise PermissionDenied(_("只有效能监督员和平台管理员可以查看审计日志。"))
    last_checkpoint = dict(
        AuditCheckpoint.objects.order_by()
        .values("partition")
        .annotate(seq=Max("seq"))
        .values_list("partition", "seq")
    )
    return [
        {"partition": partition, "seq": seq, "checkpoint_seq": last_checkpoint.get(partition)}
        for partition, seq in AuditChainHead.objects.order_by("partition").values_list("partition", "seq")
    ]
