import pytest
from django.test import RequestFactory

from bianmin.accounts.constants import Role
from bianmin.web import navigation
from bianmin.web.navigation import NavEntry, PortalLink
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    """Restore the registries after a test adds to them."""
    saved = (dict(navigation._workbench), dict(navigation._portal), dict(navigation._cards))
    yield navigation
    navigation._workbench.clear()
    navigation._workbench.update(saved[0])
    navigation._portal.clear()
    navigation._portal.update(saved[1])
    navigation._cards.clear()
    navigation._cards.update(saved[2])


def _request(user, path="/workbench/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def _labels(sections):
    return [str(e["label"]) for s in sections for e in s["entries"]]


def test_entries_are_filtered_by_role_and_hidden_until_their_url_resolves(registry):
    registry.register(
        NavEntry("t.clerk", "web:lookup", "窗口专用", "窗", {Role.WINDOW_CLERK}, "测试", 1),
        NavEntry("t.reviewer", "web:sitemap", "审核专用", "审", {Role.REVIEWER}, "测试", 2),
        NavEntry("t.missing", "nowhere:page", "未建页面", "无", None, "测试", 3),
        NavEntry("t.missing_path", "/no-such-path/", "未建路径", "无", None, "测试", 4),
    )
    clerk = StaffFactory(window_clerk=True)
    labels = _labels(navigation.workbench_menu(_request(clerk)))
    assert "窗口专用" in labels
    assert "审核专用" not in labels
    assert "未建页面" not in labels and "未建路径" not in labels
    assert "工作台首页" in labels


def test_registering_a_key_again_replaces_the_entry(registry):
    registry.register(NavEntry("t.x", "web:lookup", "旧名称", roles=None))
    registry.register(NavEntry("t.x", "web:lookup", "新名称", roles=None))
    labels = _labels(navigation.workbench_menu(_request(StaffFactory(reviewer=True))))
    assert "新名称" in labels and "旧名称" not in labels


def test_the_most_specific_entry_is_current(registry):
    registry.register(NavEntry("t.lookup", "web:lookup", "查询页", roles=None))
    sections = navigation.workbench_menu(_request(StaffFactory(reviewer=True), path="/lookup/"))
    current = [str(e["label"]) for s in sections for e in s["entries"] if e["current"]]
    assert current == ["查询页"]


def test_platform_admin_superuser_sees_admin_entries():
    admin = StaffFactory(is_superuser=True)
    labels = _labels(navigation.workbench_menu(_request(admin)))
    assert "管理后台" in labels
    clerk_labels = _labels(navigation.workbench_menu(_request(StaffFactory(window_clerk=True))))
    assert "管理后台" not in clerk_labels


def test_portal_links_hide_pages_that_do_not_exist(registry):
    registry.register_portal(PortalLink("t.none", "/not-built-yet/", "未建"))
    items = navigation.portal_menu(RequestFactory().get("/"))
    labels = [str(i["label"]) for i in items]
    assert "未建" not in labels
    assert labels[0] == "首页"
    assert "查询" in labels and "我的办件" in labels


def test_no_section_is_split_in_two_for_any_role():
    """Entries of one section sit together (their orders must not interleave with another section's)."""
    roles = (
        "supervisor",
        "catalog_editor",
        "head",
        "reviewer",
        "hall_manager",
        "window_clerk",
        "hotline_operator",
    )
    for user in [StaffFactory(is_superuser=True)] + [StaffFactory(**{role: True}) for role in roles]:
        titles = [s["title"] for s in navigation.workbench_menu(_request(user))]
        assert len(titles) == len(set(titles)), titles
