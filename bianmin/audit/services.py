"""The audit trail's one write path. Every service calls audit_record inside its own transaction."""

from __future__ import annotations

import json
import zlib
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from bianmin.audit.models import AuditChainHead, AuditEntry
from bianmin.core.crypto import hmac_sm3
from bianmin.core.masking import mask_text
from bianmin.core.middleware import client_address, current_request

GENESIS_MAC = "0" * 64


def _partition_for(object_type: str, object_id: str) -> int:
    return zlib.crc32(f"{object_type}:{object_id}".encode()) % settings.AUDIT_PARTITIONS


def entry_payload(entry: AuditEntry) -> bytes:
    """The canonical serialisation that the MAC covers (documented in docs/architecture.md)."""
    data = {
        "partition": entry.partition,
        "seq": entry.seq,
        "created_at": entry.created_at.isoformat(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "actor_role": entry.actor_role,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": entry.changes,
        "ip_address": entry.ip_address,
        "prev_mac": entry.prev_mac,
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def entry_mac(entry: AuditEntry) -> str:
    return hmac_sm3(bytes.fromhex(settings.AUDIT_HMAC_KEY), entry_payload(entry)).hex()


def _jsonable(changes: dict[str, Any] | None) -> dict[str, Any]:
    text = json.dumps(changes or {}, ensure_ascii=False, default=str)
    return json.loads(mask_text(text))


@transaction.atomic
def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    role: str = "",
) -> AuditEntry:
    """Append one entry: who (actor, role), when, on which object, what changed, from which address."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        object_repr = object_repr or mask_text(str(target))[:200]
    partition = _partition_for(object_type, object_id)
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(
        partition=partition, defaults={"seq": 0, "mac": GENESIS_MAC}
    )
    user = actor if getattr(actor, "pk", None) else None
    entry = AuditEntry(
        partition=partition,
        seq=head.seq + 1,
        created_at=timezone.now(),
        actor=user,
        actor_label=(user.username if user else str(actor or "system"))[:150],
        actor_role=role,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        changes=_jsonable(changes),
        ip_address=client_address(current_request()),
        prev_mac=head.mac,
    )
    entry.mac = entry_mac(entry)
    entry.save(force_insert=True)
    head.seq, head.mac = entry.seq, entry.mac
    head.save(update_fields=["seq", "mac"])
    return entry
