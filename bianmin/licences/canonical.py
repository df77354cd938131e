"""What is signed, exactly (docs/licences.md): the canonical data of a licence version and the exported
licence file. Both are JSON with sorted keys, UTF-8 (no \\u escapes), no insignificant whitespace, dates
as ISO 8601 (YYYY-MM-DD), integers as integers, absent values as null."""

from __future__ import annotations

import json
from typing import Any

from bianmin.licences.constants import CANONICAL_FORMAT, FILE_FORMAT

DATA_KEYS = frozenset(
    {
        "format",
        "identifier",
        "type_code",
        "type_name",
        "licence_no",
        "holder_name",
        "holder_code",
        "holder_code_type",
        "issuer_code",
        "issuer_name",
        "issued_on",
        "valid_from",
        "valid_until",
        "version",
        "previous_identifier",
        "case_number",
        "fields",
        "seal_code",
        "key_version",
        "key_fingerprint",
    }
)
FILE_KEYS = frozenset(
    {
        "format",
        "data",
        "digest_sm3",
        "signature",
        "seal_code",
        "key_version",
        "public_key_fingerprint",
        "public_key_pem",
    }
)


def dumps(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def licence_data(licence, *, seal_code: str, key_version: int, key_fingerprint: str) -> dict[str, Any]:
    return {
        "format": CANONICAL_FORMAT,
        "identifier": licence.identifier,
        "type_code": licence.licence_type.code,
        "type_name": licence.licence_type.name,
        "licence_no": licence.licence_no,
        "holder_name": licence.holder_name,
        "holder_code": licence.holder_code,
        "holder_code_type": licence.holder_code_type,
        "issuer_code": licence.issuer.uscc,
        "issuer_name": licence.issuer.name,
        "issued_on": licence.issued_on.isoformat(),
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat() if licence.valid_until else None,
        "version": licence.version,
        "previous_identifier": licence.previous.identifier if licence.previous_id else None,
        "case_number": licence.case.number if licence.case_id else None,
        "fields": {str(k): ("" if v is None else v) for k, v in (licence.data or {}).items()},
        "seal_code": seal_code,
        "key_version": key_version,
        "key_fingerprint": key_fingerprint,
    }


def licence_file(*, data_json: str, digest_sm3: str, signature_hex: str, key) -> dict[str, Any]:
    """The exported licence file (offline verification reads this)."""
    return {
        "format": FILE_FORMAT,
        "data": json.loads(data_json),
        "digest_sm3": digest_sm3,
        "signature": signature_hex,
        "seal_code": key.seal.code,
        "key_version": key.version,
        "public_key_fingerprint": key.fingerprint,
        "public_key_pem": key.public_key_pem,
    }
