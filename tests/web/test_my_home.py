"""我的: the citizen's latest cases, licences and unread messages, not fixed empty states."""

import pytest

from bianmin.notifications.services import notify
from tests.cases.conftest import clock  # noqa: F401  (fixture)
from tests.cases.helpers import submitted
from tests.licences.conftest import admin, world  # noqa: F401  (fixtures: the case world with a licence type)
from tests.licences.helpers import issue

pytestmark = pytest.mark.django_db


def test_empty_states_for_a_new_citizen(client, world):  # noqa: F811  (world is the imported fixture)
    client.force_login(world.other_citizen)
    html = client.get("/my/").content.decode()
    assert "您还没有办件" in html and "暂无电子证照" in html
    assert "/my/messages/" in html


def test_lists_the_citizens_own_cases_and_licences_only(client, world, django_assert_max_num_queries):  # noqa: F811  (world is the imported fixture)
    case = submitted(world)
    licence = issue(world)
    client.force_login(world.citizen)
    with django_assert_max_num_queries(20):
        html = client.get("/my/").content.decode()
    assert "您还没有办件" not in html and "暂无电子证照" not in html
    assert case.number in html and f"/my/cases/{case.number}/" in html
    assert licence.licence_no in html
    client.force_login(world.other_citizen)
    other = client.get("/my/").content.decode()
    assert case.number not in other and licence.licence_no not in other


def test_unread_count_and_nav_on_the_message_centre(client, world):  # noqa: F811  (world is the imported fixture)
    notify(user=world.citizen, category="system", title="测试消息", body="正文", immediately=True)
    client.force_login(world.citizen)
    assert "您有 1 条未读消息" in client.get("/my/").content.decode()
    html = client.get("/my/messages/").content.decode()
    assert 'aria-current="page">我的办件' not in html.replace("\n", "")
