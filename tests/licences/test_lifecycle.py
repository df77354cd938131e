import datetime as dt

import pytest

from bianmin.audit.models import AuditEntry
from bianmin.licences import selectors, services
from bianmin.licences.exceptions import LicenceConflict, LicencePermissionDenied
from bianmin.licences.models import Licence
from bianmin.licences.verification import verify_file, verify_identifier
from tests.factories import StaffFactory
from tests.licences.helpers import issue

pytestmark = pytest.mark.django_db


def test_change_issues_a_new_signed_version_and_keeps_history(world):
    v1 = issue(world)
    v2 = services.licence_change(
        licence=v1,
        acting_user=world.head,
        reason="经营项目变更",
        fields={"business_scope": "热食类、冷食类食品制售"},
    )
    v1.refresh_from_db()
    assert v1.status == "superseded" and v2.status == "valid"
    assert (v2.version, v2.serial, v2.licence_no, v2.previous_id) == (2, v1.serial, v1.licence_no, v1.pk)
    assert (
        v2.identifier.endswith(".002." + v2.identifier[-1])
        and v2.data["business_scope"] == "热食类、冷食类食品制售"
    )
    assert v2.valid_until == v1.valid_until
    assert verify_identifier(v2.identifier).outcome == "valid"
    old = verify_identifier(v1.identifier)
    assert old.outcome == "superseded" and old.current_identifier == v2.identifier
    assert [v.version for v in selectors.licence_history(v2)] == [1, 2]
    assert AuditEntry.objects.filter(action="licences.change").exists()


def test_renewal_extends_validity(world, clock):
    v1 = issue(world)
    clock.move_to(dt.datetime(2031, 2, 3, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    v2 = services.licence_renew(licence=v1, acting_user=world.head, reason="有效期届满前申请延续")
    assert v2.valid_from == dt.date(2031, 2, 3) and v2.valid_until == dt.date(2036, 3, 1)
    assert verify_file(services.licence_file_bytes(v2)).outcome == "valid"


def test_only_a_head_of_the_issuing_department_may_revoke_change_or_renew(world):
    licence = issue(world)
    outsiders = [world.reviewer, world.partner_reviewer, StaffFactory(head=True), world.citizen, world.admin]
    for user in outsiders:
        with pytest.raises(LicencePermissionDenied):
            services.licence_revoke(licence=licence, acting_user=user, kind="cancellation", reason="申请注销")
        with pytest.raises(LicencePermissionDenied):
            services.licence_renew(licence=licence, acting_user=user, reason="延续")
    services.licence_revoke(
        licence=licence, acting_user=world.head, kind="cancellation", reason="持证人申请注销"
    )
    with pytest.raises(LicenceConflict):
        services.licence_change(licence=licence, acting_user=world.head, reason="x", holder_name="新名称")


def test_periodic_expiry_marks_past_licences(world):
    licence = issue(world, valid_until=dt.date(2026, 3, 31))
    assert services.licence_expire_due(today=dt.date(2026, 3, 31)) == 0
    assert services.licence_expire_due(today=dt.date(2026, 4, 1)) == 1
    licence.refresh_from_db()
    assert licence.status == "expired"
    assert verify_identifier(licence.identifier).outcome == "expired"
    assert AuditEntry.objects.filter(action="licences.expire").count() == 1


def test_import_validates_every_row_first(world):
    rows = [
        {
            "type_code": world.licence_type.code,
            "licence_no": "JY34405070012345",
            "holder_name": "汕头市龙湖区老字号食品店",
            "holder_code": world.enterprise.uscc,
            "issued_on": "2022-05-10",
            "valid_until": "2027-05-09",
            "business_scope": "预包装食品销售",
        },
        {"type_code": "nope", "holder_name": "", "holder_code": "123", "issued_on": "2022-13-01"},
    ]
    with pytest.raises(LicencePermissionDenied):
        services.licence_import(rows=rows, acting_user=world.head)
    result = services.licence_import(rows=rows, acting_user=world.admin)
    assert (
        result["written"] == 0 and not result["report"][1]["ok"] and len(result["report"][1]["problems"]) >= 3
    )
    result = services.licence_import(rows=rows, acting_user=world.admin, valid_only=True)
    assert result["written"] == 1
    licence = Licence.objects.get(licence_no="JY34405070012345")
    assert licence.source == "import" and licence.holder_code_type == "uscc"
    assert licence.issued_on == dt.date(2022, 5, 10) and licence.data["business_scope"] == "预包装食品销售"
    assert verify_identifier(licence.identifier).outcome == "valid"
