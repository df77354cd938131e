import pytest
from rest_framework.test import APIClient

from bianmin.accounts import services
from bianmin.accounts.constants import UserKind
from bianmin.accounts.exceptions import AccountInvalid, AccountNotFound, AccountPermissionDenied
from bianmin.accounts.models import EnterpriseMembership
from bianmin.audit.models import AuditEntry
from tests.factories import (
    CitizenFactory,
    EnterpriseFactory,
    EnterpriseMembershipFactory,
    StaffFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    admin = CitizenFactory(kind=UserKind.ENTERPRISE)
    enterprise = EnterpriseFactory(admin=admin)
    member = CitizenFactory(kind=UserKind.ENTERPRISE)
    EnterpriseMembershipFactory(enterprise=enterprise, user=member, is_admin=False)
    newcomer = CitizenFactory()
    return admin, enterprise, member, newcomer


def test_admin_adds_member(setup):
    admin, enterprise, _member, newcomer = setup
    membership = services.enterprise_member_add(
        enterprise=enterprise, acting_user=admin, mobile=newcomer.mobile, full_name=newcomer.full_name
    )
    assert membership.is_active and not membership.is_admin and membership.added_by == admin
    assert AuditEntry.objects.filter(action="enterprise.member_add", object_id=str(enterprise.pk)).exists()


def test_non_admin_member_cannot_add(setup):
    _admin, enterprise, member, newcomer = setup
    with pytest.raises(AccountPermissionDenied):
        services.enterprise_member_add(
            enterprise=enterprise, acting_user=member, mobile=newcomer.mobile, full_name=newcomer.full_name
        )
    assert not EnterpriseMembership.objects.filter(user=newcomer).exists()


def test_outsider_gets_not_found(setup):
    _admin, enterprise, _member, newcomer = setup
    with pytest.raises(AccountNotFound):
        services.enterprise_member_add(
            enterprise=enterprise, acting_user=newcomer, mobile=newcomer.mobile, full_name=newcomer.full_name
        )


def test_name_must_match_mobile(setup):
    admin, enterprise, _member, newcomer = setup
    with pytest.raises(AccountNotFound):
        services.enterprise_member_add(
            enterprise=enterprise, acting_user=admin, mobile=newcomer.mobile, full_name="别人"
        )


def test_remove_member_and_last_admin_protected(setup):
    admin, enterprise, member, _newcomer = setup
    membership = EnterpriseMembership.objects.get(enterprise=enterprise, user=member)
    services.enterprise_member_remove(enterprise=enterprise, acting_user=admin, membership=membership)
    membership.refresh_from_db()
    assert not membership.is_active
    own = EnterpriseMembership.objects.get(enterprise=enterprise, user=admin)
    with pytest.raises(AccountInvalid):
        services.enterprise_member_remove(enterprise=enterprise, acting_user=admin, membership=own)


def test_enterprise_register_validates_uscc():
    user = CitizenFactory()
    good = make_uscc(77, prefix="91440507RG")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(AccountInvalid) as exc:
        services.enterprise_register(acting_user=user, name="坏公司", uscc=bad, legal_representative="某某")
    assert "uscc" in exc.value.fields
    enterprise = services.enterprise_register(
        acting_user=user, name="好公司", uscc=good, legal_representative="某某"
    )
    assert EnterpriseMembership.objects.get(enterprise=enterprise).is_admin
    with pytest.raises(AccountPermissionDenied):
        services.enterprise_register(
            acting_user=StaffFactory(),
            name="员工公司",
            uscc=make_uscc(78, prefix="91440507RG"),
            legal_representative="x",
        )


def test_members_api(setup):
    admin, enterprise, member, newcomer = setup
    api = APIClient()
    api.force_authenticate(member)
    url = f"/api/v1/enterprises/{enterprise.uscc}/members/"
    listing = api.get(url)
    assert listing.status_code == 200 and len(listing.data) == 2
    assert all("****" in row["mobile"] for row in listing.data)
    refused = api.post(url, {"full_name": newcomer.full_name, "mobile": newcomer.mobile}, format="json")
    assert refused.status_code == 403 and refused.data["code"] == "account_permission_denied"
    api.force_authenticate(admin)
    added = api.post(url, {"full_name": newcomer.full_name, "mobile": newcomer.mobile}, format="json")
    assert added.status_code == 201
    removed = api.delete(f"{url}{added.data['id']}/")
    assert removed.status_code == 204
    api.force_authenticate(newcomer)
    assert api.get(url).status_code == 404  # removed: no longer sees the enterprise
    api.force_authenticate(admin)
    assert api.get("/api/v1/enterprises/").data[0]["is_admin"] is True


def test_members_page(setup, client):
    admin, enterprise, member, newcomer = setup
    url = f"/accounts/enterprise/{enterprise.uscc}/"
    client.force_login(member)
    page = client.get(url)
    assert page.status_code == 200 and enterprise.name in page.content.decode()
    refused = client.post(url, {"action": "add", "full_name": newcomer.full_name, "mobile": newcomer.mobile})
    assert refused.status_code == 403
    client.force_login(admin)
    response = client.post(url, {"action": "add", "full_name": newcomer.full_name, "mobile": newcomer.mobile})
    assert response.status_code == 302
    assert EnterpriseMembership.objects.filter(enterprise=enterprise, user=newcomer, is_active=True).exists()
    page = client.get(url)
    body = page.content.decode()
    assert newcomer.mobile not in body and newcomer.mobile[:3] + "****" in body
    client.force_login(newcomer)
    assert client.get(f"/accounts/enterprise/{EnterpriseFactory().uscc}/").status_code == 404
