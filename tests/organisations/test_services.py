import pytest

from bianmin.audit.models import AuditEntry
from bianmin.organisations import services
from bianmin.organisations.constants import DepartmentKind, HallKind, WindowKind
from bianmin.organisations.exceptions import OrganisationInvalid, OrganisationPermissionDenied
from bianmin.organisations.models import Department
from tests.factories import DepartmentFactory, HallFactory, RegionFactory, StaffFactory, make_uscc

pytestmark = pytest.mark.django_db


def test_platform_admin_creates_department_with_audit():
    admin = StaffFactory(platform_admin=True)
    region = RegionFactory()
    dept = services.department_create(
        acting_user=admin,
        name="汕头市龙湖区测试局",
        short_name="测试局",
        uscc=make_uscc(1, prefix="11440507TT"),
        short_code="7001",
        kind=DepartmentKind.GOVERNMENT,
        region=region,
    )
    entry = AuditEntry.objects.get(action="department.create")
    assert entry.object_id == str(dept.pk) and entry.actor == admin
    assert entry.actor_role == "platform_admin"


def test_bad_uscc_is_refused_and_nothing_written():
    admin = StaffFactory(platform_admin=True)
    good = make_uscc(2, prefix="11440507TT")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(OrganisationInvalid) as exc:
        services.department_create(
            acting_user=admin,
            name="坏代码局",
            short_name="坏",
            uscc=bad,
            short_code="7002",
            region=RegionFactory(),
        )
    assert "uscc" in exc.value.fields
    assert not Department.objects.filter(name="坏代码局").exists()
    assert not AuditEntry.objects.filter(action="department.create").exists()


@pytest.mark.parametrize("trait", ["reviewer", "head", "window_clerk", "supervisor", "hotline_operator"])
def test_only_platform_admin_may_edit(trait):
    user = StaffFactory(**{trait: True})
    dept = DepartmentFactory()
    with pytest.raises(OrganisationPermissionDenied):
        services.department_update(department=dept, acting_user=user, phone="123")
    dept.refresh_from_db()
    assert dept.phone != "123"


def test_update_records_only_changes():
    admin = StaffFactory(platform_admin=True)
    hall = HallFactory(kind=HallKind.STREET_HALL)
    services.hall_update(hall=hall, acting_user=admin, opening_hours="周一至周六 8:30-17:30")
    entry = AuditEntry.objects.get(action="hall.update")
    assert set(entry.changes) == {"opening_hours"}
    services.hall_update(hall=hall, acting_user=admin, opening_hours="周一至周六 8:30-17:30")
    assert AuditEntry.objects.filter(action="hall.update").count() == 1


def test_window_departments_audited():
    admin = StaffFactory(platform_admin=True)
    hall = HallFactory()
    d1, d2 = DepartmentFactory(), DepartmentFactory()
    window = services.window_create(
        acting_user=admin,
        hall=hall,
        number="01",
        name="综合窗口",
        kind=WindowKind.COMPREHENSIVE,
        departments=[d1],
    )
    services.window_update(window=window, acting_user=admin, departments=[d1, d2])
    assert set(window.departments.all()) == {d1, d2}
    assert AuditEntry.objects.filter(action="window.departments").count() == 2


def test_region_cannot_be_its_own_parent():
    admin = StaffFactory(platform_admin=True)
    region = RegionFactory()
    with pytest.raises(OrganisationInvalid):
        services.region_update(region=region, acting_user=admin, parent=region)
