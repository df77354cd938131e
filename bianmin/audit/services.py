"""The audit trail's one write path. Every service calls audit_record inside its own transaction.

Chain, canonical serialisation, partitions and checkpoints are described in docs/audit.md.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import zlib
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from bianmin.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry, SigningKey
from bianmin.core.crypto import hmac_sm3
from bianmin.core.masking import mask_id_card, mask_mobile, mask_text
from bianmin.core.middleware import client_address, current_request
from bianmin.documents import sm2

logger = logging.getLogger("bianmin.audit")
checkpoint_logger = logging.getLogger("bianmin.audit.checkpoint")

GENESIS_MAC = "0" * 64
PAYLOAD_VERSION = "bianmin-audit-entry/v1"
CHECKPOINT_VERSION = "bianmin-audit-checkpoint/v1"

# The fields the entry MAC covers, in the canonical serialisation (docs/audit.md).
MAC_FIELDS = (
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
    "prev_mac",
)

_SECRET_KEY_PARTS = ("password", "secret", "token", "otp", "code_hash", "private_key")
_ID_CARD_KEY_PARTS = ("id_card", "idcard", "id_no")
_MOBILE_KEY_PARTS = ("mobile", "phone", "tel")


# --- canonical serialisation and MAC ---------------------------------------------------------------


def _canonical_time(value: dt.datetime) -> str:
    """UTC, microseconds, fixed width: identical whichever database returned the value."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_payload(data: dict[str, Any]) -> bytes:
    """Canonical bytes of one entry: version tag, then sorted-key compact JSON of MAC_FIELDS."""
    body = {name: data[name] for name in MAC_FIELDS}
    body["created_at"] = _canonical_time(body["created_at"])
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return PAYLOAD_VERSION.encode() + b"\n" + text.encode()


def entry_payload(entry: AuditEntry) -> bytes:
    return canonical_payload({name: getattr(entry, name) for name in MAC_FIELDS})


def _mac_key() -> bytes:
    return bytes.fromhex(settings.AUDIT_HMAC_KEY)


def payload_mac(payload: bytes) -> str:
    return hmac_sm3(_mac_key(), payload).hex()


def entry_mac(entry: AuditEntry) -> str:
    return payload_mac(entry_payload(entry))


# --- masking ---------------------------------------------------------------------------------------


def mask_changes(value: Any, key: str = "") -> Any:
    """JSON-safe copy of `changes` with personal data masked, by key name and by pattern."""
    lowered = key.lower()
    if isinstance(value, dict):
        return {str(k): mask_changes(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [mask_changes(v, key) for v in items]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    sensitive = any(p in lowered for p in (*_SECRET_KEY_PARTS, *_ID_CARD_KEY_PARTS, *_MOBILE_KEY_PARTS))
    if isinstance(value, int) and not sensitive:
        masked = mask_text(str(value))
        return value if masked == str(value) else masked
    text = str(value).replace("\x00", "")
    if any(p in lowered for p in _SECRET_KEY_PARTS):
        return "******" if text else ""
    if any(p in lowered for p in _ID_CARD_KEY_PARTS):
        return mask_id_card(text)
    if any(p in lowered for p in _MOBILE_KEY_PARTS):
        return mask_mobile(text) if len(text) >= 7 else mask_text(text)
    return mask_text(text)


# --- partitions ------------------------------------------------------------------------------------


def partition_for(object_type: str, object_id: str, actor_label: str = "") -> int:
    """The preferred partition of an entry: by object (so an object's entries usually share one chain),
    by actor when there is no object. CRC32 is stable across processes and Python versions. Under
    contention on PostgreSQL an entry may land elsewhere (_locked_head); entries record their partition."""
    key = f"{object_type}:{object_id}" if (object_type or object_id) else f"actor:{actor_label}"
    return zlib.crc32(key.encode()) % settings.AUDIT_PARTITIONS


def _ensure_heads() -> None:
    """Create every partition's head row at once; two first writers may race, the loser's rows are ignored."""
    AuditChainHead.objects.bulk_create(
        [AuditChainHead(partition=p, seq=0, mac=GENESIS_MAC) for p in range(settings.AUDIT_PARTITIONS)],
        ignore_conflicts=True,
    )


def _locked_head(preferred: int) -> AuditChainHead:
    """Lock a partition's head for this transaction and return it.

    The preferred partition (by object) is taken when free. On PostgreSQL, when another transaction holds
    it, any free partition is taken instead (SKIP LOCKED): a writer waits only if every partition is busy,
    and a transaction that already holds partition A never waits for B while another holds B and waits
    for A (no lock-order deadlocks between services that audit several objects). SQLite serialises
    writers on the database anyway, so there the preferred partition is simply used.
    """
    heads = AuditChainHead.objects.select_for_update
    if connection.features.has_select_for_update_skip_locked:
        head = heads(skip_locked=True).filter(partition=preferred).first()
        if head is not None:
            return head
        if AuditChainHead.objects.filter(partition=preferred).exists():  # busy: take any free partition
            head = (
                heads(skip_locked=True)
                .filter(partition__lt=settings.AUDIT_PARTITIONS)
                .order_by("partition")
                .first()
            )
            if head is not None:
                return head
    head = heads().filter(partition=preferred).first()
    if head is None:
        _ensure_heads()
        head = heads().get(partition=preferred)
    return head


def _role_for(user, role: str) -> str:
    if role or user is None:
        return str(role)[:32]
    from bianmin.accounts import rules

    roles = sorted(rules.roles_of(user))
    if len(roles) == 1:
        return roles[0]
    if not roles:
        return str(getattr(user, "kind", ""))[:32]
    return ""  # several roles and the caller did not say which one it acted in


# --- the write path --------------------------------------------------------------------------------


@transaction.atomic(savepoint=False)  # part of the caller's transaction: no savepoint round trips
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
    """Append one entry: who (actor, role), when, on which object, what changed (masked), from where.

    Call it inside the service's transaction: the entry commits or rolls back with the change it records.
    Only the partition's head row is locked, so writes about objects in other partitions run in parallel.
    """
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
        object_repr = object_repr or str(target)
    user = actor if getattr(actor, "pk", None) else None
    actor_label = mask_text(user.get_username() if user else str(actor or "system"))[:150]
    head = _locked_head(partition_for(object_type, str(object_id), actor_label))
    partition = head.partition
    entry = AuditEntry(
        partition=partition,
        seq=head.seq + 1,
        created_at=timezone.now(),
        actor=user,
        actor_label=actor_label,
        actor_role=_role_for(user, role),
        action=str(action)[:64],
        object_type=str(object_type)[:64],
        object_id=str(object_id)[:64],
        object_repr=mask_text(str(object_repr))[:200],
        changes=mask_changes(changes or {}),
        ip_address=client_address(current_request())[:64],
        prev_mac=head.mac,
    )
    entry.mac = entry_mac(entry)
    entry.save()
    head.seq, head.mac = entry.seq, entry.mac
    head.save(update_fields=["seq", "mac"])
    every = settings.AUDIT_CHECKPOINT_EVERY
    if every > 0 and entry.seq % every == 0:
        _checkpoint_write(partition=partition, seq=entry.seq, mac=entry.mac)
    return entry


# --- signing keys ----------------------------------------------------------------------------------

_private_keys: dict[str, sm2.PrivateKey] = {}


def _kek() -> bytes:
    return bytes.fromhex(settings.SEAL_KEY_ENCRYPTION_KEY)


def _signing_key_create(purpose: str) -> SigningKey:
    private_key = sm2.generate_private_key()
    fingerprint = sm2.fingerprint(private_key.public_key())
    row = SigningKey.objects.create(
        purpose=purpose,
        fingerprint=fingerprint,
        public_key_pem=sm2.public_key_pem(private_key.public_key()),
        sealed_private_key=sm2.seal_private_key(private_key, _kek()),
        is_active=True,
    )
    _private_keys[fingerprint] = private_key
    logger.info("new %s signing key %s", purpose, fingerprint)
    return row


def signing_key_active(
    purpose: str = SigningKey.Purpose.AUDIT_CHECKPOINT,
) -> tuple[SigningKey, sm2.PrivateKey]:
    """The active key pair for `purpose`, created on first use."""
    row = SigningKey.objects.filter(purpose=purpose, is_active=True).first()
    if row is None:
        try:
            with transaction.atomic():
                row = _signing_key_create(purpose)
        except IntegrityError:  # another process created it first
            row = SigningKey.objects.get(purpose=purpose, is_active=True)
    private_key = _private_keys.get(row.fingerprint)
    if private_key is None:
        private_key = sm2.open_private_key(
            row.sealed_private_key, _kek(), expected_fingerprint=row.fingerprint
        )
        _private_keys[row.fingerprint] = private_key
    return row, private_key


@transaction.atomic
def signing_key_rotate(*, acting_user=None, purpose: str = SigningKey.Purpose.AUDIT_CHECKPOINT) -> SigningKey:
    """Retire the active key (its public key stays, so its signatures still verify) and make a new one."""
    now = timezone.now()
    old = list(SigningKey.objects.select_for_update().filter(purpose=purpose, is_active=True))
    for row in old:
        row.is_active, row.retired_at = False, now
        row.save(update_fields=["is_active", "retired_at"])
    new = _signing_key_create(purpose)
    audit_record(
        actor=acting_user,
        action="audit.signing_key_rotated",
        target=new,
        changes={"retired": [row.fingerprint for row in old], "active": new.fingerprint, "purpose": purpose},
    )
    return new


# --- checkpoints -----------------------------------------------------------------------------------


def checkpoint_payload(
    *, partition: int, seq: int, mac: str, created_at: dt.datetime, key_fingerprint: str
) -> bytes:
    body = {
        "partition": partition,
        "seq": seq,
        "mac": mac,
        "created_at": _canonical_time(created_at),
        "key_fingerprint": key_fingerprint,
    }
    return (
        CHECKPOINT_VERSION.encode() + b"\n" + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    )


def _checkpoint_write(*, partition: int, seq: int, mac: str) -> AuditCheckpoint:
    """Sign "partition reached seq with mac". The caller holds the partition's head lock."""
    key_row, private_key = signing_key_active()
    created_at = timezone.now()
    payload = checkpoint_payload(
        partition=partition, seq=seq, mac=mac, created_at=created_at, key_fingerprint=key_row.fingerprint
    )
    checkpoint = AuditCheckpoint.objects.create(
        partition=partition,
        seq=seq,
        mac=mac,
        created_at=created_at,
        key_fingerprint=key_row.fingerprint,
        signature=sm2.sign(private_key, payload).hex(),
    )
    # Also leave the checkpoint outside the database (log shipping): a copy an attacker with database
    # access cannot reach is what makes a truncated tail provable even if the checkpoints go with it.
    checkpoint_logger.info(
        "audit checkpoint partition=%s seq=%s mac=%s key=%s signature=%s",
        partition,
        seq,
        mac,
        key_row.fingerprint,
        checkpoint.signature,
    )
    return checkpoint


def audit_checkpoint_partitions() -> list[AuditCheckpoint]:
    """Checkpoint every partition whose head moved since its last checkpoint (the periodic task)."""
    made = []
    for partition in AuditChainHead.objects.order_by("partition").values_list("partition", flat=True):
        with transaction.atomic():
            head = AuditChainHead.objects.select_for_update().get(partition=partition)
            last = (
                AuditCheckpoint.objects.filter(partition=partition)
                .order_by("-seq")
                .values_list("seq", flat=True)
            ).first()
            if head.seq == 0 or (last is not None and last >= head.seq):
                continue
            made.append(_checkpoint_write(partition=partition, seq=head.seq, mac=head.mac))
    return made
