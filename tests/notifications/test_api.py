"""/api/v1/messages/: list with filters, read, read all, unread count; only one's own (404 for others')."""

from __future__ import annotations

import pytest

from bianmin.notifications import services
from bianmin.notifications.models import Message
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def _send(user, n: int = 1, category: str = "case"):
    return [
        services.message_send(
            recipient=user, category=category, title=f"消息{i}", body="正文", link="/my/cases/"
        )
        for i in range(n)
    ]


def test_list_filters_and_pagination(api):
    user = CitizenFactory()
    case_messages = _send(user, 2)
    request_message = _send(user, category="request")[0]
    _send(CitizenFactory(), 3)
    services.message_mark_read(message=case_messages[0], acting_user=user)
    client = api(user)
    body = client.get("/api/v1/messages/").json()
    assert body["count"] == 3
    assert [m["id"] for m in body["results"]] == [
        request_message.pk,
        case_messages[1].pk,
        case_messages[0].pk,
    ]
    first = body["results"][0]
    assert first["category"] == "request" and first["category_label"] == "诉求" and first["is_read"] is False
    assert first["link"] == "/my/cases/"
    assert client.get("/api/v1/messages/?unread=true").json()["count"] == 2
    assert client.get("/api/v1/messages/?category=case&unread=1").json()["count"] == 1
    assert client.get("/api/v1/messages/?page_size=1").json()["next"] is not None
    bad = client.get("/api/v1/messages/?category=gossip")
    assert bad.status_code == 400 and bad.json()["code"] == "message_invalid"


def test_read_one_and_others_are_not_found(api):
    owner, other = CitizenFactory(), CitizenFactory()
    message = _send(owner)[0]
    assert api(other).post(f"/api/v1/messages/{message.pk}/read/").status_code == 404
    assert api(other).get(f"/api/v1/messages/{message.pk}/").status_code == 404
    response = api(owner).get(f"/api/v1/messages/{message.pk}/")
    assert (
        response.status_code == 200 and response.json()["is_read"] is False
    )  # reading the API is not opening
    response = api(owner).post(f"/api/v1/messages/{message.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert response.json()["read_at"]
    assert api(owner).post("/api/v1/messages/999999/read/").json()["code"] == "message_not_found"
    assert api(owner).post("/api/v1/messages/99999999999999999999999/read/").status_code == 404


def test_read_all_and_unread_count(api):
    user = CitizenFactory()
    _send(user, 2)
    _send(user, category="evaluation")
    client = api(user)
    assert client.get("/api/v1/messages/unread-count/").json() == {
        "unread": 3,
        "by_category": {"case": 2, "request": 0, "evaluation": 1, "appointment": 0, "system": 0},
    }
    assert client.post("/api/v1/messages/read-all/", {"category": "case"}, format="json").json() == {
        "marked": 2
    }
    assert client.get("/api/v1/messages/unread-count/").json()["unread"] == 1
    assert client.post("/api/v1/messages/read-all/", {}, format="json").json() == {"marked": 1}
    bad = client.post("/api/v1/messages/read-all/", {"category": "gossip"}, format="json")
    assert bad.status_code == 400 and "category" in bad.json()["fields"]
    assert not Message.objects.filter(read_at__isnull=True).exists()


def test_sign_in_is_required(api):
    for method, url in [
        ("get", "/api/v1/messages/"),
        ("get", "/api/v1/messages/unread-count/"),
        ("post", "/api/v1/messages/read-all/"),
    ]:
        assert getattr(api(), method)(url).status_code in (401, 403)


def test_list_queries_do_not_grow_with_the_page(api, django_assert_num_queries):
    user = CitizenFactory()
    client = api(user)
    _send(user, 2)
    with django_assert_num_queries(2):  # count + page
        client.get("/api/v1/messages/")
    _send(user, 40)
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/messages/").json()["results"]) == 20
