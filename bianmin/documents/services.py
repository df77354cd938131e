"""Seals (一枚印章): creation and key rotation (platform administrators, audited), and the signing API
that other apps use (licences now, decision notices of cases later):

    signature = sign(seal, data)          # SealSignature(signature, seal_code, key_version, fingerprint)
    verify(data=..., signature=..., fingerprint=...)  -> bool   # any key version ever published

Private keys leave the database only inside `_private_key()` and never appear in logs, the API, the
admin or audit entries (they record fingerprints).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.accounts import rules as account_rules
from bianmin.audit.services import audit_record
from bianmin.documents import sm2
from bianmin.documents.exceptions import SealConflict, SealInvalid, SealPermissionDenied
from bianmin.documents.models import Seal, SealKey, SealType
from bianmin.documents.seal_image import seal_svg


@dataclass(frozen=True)
class SealSignature:
    signature: bytes
    seal_code: str
    key_version: int
    fingerprint: str


@dataclass(frozen=True)
class PublishedKey:
    seal_code: str
    seal_name: str
    department_uscc: str
    version: int
    fingerprint: str
    public_key_pem: str
    is_current: bool
    valid_from: dt.date
    valid_until: dt.date
    retired_at: dt.datetime | None

    def as_dict(self) -> dict:
        return {
            "seal_code": self.seal_code,
            "seal_name": self.seal_name,
            "department_uscc": self.department_uscc,
            "key_version": self.version,
            "fingerprint": self.fingerprint,
            "public_key_pem": self.public_key_pem,
            "is_current": self.is_current,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "retired_at": self.retired_at.isoformat() if self.retired_at else None,
        }


def _kek() -> bytes:
    return bytes.fromhex(settings.SEAL_KEY_ENCRYPTION_KEY)


def _require_admin(user) -> None:
    if not account_rules.is_platform_admin(user):
        raise SealPermissionDenied(_("只有平台管理员可以管理电子印章。"))


def _new_key(seal: Seal, version: int) -> SealKey:
    private_key = sm2.generate_private_key()
    public_key = private_key.public_key()
    return SealKey.objects.create(
        seal=seal,
        version=version,
        public_key_pem=sm2.public_key_pem(public_key),
        fingerprint=sm2.fingerprint(public_key),
        sealed_private_key=sm2.seal_private_key(private_key, _kek()),
        is_current=True,
    )


def seal_code_for(department, seal_type: str = SealType.APPROVAL, serial: int = 1) -> str:
    """印章标识: the unit's USCC, a type digit (1 审批专用章, 2 公章) and a 2-digit serial."""
    return f"{department.uscc}{'1' if seal_type == SealType.APPROVAL else '2'}{serial:02d}"


@transaction.atomic
def seal_create(
    *,
    department,
    acting_user,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    name: str = "",
) -> Seal:
    """The approval seal (行政审批专用章) of a department, with its first SM2 key pair and its picture."""
    _require_admin(acting_user)
    if Seal.objects.filter(department=department).exists():
        raise SealConflict(_("该单位已有电子印章（一枚印章管审批）。"))
    valid_from = valid_from or timezone.localdate()
    valid_until = valid_until or valid_from.replace(year=valid_from.year + 5)
    if valid_until <= valid_from:
        raise SealInvalid(_("有效期止必须晚于有效期起。"), fields={"valid_until": [_("日期不正确。")]})
    code = seal_code_for(department)
    seal = Seal.objects.create(
        department=department,
        code=code,
        name=name or f"{department.name}行政审批专用章",
        seal_type=SealType.APPROVAL,
        valid_from=valid_from,
        valid_until=valid_until,
        image_svg=seal_svg(department.name, code=code),
        created_by=acting_user,
    )
    key = _new_key(seal, 1)
    audit_record(
        actor=acting_user,
        action="documents.seal_create",
        target=seal,
        changes={"code": code, "key_version": 1, "fingerprint": key.fingerprint},
    )
    return seal


@transaction.atomic
def seal_rotate(*, seal: Seal, acting_user, reason: str) -> SealKey:
    """A new key version signs from now on; the old public keys stay published for verification."""
    _require_admin(acting_user)
    if not (reason or "").strip():
        raise SealInvalid(_("请填写更换密钥的原因。"), fields={"reason": [_("必填。")]})
    seal = Seal.objects.select_for_update().get(pk=seal.pk)
    old = seal.keys.filter(is_current=True).first()
    version = (seal.keys.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    if old is not None:
        old.is_current = False
        old.retired_at = timezone.now()
        old.save(update_fields=["is_current", "retired_at"])
    key = _new_key(seal, version)
    audit_record(
        actor=acting_user,
        action="documents.seal_rotate",
        target=seal,
        changes={
            "key_version": [old.version if old else None, version],
            "fingerprint": [old.fingerprint if old else None, key.fingerprint],
            "reason": reason.strip(),
        },
    )
    return key


@lru_cache(maxsize=128)
def _open(fingerprint: str, token: str):
    return sm2.open_private_key(token, _kek(), expected_fingerprint=fingerprint)


def current_key(seal: Seal) -> SealKey:
    key = seal.keys.filter(is_current=True).first()
    if key is None:
        raise SealConflict(_("该印章没有可用的签名密钥。"))
    return key


def sign(seal: Seal, data: bytes, *, today: dt.date | None = None) -> SealSignature:
    """SM2-with-SM3 signature of `data` with the seal's current key. Refused outside the seal's validity."""
    today = today or timezone.localdate()
    if not seal.is_active or not (seal.valid_from <= today <= seal.valid_until):
        raise SealConflict(_("印章已停用或不在有效期内，不能用印。"))
    key = current_key(seal)
    signature = sm2.sign(_open(key.fingerprint, key.sealed_private_key), data)
    return SealSignature(signature, seal.code, key.version, key.fingerprint)


@lru_cache(maxsize=256)
def _public_key(pem: str):
    return sm2.load_public_key_pem(pem)


def key_by_fingerprint(fingerprint: str) -> SealKey | None:
    return SealKey.objects.select_related("seal").filter(fingerprint=fingerprint).first()


def verify(*, data: bytes, signature: bytes, fingerprint: str, public_key_pem: str | None = None) -> bool:
    """True if `signature` over `data` verifies with the published key of that fingerprint (any version).

    `public_key_pem` (offline, from a published key list) skips the database lookup; it must still match
    the fingerprint.
    """
    if public_key_pem is None:
        key = key_by_fingerprint(fingerprint)
        if key is None:
            return False
        public_key_pem = key.public_key_pem
    try:
        public_key = _public_key(public_key_pem)
    except ValueError:
        return False
    if sm2.fingerprint(public_key) != fingerprint:
        return False
    return sm2.is_valid(public_key, signature, data)


def published_keys() -> list[PublishedKey]:
    rows = SealKey.objects.select_related("seal__department").order_by("seal__code", "version")
    return [
        PublishedKey(
            seal_code=k.seal.code,
            seal_name=k.seal.name,
            department_uscc=k.seal.department.uscc,
            version=k.version,
            fingerprint=k.fingerprint,
            public_key_pem=k.public_key_pem,
            is_current=k.is_current,
            valid_from=k.seal.valid_from,
            valid_until=k.seal.valid_until,
            retired_at=k.retired_at,
        )
        for k in rows
    ]


def seal_for_department(department) -> Seal | None:
    """The active approval seal of a department (for notices and licences), or None."""
    return Seal.objects.filter(department=department, is_active=True).first()
