import pytest

from bianmin.accounts.models import EnterpriseMembership
from tests.factories import CitizenFactory, EnterpriseMemberFactory, StaffFactory, make_uscc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/register/", "/accounts/password-reset/", "/accounts/privacy/"]
)
def test_public_pages_render_in_chinese(client, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in body or url == "/accounts/privacy/"
    assert "<script>" not in body  # CSP: no inline script


@pytest.mark.parametrize(
    "url", ["/accounts/profile/", "/accounts/enterprise/", "/accounts/enterprise/register/"]
)
def test_private_pages_need_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_profile_shows_roles_for_staff(client):
    staff = StaffFactory(reviewer=True)
    client.force_login(staff)
    body = client.get("/accounts/profile/").content.decode()
    assert "部门审核人员" in body


def test_enterprise_register_page(client):
    citizen = CitizenFactory()
    client.force_login(citizen)
    assert client.get("/accounts/enterprise/").status_code == 200
    bad = client.post(
        "/accounts/enterprise/register/",
        {"name": "页面公司", "uscc": "91440507MA4W0D0E1A", "legal_representative": "某某"},
    )
    assert bad.status_code == 200 and "统一社会信用代码不正确" in bad.content.decode()
    uscc = make_uscc(5, prefix="91440507PG")
    response = client.post(
        "/accounts/enterprise/register/", {"name": "页面公司", "uscc": uscc, "legal_representative": "某某"}
    )
    assert response.status_code == 302 and response["Location"] == f"/accounts/enterprise/{uscc}/"
    assert EnterpriseMembership.objects.get(user=citizen).is_admin


def test_enterprise_home_goes_straight_to_the_only_enterprise(client):
    member = EnterpriseMemberFactory()
    client.force_login(member)
    response = client.get("/accounts/enterprise/")
    uscc = member.memberships.get().enterprise.uscc
    assert response.status_code == 302 and response["Location"] == f"/accounts/enterprise/{uscc}/"


def test_staff_cannot_register_enterprise(client):
    client.force_login(StaffFactory(window_clerk=True))
    assert client.get("/accounts/enterprise/register/").status_code == 404
