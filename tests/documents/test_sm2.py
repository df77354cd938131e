"""SM2 wrapper: round trips, key sealing, a published known-answer vector and interop with the openssl CLI."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from bianmin.documents import sm2

OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
DISTID = "distid:" + sm2.DEFAULT_DISTINGUISHING_ID.decode()


@pytest.fixture(scope="module")
def key():
    return sm2.generate_private_key()


def test_sign_and_verify_round_trip(key):
    signature = sm2.sign(key, "审批结果 approved".encode())
    assert signature[0] == 0x30  # DER SEQUENCE {r, s}
    sm2.verify(key.public_key(), signature, "审批结果 approved".encode())
    assert sm2.is_valid(key.public_key(), signature, "审批结果 approved".encode())


def test_verify_rejects_other_data_other_key_and_garbage(key):
    signature = sm2.sign(key, b"original")
    with pytest.raises(sm2.SignatureInvalid):
        sm2.verify(key.public_key(), signature, b"originaL")
    other = sm2.generate_private_key()
    assert not sm2.is_valid(other.public_key(), signature, b"original")
    assert not sm2.is_valid(key.public_key(), b"\x30\x03\x02\x01\x01", b"original")
    assert not sm2.is_valid(key.public_key(), b"not der at all", b"original")


def test_signatures_are_randomised(key):
    assert sm2.sign(key, b"same") != sm2.sign(key, b"same")


def test_pem_round_trip_and_fingerprint(key):
    pem = sm2.public_key_pem(key.public_key())
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    loaded = sm2.load_public_key_pem(pem)
    assert sm2.fingerprint(loaded) == sm2.fingerprint(key.public_key())
    assert sm2.fingerprint(loaded) == sm2.sm3(sm2.public_key_der(key.public_key())).hex()
    assert len(sm2.fingerprint(loaded)) == 64
    assert sm2.fingerprint(sm2.generate_private_key().public_key()) != sm2.fingerprint(loaded)
    assert sm2.public_point(sm2.load_public_key_der(sm2.public_key_der(loaded))) == sm2.public_point(loaded)


def test_private_key_pem_with_password(key):
    pem = sm2.private_key_pem(key, password=b"s3cret")
    assert "ENCRYPTED PRIVATE KEY" in pem
    with pytest.raises((ValueError, TypeError)):
        sm2.load_private_key_pem(pem, password=b"wrong")
    loaded = sm2.load_private_key_pem(pem, password=b"s3cret")
    assert sm2.is_valid(key.public_key(), sm2.sign(loaded, b"x"), b"x")
    plain = sm2.load_private_key_pem(sm2.private_key_pem(key))
    assert sm2.fingerprint(plain.public_key()) == sm2.fingerprint(key.public_key())


def test_sealed_private_key_needs_the_right_kek_and_fingerprint(key):
    kek = bytes.fromhex("ffeeddccbbaa99887766554433221100")
    token = sm2.seal_private_key(key, kek)
    assert token.startswith("sm4g-pkcs8:")
    assert "PRIVATE" not in token
    fp = sm2.fingerprint(key.public_key())
    opened = sm2.open_private_key(token, kek, expected_fingerprint=fp)
    assert sm2.is_valid(key.public_key(), sm2.sign(opened, b"m"), b"m")
    with pytest.raises(ValueError):
        sm2.open_private_key(token, bytes(16), expected_fingerprint=fp)
    with pytest.raises(ValueError):
        sm2.open_private_key(token, kek, expected_fingerprint="0" * 64)


def test_rsa_or_other_curves_are_refused():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec as crypto_ec

    p256 = crypto_ec.generate_private_key(crypto_ec.SECP256R1()).public_key()
    pem = p256.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(Exception):  # noqa: B017 - tongsuo refuses the curve, or our check does
        sm2.load_public_key_pem(pem)


def test_published_known_answer_vector():
    """OpenSSL's SM2_key1 vector: a signature over a given digest e on the recommended curve."""
    public_key = sm2.load_public_key_pem(sm2.KAT_PUBLIC_KEY_PEM)
    assert sm2.verify_digest(public_key, sm2.KAT_SIGNATURE, sm2.KAT_DIGEST)
    tampered = bytearray(sm2.KAT_SIGNATURE)
    tampered[-1] ^= 1
    assert not sm2.verify_digest(public_key, bytes(tampered), sm2.KAT_DIGEST)
    sm2.self_test()


def test_signature_covers_z_with_default_distinguishing_id(key):
    """Our signature is over e = SM3(Z_A || M) with ID 1234567812345678, computed here independently."""
    message = "办件 44050720261128".encode()
    signature = sm2.sign(key, message)
    assert sm2.verify_digest(key.public_key(), signature, sm2.message_digest(key.public_key(), message))
    other_id = sm2.sm3(sm2.z_value(key.public_key(), b"ALICE123@YAHOO.COM") + message)
    assert not sm2.verify_digest(key.public_key(), signature, other_id)


def _openssl(*args: str, input_bytes: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([OPENSSL, *args], input=input_bytes, capture_output=True, timeout=30)


def test_machine_openssl_supports_sm2():
    listing = _openssl("list", "-public-key-algorithms").stdout.decode()
    assert "SM2" in listing.upper()


def test_our_signature_verifies_with_openssl_cli(key, tmp_path):
    message = "龙湖区 电子证照 interop".encode()
    (tmp_path / "msg").write_bytes(message)
    (tmp_path / "sig").write_bytes(sm2.sign(key, message))
    (tmp_path / "pub.pem").write_text(sm2.public_key_pem(key.public_key()))
    base = ["pkeyutl", "-verify", "-pubin", "-inkey", str(tmp_path / "pub.pem"), "-rawin"]
    base += ["-in", str(tmp_path / "msg"), "-sigfile", str(tmp_path / "sig"), "-digest", "sm3"]
    ok = _openssl(*base, "-pkeyopt", DISTID)
    assert ok.returncode == 0, ok.stderr
    assert b"Signature Verified Successfully" in ok.stdout
    (tmp_path / "msg").write_bytes(message + b"!")
    assert _openssl(*base, "-pkeyopt", DISTID).returncode != 0


def test_openssl_signature_verifies_with_our_module(key, tmp_path):
    message = b"signed by the openssl command line"
    (tmp_path / "msg").write_bytes(message)
    (tmp_path / "key.pem").write_text(sm2.private_key_pem(key))
    made = _openssl(
        "pkeyutl",
        "-sign",
        "-inkey",
        str(tmp_path / "key.pem"),
        "-rawin",
        "-in",
        str(tmp_path / "msg"),
        "-out",
        str(tmp_path / "sig"),
        "-digest",
        "sm3",
        "-pkeyopt",
        DISTID,
    )
    assert made.returncode == 0, made.stderr
    signature = (tmp_path / "sig").read_bytes()
    sm2.verify(key.public_key(), signature, message)
    assert not sm2.is_valid(key.public_key(), signature, message + b".")
    other = _openssl(
        "pkeyutl",
        "-sign",
        "-inkey",
        str(tmp_path / "key.pem"),
        "-rawin",
        "-in",
        str(tmp_path / "msg"),
        "-out",
        str(tmp_path / "sig2"),
        "-digest",
        "sm3",
        "-pkeyopt",
        "distid:someone-else",
    )
    assert other.returncode == 0, other.stderr
    assert not sm2.is_valid(key.public_key(), (tmp_path / "sig2").read_bytes(), message)


def test_openssl_reads_our_keys(key, tmp_path):
    (tmp_path / "key.pem").write_text(sm2.private_key_pem(key, password=b"pw-123"))
    out = _openssl("pkey", "-in", str(tmp_path / "key.pem"), "-passin", "pass:pw-123", "-pubout")
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode() == sm2.public_key_pem(key.public_key())
