import pytest

from bianmin.audit.models import AuditEntry
from bianmin.documents import services as seals
from bianmin.documents import sm2
from bianmin.documents.exceptions import SealConflict, SealPermissionDenied
from bianmin.documents.models import SealKey
from tests.factories import DepartmentFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_seal_create_makes_key_image_and_audit(admin):
    department = DepartmentFactory(name="龙湖区市场监督管理局")
    seal = seals.seal_create(department=department, acting_user=admin)
    key = seal.keys.get()
    assert seal.code.startswith(department.uscc) and seal.name.endswith("行政审批专用章")
    assert "<svg" in seal.image_svg and "龙" in seal.image_svg and "行政审批专用章" in seal.image_svg
    assert key.version == 1 and key.is_current
    assert key.sealed_private_key.startswith("sm4g-pkcs8:") and "PRIVATE" not in key.sealed_private_key
    entry = AuditEntry.objects.get(action="documents.seal_create")
    assert key.fingerprint in str(entry.changes) and "sm4g" not in str(entry.changes)
    assert key.sealed_private_key not in repr(key)


def test_only_platform_admin_creates_or_rotates(admin):
    department = DepartmentFactory()
    head = StaffFactory(head=True, department=department)
    with pytest.raises(SealPermissionDenied):
        seals.seal_create(department=department, acting_user=head)
    seal = seals.seal_create(department=department, acting_user=admin)
    with pytest.raises(SealConflict):
        seals.seal_create(department=department, acting_user=admin)
    with pytest.raises(SealPermissionDenied):
        seals.seal_rotate(seal=seal, acting_user=head, reason="到期")


def test_rotation_keeps_old_signatures_verifiable(admin):
    seal = seals.seal_create(department=DepartmentFactory(), acting_user=admin)
    old = seals.sign(seal, b"licence v1")
    new_key = seals.seal_rotate(seal=seal, acting_user=admin, reason="年度更换")
    new = seals.sign(seal, b"licence v2")
    assert (old.key_version, new.key_version) == (1, 2) and new.fingerprint == new_key.fingerprint
    assert seals.verify(data=b"licence v1", signature=old.signature, fingerprint=old.fingerprint)
    assert seals.verify(data=b"licence v2", signature=new.signature, fingerprint=new.fingerprint)
    assert not seals.verify(data=b"licence v1", signature=old.signature, fingerprint=new.fingerprint)
    assert SealKey.objects.filter(seal=seal, is_current=True).count() == 1
    published = {k.fingerprint for k in seals.published_keys()}
    assert {old.fingerprint, new.fingerprint} <= published


def test_signature_is_sm2_with_default_id(admin):
    """Interop: the seal's signature is a plain GB/T 32918 SM2-with-SM3 signature (default ID)."""
    seal = seals.seal_create(department=DepartmentFactory(), acting_user=admin)
    signed = seals.sign(seal, b"abc")
    public_key = sm2.load_public_key_pem(seal.keys.get().public_key_pem)
    assert sm2.verify_digest(public_key, signed.signature, sm2.message_digest(public_key, b"abc"))
    sm2.self_test()
