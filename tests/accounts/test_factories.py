import pytest

from bianmin.accounts import rules
from bianmin.accounts.constants import Role, UserKind
from bianmin.core.validators import is_valid_id_card, is_valid_uscc
from tests.factories import (
    FACTORY_PASSWORD,
    CitizenFactory,
    DepartmentFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    HallFactory,
    StaffFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db


def test_citizen_has_valid_codes_and_password():
    user = CitizenFactory()
    assert is_valid_id_card(user.id_card_no)
    assert user.check_password(FACTORY_PASSWORD)
    assert user.kind == UserKind.CITIZEN and user.mobile_hash and user.id_card_hash


def test_staff_traits_grant_scoped_roles():
    reviewer = StaffFactory(reviewer=True)
    assert rules.has_role(reviewer, Role.REVIEWER)
    assert rules.department_ids(reviewer, Role.REVIEWER)
    hall = HallFactory()
    clerk = StaffFactory(window_clerk=True, hall=hall)
    assert rules.hall_ids(clerk) == {hall.pk}
    admin = StaffFactory(platform_admin=True)
    assert rules.is_platform_admin(admin) and not rules.department_ids(admin)
    plain = StaffFactory()
    assert not rules.is_staff_member(plain)


def test_department_enterprise_window_codes_valid():
    assert is_valid_uscc(DepartmentFactory().uscc)
    assert is_valid_uscc(EnterpriseFactory().uscc)
    window = WindowFactory(departments=[DepartmentFactory()])
    assert window.departments.count() == 1
    member = EnterpriseMemberFactory()
    assert rules.enterprise_ids(member, admin_only=True)
