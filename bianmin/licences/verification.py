"""Verification anywhere: by identifier (the QR link), by an exported licence file, by an uploaded PDF.

Answers valid / expired / revoked (date and reason) / superseded / tampered / unknown, and for a licence
it found, the part a holder would show on paper (holder code masked). Reads only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bianmin.core.crypto import sm3_hex
from bianmin.documents import services as seals
from bianmin.licences import canonical, identifiers
from bianmin.licences.constants import FILE_FORMAT, LicenceStatus, VerifyOutcome
from bianmin.licences.models import Licence

_PDF_IDENTIFIER = re.compile(
    rb"1\.2\.156\.3005\.2\.[0-9A-Z]{21}\.[0-9A-Z]{18}\.[0-9A-Za-z]{1,40}\.\d{3}\.[0-9A-Z]"
)

MESSAGES = {
    VerifyOutcome.VALID: gettext_lazy("证照真实有效。"),
    VerifyOutcome.EXPIRED: gettext_lazy("证照真实，但已超过有效期。"),
    VerifyOutcome.REVOKED: gettext_lazy("证照已被颁发机关注销或吊销。"),
    VerifyOutcome.SUPERSEDED: gettext_lazy("证照真实，但已有更新的版本（延续或变更），请以新版本为准。"),
    VerifyOutcome.TAMPERED: gettext_lazy("证照内容与签发时不一致或电子签名无效，可能被篡改。"),
    VerifyOutcome.UNKNOWN: gettext_lazy("未找到该电子证照。"),
}


@dataclass
class Verification:
    outcome: str
    detail: str = ""
    licence: Licence | None = None
    data: dict[str, Any] | None = None  # the signed data (offline file checks)
    revoked_on: dt.date | None = None
    revocation_reason: str = ""
    revocation_kind: str = ""
    current_identifier: str = ""
    signature_valid: bool = False
    checks: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        return str(MESSAGES[self.outcome])

    @property
    def outcome_label(self) -> str:
        return str(VerifyOutcome(self.outcome).label)

    def public(self) -> dict[str, Any] | None:
        """What the holder shows on paper: no full ID number, nothing internal."""
        if self.licence is not None:
            lic = self.licence
            from bianmin.licences.services import labelled_fields

            return {
                "identifier": lic.identifier,
                "type_name": lic.licence_type.name,
                "licence_no": lic.licence_no,
                "holder_name": lic.holder_name,
                "holder_code_masked": lic.holder_code_masked,
                "holder_code_type": lic.get_holder_code_type_display(),
                "issuer_name": lic.issuer.name,
                "issued_on": lic.issued_on.isoformat(),
                "valid_from": lic.valid_from.isoformat(),
                "valid_until": lic.valid_until.isoformat() if lic.valid_until else None,
                "version": lic.version,
                "fields": [{"label": str(k), "value": v} for k, v in labelled_fields(lic)],
                "seal_name": lic.seal.name,
            }
        if self.data is not None:
            from bianmin.core.masking import mask_id_card

            d = self.data
            return {
                "identifier": d.get("identifier"),
                "type_name": d.get("type_name"),
                "licence_no": d.get("licence_no"),
                "holder_name": d.get("holder_name"),
                "holder_code_masked": mask_id_card(d.get("holder_code") or ""),
                "holder_code_type": d.get("holder_code_type"),
                "issuer_name": d.get("issuer_name"),
                "issued_on": d.get("issued_on"),
                "valid_from": d.get("valid_from"),
                "valid_until": d.get("valid_until"),
                "version": d.get("version"),
                "fields": [{"label": k, "value": v} for k, v in sorted((d.get("fields") or {}).items())],
                "seal_name": d.get("seal_code"),
            }
        return None


def _integrity_ok(licence: Licence) -> bool:
    """The stored canonical data still matches its digest, its identifier and its seal signature."""
    payload = licence.canonical_json.encode("utf-8")
    if sm3_hex(payload) != licence.digest_sm3:
        return False
    try:
        data = json.loads(payload)
    except ValueError:
        return False
    if data.get("identifier") != licence.identifier or data.get("key_fingerprint") != licence.key_fingerprint:
        return False
    try:
        signature = bytes.fromhex(licence.signature)
    except ValueError:
        return False
    return seals.verify(data=payload, signature=signature, fingerprint=licence.key_fingerprint)


def _status(licence: Licence, today: dt.date, result: Verification) -> Verification:
    result.licence = licence
    if licence.status == LicenceStatus.REVOKED:
        result.outcome = VerifyOutcome.REVOKED
        result.revoked_on = licence.revoked_on
        result.revocation_reason = licence.revocation_reason
        result.revocation_kind = licence.get_revocation_kind_display()
    elif licence.status == LicenceStatus.SUPERSEDED:
        result.outcome = VerifyOutcome.SUPERSEDED
        newest = licence
        while hasattr(newest, "next_version"):
            try:
                newest = newest.next_version
            except Licence.DoesNotExist:
                break
        result.current_identifier = newest.identifier
    elif licence.status == LicenceStatus.EXPIRED or (licence.valid_until and licence.valid_until < today):
        result.outcome = VerifyOutcome.EXPIRED
    elif licence.valid_from > today:
        result.outcome = VerifyOutcome.UNKNOWN
        result.detail = _("证照尚未生效。")
    else:
        result.outcome = VerifyOutcome.VALID
    return result


def _load(identifier: str) -> Licence | None:
    return (
        Licence.objects.select_related("licence_type", "issuer", "seal", "previous")
        .filter(identifier=identifier)
        .first()
    )


def verify_identifier(identifier: str, *, today: dt.date | None = None) -> Verification:
    today = today or timezone.localdate()
    identifier = (identifier or "").strip()
    if identifiers.parse(identifier) is None:
        return Verification(VerifyOutcome.UNKNOWN, detail=_("电子证照标识格式或校验位不正确。"))
    licence = _load(identifier)
    if licence is None:
        return Verification(VerifyOutcome.UNKNOWN)
    if not _integrity_ok(licence):
        return Verification(VerifyOutcome.TAMPERED, licence=licence, detail=_("库内证照数据与签名不符。"))
    return _status(licence, today, Verification(VerifyOutcome.VALID, signature_valid=True))


def verify_file(
    raw: bytes, *, keys: dict[str, str] | None = None, online: bool = True, today: dt.date | None = None
) -> Verification:
    """Check an exported licence file byte for byte.

    The file must be in canonical form (so any changed byte shows), its data must hash to its digest,
    and the signature must verify with a *published* key of the seal it names: `keys` maps fingerprints
    to PEM public keys (offline, from `licences export-keys`), else the database's published keys.
    Online, the licence's current status is then looked up.
    """
    today = today or timezone.localdate()
    tampered = Verification(VerifyOutcome.TAMPERED)
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        tampered.detail = _("文件不是有效的电子证照文件。")
        return tampered
    if not isinstance(document, dict) or set(document) != canonical.FILE_KEYS:
        tampered.detail = _("文件结构不正确。")
        return tampered
    if canonical.dumps(document) != raw.rstrip(b"\n"):
        tampered.detail = _("文件不是签发时的规范格式。")
        return tampered
    data = document["data"]
    if document["format"] != FILE_FORMAT or not isinstance(data, dict) or set(data) != canonical.DATA_KEYS:
        tampered.detail = _("证照数据结构不正确。")
        return tampered
    payload = canonical.dumps(data)
    if sm3_hex(payload) != document["digest_sm3"]:
        tampered.detail = _("证照数据摘要不符。")
        return tampered
    fingerprint = document["public_key_fingerprint"]
    if (
        data["key_fingerprint"] != fingerprint
        or data["seal_code"] != document["seal_code"]
        or data["key_version"] != document["key_version"]
    ):
        tampered.detail = _("签名密钥信息不一致。")
        return tampered
    signature_hex = document["signature"]
    try:
        signature = bytes.fromhex(signature_hex)
    except (TypeError, ValueError):
        tampered.detail = _("签名格式不正确。")
        return tampered
    if signature.hex() != signature_hex:
        tampered.detail = _("签名格式不正确。")
        return tampered
    if keys is not None:
        published_pem = keys.get(fingerprint)
    else:
        key = seals.key_by_fingerprint(fingerprint)
        published_pem = key.public_key_pem if key is not None else None
    if published_pem is None:
        tampered.detail = _("签名公钥不在已公布的印章公钥中。")
        return tampered
    if document["public_key_pem"].strip() != published_pem.strip():
        tampered.detail = _("文件所附公钥与公布的公钥不一致。")
        return tampered
    if not seals.verify(
        data=payload, signature=signature, fingerprint=fingerprint, public_key_pem=published_pem
    ):
        tampered.detail = _("电子签名验证失败。")
        return tampered
    if identifiers.parse(data["identifier"]) is None:
        tampered.detail = _("电子证照标识校验位不正确。")
        return tampered
    if not online:
        valid_until = data.get("valid_until")
        expired = bool(valid_until) and dt.date.fromisoformat(valid_until) < today
        return Verification(
            VerifyOutcome.EXPIRED if expired else VerifyOutcome.VALID,
            data=data,
            signature_valid=True,
            detail=_("离线核验：签名有效；注销、吊销状态须联网查询。"),
        )
    licence = _load(data["identifier"])
    if licence is None:
        return Verification(VerifyOutcome.UNKNOWN, data=data, signature_valid=True)
    if licence.digest_sm3 != document["digest_sm3"] or not _integrity_ok(licence):
        return Verification(VerifyOutcome.TAMPERED, data=data, detail=_("文件与库内证照不一致。"))
    return _status(licence, today, Verification(VerifyOutcome.VALID, signature_valid=True, data=data))


def verify_pdf(raw: bytes, *, today: dt.date | None = None) -> Verification:
    """An uploaded PDF is genuine if its SM3 is the one recorded when it was issued."""
    today = today or timezone.localdate()
    digest = sm3_hex(raw)
    licence = (
        Licence.objects.select_related("licence_type", "issuer", "seal", "previous")
        .filter(pdf_sm3=digest)
        .first()
    )
    if licence is not None:
        if not _integrity_ok(licence):
            return Verification(VerifyOutcome.TAMPERED, licence=licence)
        return _status(licence, today, Verification(VerifyOutcome.VALID, signature_valid=True))
    match = _PDF_IDENTIFIER.search(raw)
    if match and _load(match.group().decode("ascii")) is not None:
        return Verification(VerifyOutcome.TAMPERED, detail=_("PDF文件与签发时的摘要（SM3）不符。"))
    if raw.startswith(b"%PDF"):
        return Verification(
            VerifyOutcome.UNKNOWN, detail=_("无法识别的PDF文件（非本平台签发，或已被修改）。")
        )
    return Verification(VerifyOutcome.UNKNOWN, detail=_("不是PDF文件。"))


def verify_any(*, identifier: str = "", file_bytes: bytes | None = None) -> Verification:
    if file_bytes is not None:
        if file_bytes.lstrip()[:1] == b"{":
            return verify_file(file_bytes)
        return verify_pdf(file_bytes)
    return verify_identifier(identifier)
