import pytest
from django.conf import settings

from bianmin.accounts import rules
from bianmin.accounts import seed as accounts_seed
from bianmin.accounts.constants import Role
from bianmin.accounts.models import Enterprise, EnterpriseMembership, RoleAssignment, User
from bianmin.audit.models import AuditEntry
from bianmin.core.validators import is_valid_id_card, is_valid_uscc
from bianmin.organisations import seed as organisations_seed
from bianmin.organisations.models import Department
from tests.factories import CitizenFactory, DepartmentFactory, StaffFactory

pytestmark = pytest.mark.django_db

DEMO_USERS = {
    "citizen", "company", "agent", "clerk", "jx_clerk", "manager", "reviewer", "head", "editor",
    "zj_reviewer", "zj_head", "zj_editor", "mz_reviewer", "mz_head", "mz_editor", "zs_head", "admin", "supervisor",
    "hotline",
}  # fmt: skip


@pytest.fixture
def seeded():
    organisations_seed.seed(today=None)
    accounts_seed.seed(today=None)


def _counts():
    return (User.objects.count(), RoleAssignment.objects.count(), Enterprise.objects.count(),
            EnterpriseMembership.objects.count(), AuditEntry.objects.count())  # fmt: skip


def test_demo_accounts(seeded):
    assert set(User.objects.values_list("username", flat=True)) == DEMO_USERS
    for user in User.objects.all():
        assert user.check_password(settings.DEMO_PASSWORD)
    citizen = User.objects.get(username="citizen")
    assert is_valid_id_card(citizen.id_card_no) and citizen.mobile_verified_at
    company = User.objects.get(username="company")
    enterprise = Enterprise.objects.get()
    assert is_valid_uscc(enterprise.uscc) and rules.can_manage_enterprise(company, enterprise)
    assert rules.can_act_for_enterprise(User.objects.get(username="agent"), enterprise)
    scj = Department.objects.get(short_name="区市监局")
    zjj = Department.objects.get(short_name="区住建局")
    assert rules.can_review(User.objects.get(username="reviewer"), scj)
    assert rules.can_decide(User.objects.get(username="head"), scj)
    assert rules.can_edit_catalog(User.objects.get(username="editor"), scj)
    assert rules.can_decide(User.objects.get(username="zj_head"), zjj)
    assert not rules.can_decide(User.objects.get(username="zj_head"), scj)
    assert rules.has_role(User.objects.get(username="clerk"), Role.WINDOW_CLERK)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and rules.is_platform_admin(admin)


def test_seed_twice_same_rows(seeded):
    before = _counts()
    summary = accounts_seed.seed(today=None)
    assert _counts() == before
    assert summary.startswith("0 accounts created")


def test_admin_pages_mask_and_save_through_services(seeded, client):
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/admin/accounts/user/")
    assert page.status_code == 200
    citizen = User.objects.get(username="citizen")
    body = page.content.decode()
    assert citizen.id_card_no not in body and citizen.mobile not in body
    assert citizen.masked_mobile in body
    detail = client.get(f"/admin/accounts/user/{citizen.pk}/change/")
    assert detail.status_code == 200 and citizen.id_card_no not in detail.content.decode()

    staff = StaffFactory()
    dept = DepartmentFactory()
    response = client.post(
        "/admin/accounts/roleassignment/add/",
        {"user": staff.pk, "role": "reviewer", "department": dept.pk, "hall": "", "is_active": "on"},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="role.grant", actor__username="admin").exists()
    assert rules.can_review(staff, dept)

    response = client.post(
        f"/admin/organisations/department/{dept.pk}/change/",
        {
            "name": dept.name,
            "short_name": dept.short_name,
            "uscc": dept.uscc,
            "short_code": dept.short_code,
            "kind": dept.kind,
            "region": dept.region_id,
            "phone": "0754-12345678",
            "address": dept.address,
            "is_active": "on",
            "sort_order": 0,
        },
    )
    assert response.status_code == 302
    dept.refresh_from_db()
    assert dept.phone == "0754-12345678"
    entry = AuditEntry.objects.filter(action="department.update").latest("created_at")
    assert entry.actor.username == "admin" and set(entry.changes) == {"phone"}


def test_admin_refuses_non_staff(client):
    client.force_login(CitizenFactory())
    assert client.get("/admin/accounts/user/").status_code == 302


def test_profile_page_masked(client):
    citizen = CitizenFactory()
    client.force_login(citizen)
    body = client.get("/accounts/profile/").content.decode()
    assert citizen.masked_id_card in body and citizen.id_card_no not in body and citizen.mobile not in body


def test_window_admin_sets_departments_through_service(client):
    from bianmin.organisations.models import Window
    from tests.factories import HallFactory

    admin = StaffFactory(platform_admin=True, is_staff=True, is_superuser=True)
    client.force_login(admin)
    hall = HallFactory()
    d1, d2 = DepartmentFactory(), DepartmentFactory()
    response = client.post(
        "/admin/organisations/window/add/",
        {"hall": hall.pk, "number": "09", "name": "综合窗口9", "kind": "comprehensive", "is_active": "on",
         "departments": [d1.pk, d2.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    window = Window.objects.get(hall=hall, number="09")
    assert set(window.departments.all()) == {d1, d2}
    assert AuditEntry.objects.filter(action="window.create", actor=admin).exists()
    assert AuditEntry.objects.filter(action="window.departments", actor=admin).exists()
    assert client.get(f"/admin/organisations/window/{window.pk}/delete/").status_code == 403


def test_admin_user_change_goes_through_service(client):
    admin = StaffFactory(platform_admin=True, is_staff=True, is_superuser=True)
    citizen = CitizenFactory()
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{citizen.pk}/change/",
        {
            "username": citizen.username,
            "full_name": "改名",
            "kind": "citizen",
            "email": "",
            **{
                f"{p}-{k}": "0"
                for p in ("role_assignments", "memberships")
                for k in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )  # is_active unticked: the account is disabled
    assert response.status_code == 302, response.content.decode()[:500]
    citizen.refresh_from_db()
    assert citizen.full_name == "改名" and not citizen.is_active
    entry = AuditEntry.objects.get(action="user.update")
    assert entry.actor == admin and set(entry.changes) == {"full_name", "is_active"}
    # personal numbers were not touched by the admin form
    assert citizen.id_card_hash and citizen.mobile_hash


def test_admin_password_change_is_audited(client):
    admin = StaffFactory(platform_admin=True, is_staff=True, is_superuser=True)
    staff = StaffFactory()
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{staff.pk}/password/",
        {"password1": "Admin-Set-2026!", "password2": "Admin-Set-2026!", "usable_password": "true"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("Admin-Set-2026!")
    assert AuditEntry.objects.filter(action="user.password_set_by_admin", object_id=str(staff.pk)).exists()
