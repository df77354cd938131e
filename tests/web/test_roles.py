import pytest
from django.urls import reverse

from bianmin.accounts.constants import Role, UserKind
from tests.factories import (
    CitizenFactory,
    EnterpriseMemberFactory,
    RoleAssignmentFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_anonymous_home_for_role_goes_to_login(client):
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/home/"


@pytest.mark.parametrize(
    ("make_user", "target"),
    [
        (lambda: CitizenFactory(), "/my/"),
        (lambda: EnterpriseMemberFactory(), "/my/"),
        (lambda: StaffFactory(window_clerk=True), "/workbench/"),
        (lambda: StaffFactory(reviewer=True), "/workbench/"),
        (lambda: StaffFactory(head=True), "/workbench/"),
        (lambda: StaffFactory(catalog_editor=True), "/workbench/"),
        (lambda: StaffFactory(hall_manager=True), "/workbench/"),
        (lambda: StaffFactory(hotline_operator=True), "/workbench/"),
        (lambda: StaffFactory(supervisor=True), "/workbench/"),
        (lambda: StaffFactory(platform_admin=True), "/workbench/"),
        (lambda: UserFactory(is_superuser=True, is_staff=True), "/workbench/"),
    ],
)
def test_home_for_role_redirects_each_role(login, make_user, target):
    response = login(make_user()).get(reverse("web:home_for_role"))
    assert response.status_code == 302
    assert response["Location"] == target


def test_workbench_is_forbidden_to_citizens_with_a_chinese_explanation(login, citizen):
    response = login(citizen).get("/workbench/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "无权访问此页面" in html
    assert "请联系平台管理员为您授予角色" in html
    assert "返回门户首页" in html


def test_workbench_is_forbidden_to_staff_without_an_active_role(login):
    user = StaffFactory()
    RoleAssignmentFactory(user=user, role=Role.REVIEWER, is_active=False)
    assert login(user).get("/workbench/").status_code == 403


def test_workbench_sends_anonymous_users_to_login(client):
    response = client.get("/workbench/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/workbench/")


def test_my_page_needs_a_login(client):
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/my/"


def test_my_page_shows_a_masked_profile(login, citizen):
    html = login(citizen).get("/my/").content.decode()
    assert "陈市民" in html
    assert citizen.masked_id_card in html
    assert citizen.id_card_no not in html
    assert citizen.mobile not in html
    assert "我的办件" in html and "我的证照" in html
    assert "您还没有办件" in html


def test_my_page_lists_the_enterprises_of_a_member(login):
    user = EnterpriseMemberFactory()
    assert user.kind == UserKind.ENTERPRISE
    html = login(user).get("/my/").content.decode()
    assert user.memberships.get().enterprise.name in html


def test_clerk_workbench_shows_the_window_card_and_not_the_admin_card(login, clerk):
    response = login(clerk).get("/workbench/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "综合窗口" in html and "收件登记" in html
    assert "平台管理" not in html
    assert "综合窗口人员" in html  # role label
    assert 'class="wb-sidebar"' in html
    assert '<a href="/workbench/" aria-current="page">' in html


def test_platform_admin_workbench_has_the_admin_card_with_live_links(login):
    admin = UserFactory(is_superuser=True, is_staff=True, kind=UserKind.STAFF)
    html = login(admin).get("/workbench/").content.decode()
    assert "平台管理" in html
    assert 'href="/admin/"' in html
    assert 'href="/admin/organisations/department/"' in html
    assert 'href="/admin/accounts/user/"' in html


@pytest.mark.parametrize(
    ("trait", "card_title"),
    [
        ("reviewer", "我的待办"),
        ("head", "待审批"),
        ("hall_manager", "大厅"),
        ("hotline_operator", "诉求"),
        ("supervisor", "效能监督"),
    ],
)
def test_each_role_sees_its_card(login, trait, card_title):
    html = login(StaffFactory(**{trait: True})).get("/workbench/").content.decode()
    assert f"</span>{card_title}</h2>" in html


def test_workbench_home_query_count(login, clerk, django_assert_max_num_queries):
    client = login(clerk)
    with django_assert_max_num_queries(6):
        assert client.get("/workbench/").status_code == 200


def test_a_card_registered_by_another_app_shows_for_its_role_only(login):
    from bianmin.web import navigation
    from bianmin.web.navigation import CardLink, HomeCard

    navigation.register_card(
        HomeCard(
            "t.card",
            "测试卡片",
            "说明文字",
            frozenset({Role.REVIEWER}),
            "测",
            (CardLink("web:lookup", "去查询"),),
            count=lambda user: 7,
            count_label="待办",
        )
    )
    try:
        html = login(StaffFactory(reviewer=True)).get("/workbench/").content.decode()
        assert "测试卡片" in html and 'href="/lookup/">去查询</a>' in html and "待办 7" in html
        html = login(StaffFactory(hotline_operator=True)).get("/workbench/").content.decode()
        assert "测试卡片" not in html
    finally:
        navigation.unregister("t.card")
