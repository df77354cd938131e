"""消息中心 pages: own messages only, newest first, unread highlighted, category filter, mark read; a header
badge that costs one query for a signed-in user and none for an anonymous visitor; constant queries per page."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from bianmin.notifications import services
from bianmin.notifications.models import Message
from tests.factories import CitizenFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _send(user, n: int = 1, category: str = "case", title: str = "申请已受理"):
    return [
        services.message_send(
            recipient=user, category=category, title=f"{title}{i}", body="正文", link="/my/cases/"
        )
        for i in range(n)
    ]


def test_the_list_shows_own_messages_newest_first_with_unread_marked(client, clock):
    user = CitizenFactory()
    old = _send(user, title="旧消息")[0]
    clock.shift(60)
    _send(user, title="新消息", category="request")
    _send(CitizenFactory(), title="别人的消息")
    services.message_mark_read(message=old, acting_user=user)
    client.force_login(user)
    html = client.get("/my/messages/").content.decode()
    assert html.index("新消息0") < html.index("旧消息0")
    assert "别人的消息" not in html
    assert html.count("is-unread") == 1
    assert "您有 1 条未读消息" in html
    # the header badge
    assert 'data-unread="1"' in html
    # filters
    by_category = client.get("/my/messages/?category=case").content.decode()
    assert "旧消息0" in by_category and "新消息0" not in by_category
    unread = client.get("/my/messages/?unread=1").content.decode()
    assert "新消息0" in unread and "旧消息0" not in unread


def test_opening_a_message_reads_it_and_links_to_its_page(client):
    user = CitizenFactory()
    message = _send(user)[0]
    client.force_login(user)
    response = client.get(f"/my/messages/{message.pk}/")
    assert response.status_code == 200
    assert 'href="/my/cases/"' in response.content.decode()
    message.refresh_from_db()
    assert message.read_at is not None


def test_a_link_elsewhere_is_not_offered(client):
    user = CitizenFactory()
    message = services.message_send(
        recipient=user, category="system", title="t", link="https://evil.example/"
    )
    client.force_login(user)
    assert "evil.example" not in client.get(f"/my/messages/{message.pk}/").content.decode()


def test_mark_one_and_all_read(client):
    user = CitizenFactory()
    first, second = _send(user, 2)
    other = _send(user, category="request")[0]
    client.force_login(user)
    response = client.post(f"/my/messages/{first.pk}/read/", {"next": "/my/messages/?category=case"})
    assert response.status_code == 302 and response["Location"] == "/my/messages/?category=case"
    first.refresh_from_db()
    assert first.read_at is not None
    client.post("/my/messages/read-all/", {"category": "case"})
    second.refresh_from_db()
    other.refresh_from_db()
    assert second.read_at is not None and other.read_at is None
    response = client.post("/my/messages/read-all/", {"next": "https://evil.example/"})
    assert response["Location"] == "/my/messages/"
    assert not Message.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert client.get("/my/messages/read-all/").status_code == 405


def test_someone_elses_message_is_not_found(client):
    owner, other = CitizenFactory(), CitizenFactory()
    message = _send(owner)[0]
    client.force_login(other)
    assert client.get(f"/my/messages/{message.pk}/").status_code == 404
    assert client.post(f"/my/messages/{message.pk}/read/").status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/my/messages/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post("/my/messages/read-all/").status_code == 302


def test_staff_have_the_same_centre_in_the_workbench_and_citizens_do_not(client):
    staff = StaffFactory(reviewer=True)
    message = _send(staff, title="办件期限预警")[0]
    client.force_login(staff)
    html = client.get("/workbench/messages/").content.decode()
    assert "办件期限预警0" in html and f'href="/workbench/messages/{message.pk}/"' in html
    assert 'href="/workbench/messages/"' in html  # the left navigation and the top-bar badge
    assert client.get(f"/workbench/messages/{message.pk}/").status_code == 200
    client.force_login(CitizenFactory())
    assert client.get("/workbench/messages/").status_code == 403


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/my/messages/", "/workbench/messages/"])
def test_the_list_costs_the_same_queries_for_3_or_45_messages(client, url, django_assert_max_num_queries):
    user = StaffFactory(reviewer=True)
    client.force_login(user)
    _send(user, 3)
    few = _queries(client, url)
    _send(user, 42, category="request")
    many = _queries(client, url + "?page=2")
    assert many == few
    with django_assert_max_num_queries(12):
        client.get(url)


def test_the_badge_costs_one_query_for_a_user_and_none_for_a_visitor(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    template = Template(
        "{% load message_centre %}{% unread_message_count as n %}{% unread_message_count as m %}{{ n }}/{{ m }}"
    )
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert template.render(Context({"request": request})) == "0/0"
    user = CitizenFactory()
    _send(user, 2)
    request = RequestFactory().get("/")
    request.user = user
    with django_assert_num_queries(1):
        assert template.render(Context({"request": request})) == "2/2"


def test_an_anonymous_page_has_no_badge(client):
    html = client.get("/lookup/").content.decode()
    assert "data-unread" not in html
