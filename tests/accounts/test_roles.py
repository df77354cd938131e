import pytest
from rest_framework.test import APIClient

from bianmin.accounts import rules, services
from bianmin.accounts.constants import Role
from bianmin.accounts.exceptions import AccountInvalid, AccountPermissionDenied
from bianmin.accounts.models import RoleAssignment
from bianmin.audit.models import AuditEntry
from tests.factories import (
    CitizenFactory,
    DepartmentFactory,
    EnterpriseMemberFactory,
    HallFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def test_platform_admin_grants_and_revokes_with_audit():
    admin = StaffFactory(platform_admin=True)
    staff = StaffFactory()
    dept = DepartmentFactory()
    assignment = services.role_grant(acting_user=admin, user=staff, role=Role.REVIEWER, department=dept)
    assert rules.can_review(staff, dept)
    entry = AuditEntry.objects.get(action="role.grant")
    assert entry.actor == admin and entry.changes["role"] == "reviewer"
    services.role_revoke(acting_user=admin, assignment=assignment)
    assert not rules.can_review(staff, dept)
    assert AuditEntry.objects.filter(action="role.revoke").count() == 1
    services.role_grant(
        acting_user=admin, user=staff, role=Role.REVIEWER, department=dept
    )  # re-grant reactivates
    assert RoleAssignment.objects.filter(user=staff).count() == 1


@pytest.mark.parametrize(
    "trait",
    ["reviewer", "head", "catalog_editor", "window_clerk", "hall_manager", "supervisor", "hotline_operator"],
)
def test_only_platform_admin_grants(trait):
    granter = StaffFactory(**{trait: True})
    staff = StaffFactory()
    with pytest.raises(AccountPermissionDenied):
        services.role_grant(acting_user=granter, user=staff, role=Role.SUPERVISOR)
    assert not RoleAssignment.objects.filter(user=staff).exists()


def test_scope_is_checked():
    admin = StaffFactory(platform_admin=True)
    staff = StaffFactory()
    with pytest.raises(AccountInvalid):
        services.role_grant(acting_user=admin, user=staff, role=Role.HEAD)  # no department
    with pytest.raises(AccountInvalid):
        services.role_grant(
            acting_user=admin, user=staff, role=Role.WINDOW_CLERK, department=DepartmentFactory()
        )
    with pytest.raises(AccountInvalid):
        services.role_grant(acting_user=admin, user=staff, role=Role.SUPERVISOR, hall=HallFactory())
    with pytest.raises(AccountInvalid):
        services.role_grant(acting_user=admin, user=CitizenFactory(), role=Role.SUPERVISOR)  # not staff


def test_superuser_counts_as_platform_admin():
    superuser = StaffFactory(is_superuser=True)
    services.role_grant(acting_user=superuser, user=StaffFactory(), role=Role.HOTLINE_OPERATOR)


def test_rules_for_each_role():
    d1, d2 = DepartmentFactory(), DepartmentFactory()
    h1, h2 = HallFactory(), HallFactory()
    editor = StaffFactory(catalog_editor=True, department=d1)
    reviewer = StaffFactory(reviewer=True, department=d1)
    head = StaffFactory(head=True, department=d1)
    clerk = StaffFactory(window_clerk=True, hall=h1)
    manager = StaffFactory(hall_manager=True, hall=h1)
    hotline = StaffFactory(hotline_operator=True)
    supervisor = StaffFactory(supervisor=True)
    admin = StaffFactory(platform_admin=True)
    citizen = CitizenFactory()
    company = EnterpriseMemberFactory()

    assert rules.can_edit_catalog(editor, d1) and not rules.can_edit_catalog(editor, d2)
    assert not rules.can_edit_catalog(reviewer, d1) and rules.can_edit_catalog(admin, d2)
    assert rules.can_review(reviewer, d1) and not rules.can_review(reviewer, d2)
    assert rules.can_review(head, d1) and rules.can_decide(head, d1) and not rules.can_decide(reviewer, d1)
    assert not rules.can_decide(head, d2)
    assert (
        rules.can_intake(clerk, h1) and not rules.can_intake(clerk, h2) and not rules.can_intake(manager, h1)
    )
    assert rules.can_manage_hall(manager, h1) and not rules.can_manage_hall(manager, h2)
    assert not rules.can_manage_hall(clerk, h1)
    assert rules.can_handle_requests(hotline) and not rules.can_handle_requests(clerk)
    assert rules.can_view_kpi(supervisor) and rules.can_view_kpi(admin) and not rules.can_view_kpi(clerk)
    assert rules.is_supervisor(supervisor) and not rules.is_platform_admin(supervisor)
    assert rules.can_grant_roles(admin) and not rules.can_grant_roles(head)
    assert rules.can_manage_organisations(admin) and not rules.can_manage_organisations(manager)
    for staff in (editor, reviewer, head, clerk, manager, hotline, supervisor, admin):
        assert rules.is_staff_member(staff) and not rules.is_applicant(staff)
    for person in (citizen, company):
        assert rules.is_applicant(person) and not rules.is_staff_member(person)
        assert rules.permissions_of(person)[0] == "apply"
        assert not rules.can_review(person) and not rules.can_intake(person)
    assert "enterprise.manage" in rules.permissions_of(company)
    assert "enterprise.manage" not in rules.permissions_of(citizen)
    assert rules.permissions_of(clerk) == ["cases.intake"]
    assert set(rules.permissions_of(head)) == {"cases.review", "cases.decide", "kpi.view"}


def _me(user):
    api = APIClient()
    api.force_authenticate(user)
    response = api.get("/api/v1/me/")
    assert response.status_code == 200
    return response.data


def test_me_scopes_per_role(django_assert_max_num_queries):
    dept = DepartmentFactory()
    hall = HallFactory()
    head = StaffFactory(head=True, department=dept)
    data = _me(head)
    assert data["roles"][0]["role"] == "head" and data["roles"][0]["department"] == dept.short_code
    assert (
        data["scopes"]["departments"] == [dept.short_code] and "cases.decide" in data["scopes"]["permissions"]
    )
    clerk = StaffFactory(window_clerk=True, hall=hall)
    data = _me(clerk)
    assert data["scopes"]["halls"] == [hall.pk] and data["scopes"]["departments"] == []
    company = EnterpriseMemberFactory()
    data = _me(company)
    assert data["roles"] == [] and len(data["scopes"]["enterprises"]) == 1
    assert "****" in data["mobile"] and "**" in data["id_card_no"]
    admin = StaffFactory(platform_admin=True)
    data = _me(admin)
    assert data["is_platform_admin"] and "roles.grant" in data["scopes"]["permissions"]
    api = APIClient()
    api.force_authenticate(head)
    with django_assert_max_num_queries(4):
        api.get("/api/v1/me/")


def test_me_requires_authentication():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.data["code"] == "not_authenticated"


def test_role_grant_api_staff_only():
    citizen = CitizenFactory()
    clerk = StaffFactory(window_clerk=True)
    admin = StaffFactory(platform_admin=True)
    dept = DepartmentFactory()
    staff = StaffFactory()
    body = {"username": staff.username, "role": "reviewer", "department": dept.short_code}
    api = APIClient()
    for outsider in (citizen, clerk):
        api.force_authenticate(outsider)
        assert api.post("/api/v1/role-assignments/grant/", body, format="json").status_code == 403
        assert api.get("/api/v1/role-assignments/").status_code == 403
        assert api.get("/api/v1/staff/").status_code == 403
    assert not RoleAssignment.objects.filter(user=staff).exists()
    api.force_authenticate(admin)
    created = api.post("/api/v1/role-assignments/grant/", body, format="json")
    assert created.status_code == 201 and created.data["department"] == dept.short_code
    again = api.post("/api/v1/role-assignments/grant/", body, format="json")
    assert again.status_code == 400 and again.data["code"] == "role_exists"
    revoked = api.post(f"/api/v1/role-assignments/{created.data['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.data["is_active"] is False


def test_staff_list_masked_and_query_count(django_assert_max_num_queries):
    supervisor = StaffFactory(supervisor=True)
    StaffFactory.create_batch(5, reviewer=True)
    api = APIClient()
    api.force_authenticate(supervisor)
    with django_assert_max_num_queries(5):
        response = api.get("/api/v1/staff/")
    assert response.status_code == 200 and response.data["count"] == 6
    for row in response.data["results"]:
        assert "****" in row["mobile"] and row["id_card_no"][4:8] == "****"


def test_admin_role_list_query_count(django_assert_max_num_queries):
    admin = StaffFactory(platform_admin=True)
    StaffFactory.create_batch(6, head=True)
    api = APIClient()
    api.force_authenticate(admin)
    with django_assert_max_num_queries(5):
        response = api.get("/api/v1/role-assignments/")
    assert response.data["count"] == 7


@pytest.mark.parametrize("scope", ["none", "department", "hall"])
def test_database_refuses_a_second_identical_grant(scope):
    """NULL scope columns are distinct in a plain unique index: the partial constraints close that gap."""
    from django.db import IntegrityError, transaction

    staff = StaffFactory()
    role, kwargs = {
        "none": (Role.SUPERVISOR, {}),
        "department": (Role.REVIEWER, {"department": DepartmentFactory()}),
        "hall": (Role.WINDOW_CLERK, {"hall": HallFactory()}),
    }[scope]
    RoleAssignment.objects.create(user=staff, role=role, **kwargs)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=staff, role=role, **kwargs)
    assert RoleAssignment.objects.filter(user=staff, role=role).count() == 1
