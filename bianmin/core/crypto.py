"""Personal-data protection: SM4-GCM encryption at rest and an HMAC-SM3 keyed hash for exact lookup."""

from __future__ import annotations

import base64
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

_PREFIX = "sm4g1:"


@lru_cache(maxsize=4)
def _key(hex_key: str, length: int) -> bytes:
    raw = bytes.fromhex(hex_key)
    if len(raw) < length:
        raise ValueError("key too short")
    return raw[:length]


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def pii_encrypt(plaintext: str | None) -> str:
    if plaintext in (None, ""):
        return ""
    key = _key(settings.PII_ENCRYPTION_KEY, 16)
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    ciphertext = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return _PREFIX + base64.b64encode(nonce + encryptor.tag + ciphertext).decode()


def pii_decrypt(token: str | None) -> str:
    if not token:
        return ""
    if not token.startswith(_PREFIX):
        raise ValueError("not an encrypted value")
    raw = base64.b64decode(token[len(_PREFIX) :])
    nonce, tag, ciphertext = raw[:12], raw[12:28], raw[28:]
    key = _key(settings.PII_ENCRYPTION_KEY, 16)
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(ciphertext) + decryptor.finalize()).decode()


def pii_hash(value: str | None) -> str:
    """Keyed hash for exact lookup; whoever reads the database cannot brute-force it without the key."""
    if not value:
        return ""
    return hmac_sm3(_key(settings.PII_HASH_KEY, 16), value.strip().upper().encode()).hex()
