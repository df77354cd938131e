"""SM2 signatures (GB/T 32918) with SM3: the one module that touches tongsuopy.

Everything the platform signs (audit checkpoints now, seals on licences and notices later) goes through
these functions, so a change of library stays in this file. Never use gmssl (its SM2 nonce comes from
Python's `random`).

Conventions, chosen so that OpenSSL 3 and other GM/T implementations agree with us:
- signature scheme: SM2 with SM3 over Z_A || M, distinguishing ID "1234567812345678" (GM/T 0009 default;
  the ID tongsuo/OpenSSL 3 use when none is set), signature DER-encoded SEQUENCE { r, s };
- public keys: SubjectPublicKeyInfo (id-ecPublicKey, curve 1.2.156.10197.1.301), PEM or DER;
- fingerprint: SM3 of the DER SubjectPublicKeyInfo, lower-case hex (64 characters);
- private keys at rest: PKCS#8 DER sealed with SM4-GCM under a key-encryption key (KEK) from the
  environment (`seal_private_key` / `open_private_key`), or password-protected PKCS#8 PEM for export.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes as crypto_hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from tongsuopy.crypto import hashes, serialization
from tongsuopy.crypto.asymciphers import ec
from tongsuopy.crypto.exceptions import InvalidSignature

PrivateKey = ec.EllipticCurvePrivateKey
PublicKey = ec.EllipticCurvePublicKey

DEFAULT_DISTINGUISHING_ID = b"1234567812345678"
_SEALED_PREFIX = "sm4g-pkcs8:"

# Curve parameters of the recommended SM2 curve (GB/T 32918.5), used only to compute Z_A for tests
# and the self-test below; signing itself happens in tongsuo.
SM2_P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
SM2_A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
SM2_B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
SM2_GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
SM2_GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0


class SignatureInvalid(Exception):
    """The signature does not match the data and the public key."""


def generate_private_key() -> PrivateKey:
    return ec.generate_private_key(ec.SM2())


def sign(private_key: PrivateKey, data: bytes) -> bytes:
    """SM2-with-SM3 signature of `data` (default distinguishing ID), DER encoded. Randomised per call."""
    return bytes(private_key.sign(data, ec.ECDSA(hashes.SM3())))


def verify(public_key: PublicKey, signature: bytes, data: bytes) -> None:
    """Raise SignatureInvalid unless `signature` is a valid SM2-with-SM3 signature of `data`."""
    try:
        public_key.verify(signature, data, ec.ECDSA(hashes.SM3()))
    except InvalidSignature:
        raise SignatureInvalid("SM2 signature does not verify")
    except Exception as exc:  # malformed DER makes tongsuo raise its internal assertion errors
        raise SignatureInvalid(f"SM2 signature is malformed: {exc.__class__.__name__}")


def is_valid(public_key: PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        verify(public_key, signature, data)
    except SignatureInvalid:
        return False
    return True


# --- public keys ---------------------------------------------------------------------------------


def public_key_der(public_key: PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_pem(public_key: PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


@lru_cache(maxsize=64)
def load_public_key_pem(pem: str | bytes) -> PublicKey:
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    key = serialization.load_pem_public_key(data)
    _require_sm2(key)
    return key


def load_public_key_der(der: bytes) -> PublicKey:
    key = serialization.load_der_public_key(der)
    _require_sm2(key)
    return key


def fingerprint(public_key: PublicKey) -> str:
    """SM3 of the DER SubjectPublicKeyInfo, hex."""
    digest = crypto_hashes.Hash(crypto_hashes.SM3())
    digest.update(public_key_der(public_key))
    return digest.finalize().hex()


def public_point(public_key: PublicKey) -> tuple[int, int]:
    numbers = public_key.public_numbers()
    return numbers.x, numbers.y


# --- private keys --------------------------------------------------------------------------------


def private_key_pem(private_key: PrivateKey, password: bytes | None = None) -> str:
    """PKCS#8 PEM; encrypted with the password (PBES2) when one is given."""
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    ).decode("ascii")


def load_private_key_pem(pem: str | bytes, password: bytes | None = None) -> PrivateKey:
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    key = serialization.load_pem_private_key(data, password)
    _require_sm2(key)
    return key


def seal_private_key(private_key: PrivateKey, kek: bytes) -> str:
    """PKCS#8 DER encrypted with SM4-GCM under `kek` (16 bytes); bound to the key's own fingerprint."""
    der = private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(_kek(kek)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_aad(fingerprint(private_key.public_key())))
    ciphertext = encryptor.update(der) + encryptor.finalize()
    return _SEALED_PREFIX + base64.b64encode(nonce + encryptor.tag + ciphertext).decode("ascii")


def open_private_key(token: str, kek: bytes, *, expected_fingerprint: str) -> PrivateKey:
    """Decrypt a sealed private key; raises ValueError if the KEK or the fingerprint does not match."""
    if not token.startswith(_SEALED_PREFIX):
        raise ValueError("not a sealed SM2 private key")
    raw = base64.b64decode(token[len(_SEALED_PREFIX) :])
    nonce, tag, ciphertext = raw[:12], raw[12:28], raw[28:]
    decryptor = Cipher(algorithms.SM4(_kek(kek)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(_aad(expected_fingerprint))
    try:
        der = decryptor.update(ciphertext) + decryptor.finalize()
    except Exception:
        raise ValueError("sealed SM2 private key cannot be opened with this key-encryption key")
    key = serialization.load_der_private_key(der, None)
    _require_sm2(key)
    if fingerprint(key.public_key()) != expected_fingerprint:
        raise ValueError("sealed SM2 private key does not match its fingerprint")
    return key


# --- helpers and self-test -----------------------------------------------------------------------


def sm3(data: bytes) -> bytes:
    digest = crypto_hashes.Hash(crypto_hashes.SM3())
    digest.update(data)
    return digest.finalize()


def z_value(public_key: PublicKey, distinguishing_id: bytes = DEFAULT_DISTINGUISHING_ID) -> bytes:
    """Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A) (GB/T 32918.2 §5.5)."""
    x, y = public_point(public_key)
    entl = (len(distinguishing_id) * 8).to_bytes(2, "big")
    parts = [SM2_A, SM2_B, SM2_GX, SM2_GY, x, y]
    return sm3(entl + distinguishing_id + b"".join(v.to_bytes(32, "big") for v in parts))


def message_digest(public_key: PublicKey, data: bytes) -> bytes:
    """e = SM3(Z_A || M): what an SM2 signature actually signs."""
    return sm3(z_value(public_key) + data)


def verify_digest(public_key: PublicKey, signature: bytes, digest: bytes) -> bool:
    """Verify a signature over an already computed e (32 bytes). For known-answer tests only."""
    from tongsuopy.backends.tongsuo import backend

    ctx = backend._lib.EVP_PKEY_CTX_new(public_key._evp_pkey, backend._ffi.NULL)
    if ctx == backend._ffi.NULL:
        raise RuntimeError("tongsuo cannot create a key context")
    ctx = backend._ffi.gc(ctx, backend._lib.EVP_PKEY_CTX_free)
    if backend._lib.EVP_PKEY_verify_init(ctx) != 1:
        raise RuntimeError("tongsuo cannot initialise SM2 verification")
    result = backend._lib.EVP_PKEY_verify(ctx, signature, len(signature), digest, len(digest))
    backend._consume_errors()
    return result == 1


# OpenSSL's published SM2 vector (test/recipes/30-test_evp_data/evppkey_sm2.txt, "SM2_key1"):
# a signature over a precomputed digest e on the recommended curve.
KAT_PUBLIC_KEY_PEM = """-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAEOToq2eJ+Q6yqq4WhnTuFWR4UQGFX
F1rd03v3f/DK+e03/POotPVcA4UjJh/KZjav5qevoqFIKmBvXLOhiy4qHg==
-----END PUBLIC KEY-----
"""
KAT_DIGEST = bytes.fromhex("D7AD397F6FFA5D4F7F11E7217F241607DC30618C236D2C09C1B9EA8FDADEE2E8")
KAT_SIGNATURE = bytes.fromhex(
    "3046022100AB1DB64DE7C40EDBDE6651C9B8EBDB804673DB836E5D5C7FE15DCF9ED2725037"
    "022100EBA714451FF69B0BB930B379E192E7CD5FA6E3C41C7FBD8303B799AB54A54621"
)


def self_test() -> None:
    """Known-answer test of the installed wheel; raises RuntimeError if SM2 misbehaves."""
    public_key = load_public_key_pem(KAT_PUBLIC_KEY_PEM)
    if not verify_digest(public_key, KAT_SIGNATURE, KAT_DIGEST):
        raise RuntimeError("SM2 known-answer signature does not verify")
    if verify_digest(public_key, KAT_SIGNATURE, bytes(32)):
        raise RuntimeError("SM2 accepts a signature over the wrong digest")
    key = generate_private_key()
    signature = sign(key, b"bianmin self-test")
    if not verify_digest(key.public_key(), signature, message_digest(key.public_key(), b"bianmin self-test")):
        raise RuntimeError("SM2 signatures do not use the default distinguishing ID")


def _require_sm2(key) -> None:
    if not isinstance(getattr(key, "curve", None), ec.SM2):
        raise ValueError("not an SM2 key")


def _kek(kek: bytes) -> bytes:
    if len(kek) < 16:
        raise ValueError("key-encryption key must be at least 16 bytes")
    return kek[:16]


def _aad(key_fingerprint: str) -> bytes:
    return b"bianmin-sm2-private-key:" + key_fingerprint.encode("ascii")
