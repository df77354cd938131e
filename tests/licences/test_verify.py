import datetime as dt
import json

import pytest

from bianmin.documents import services as seals
from bianmin.licences import services
from bianmin.licences.verification import verify_file, verify_identifier, verify_pdf
from tests.licences.helpers import issue

pytestmark = pytest.mark.django_db


def _flip(raw: bytes, index: int) -> bytes:
    return raw[:index] + bytes([raw[index] ^ 0x01]) + raw[index + 1 :]


def test_exported_file_verifies_and_any_flipped_byte_is_tampered(world):
    licence = issue(world)
    raw = services.licence_file_bytes(licence)
    assert verify_file(raw).outcome == "valid"
    document = json.loads(raw)
    assert document["data"]["holder_code"] == world.citizen.id_card_no
    # flip one byte inside the holder's name, the signature, the digest and the structure
    targets = [
        raw.index("张三".encode()) + 1,
        raw.index(b'"signature":"') + 20,
        raw.index(b'"digest_sm3":"') + 15,
        raw.index(b'"valid_until":"') + 16,
        raw.index(b"{"),
    ]
    for index in targets:
        result = verify_file(_flip(raw, index))
        assert result.outcome == "tampered", (index, result.detail)


def test_every_byte_position_of_the_file_is_protected(world):
    raw = services.licence_file_bytes(issue(world))
    step = max(1, len(raw) // 97)
    outcomes = {verify_file(_flip(raw, i)).outcome for i in range(0, len(raw), step)}
    assert outcomes == {"tampered"}


def test_pdf_verifies_by_its_digest_and_a_flipped_byte_is_tampered(world):
    licence = issue(world)
    pdf = licence.pdf.open("rb").read()
    assert verify_pdf(pdf).outcome == "valid"
    flipped = _flip(pdf, len(pdf) // 2)
    result = verify_pdf(flipped)
    assert result.outcome == "tampered"
    assert verify_pdf(b"%PDF-1.7 something else").outcome == "unknown"


def test_revoked_licence_reports_date_and_reason(world):
    licence = issue(world)
    services.licence_revoke(
        licence=licence, acting_user=world.head, kind="revocation", reason="超范围经营，依法吊销"
    )
    for result in (verify_identifier(licence.identifier), verify_file(services.licence_file_bytes(licence))):
        assert result.outcome == "revoked"
        assert result.revoked_on == dt.date(2026, 3, 2) and result.revocation_reason == "超范围经营，依法吊销"
        assert result.public()["holder_code_masked"] != world.citizen.id_card_no


def test_licence_signed_with_rotated_out_key_still_verifies(world):
    old = issue(world)
    raw = services.licence_file_bytes(old)
    seals.seal_rotate(seal=world.seal, acting_user=world.admin, reason="年度更换密钥")
    new = issue(world, holder=world.other_citizen)
    assert new.key_version == 2 and old.key_version == 1
    assert verify_identifier(old.identifier).outcome == "valid"
    assert verify_file(raw).outcome == "valid"
    assert verify_file(services.licence_file_bytes(new)).outcome == "valid"


def test_offline_verification_with_exported_keys(world, tmp_path):
    licence = issue(world)
    raw = services.licence_file_bytes(licence)
    keys = {k.fingerprint: k.public_key_pem for k in seals.published_keys()}
    assert verify_file(raw, keys=keys, online=False).outcome == "valid"
    assert verify_file(raw, keys={}, online=False).outcome == "tampered"
    later = dt.date(2032, 1, 1)
    assert verify_file(raw, keys=keys, online=False, today=later).outcome == "expired"


def test_unknown_and_malformed_identifiers(world):
    licence = issue(world)
    assert (
        verify_identifier(licence.identifier[:-1] + ("A" if licence.identifier[-1] != "A" else "B")).outcome
        == "unknown"
    )
    assert verify_identifier("hello").outcome == "unknown"


def test_database_tampering_is_detected(world):
    from bianmin.licences.models import Licence

    licence = issue(world)
    data = json.loads(licence.canonical_json)
    data["holder_name"] = "王五"
    Licence.objects.filter(pk=licence.pk).update(
        canonical_json=json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    )
    assert verify_identifier(licence.identifier).outcome == "tampered"
