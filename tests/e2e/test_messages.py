"""消息中心 in a browser: a case step reaches the citizen's header badge; opening the message reads it (the badge
drops) and its button leads to the case; staff find their messages in the workbench.

One test per face; the demo district is seeded for each (transaction=True flushes it)."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from bianmin.accounts.models import User
from bianmin.cases import services as case_services
from bianmin.cases.models import Case
from bianmin.notifications.models import Message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _unread(user) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def test_citizen_reads_a_case_message_and_follows_it_to_the_case(page, live_server, sign_in):
    citizen = User.objects.get(username="citizen")
    case = Case.objects.filter(applicant=citizen, state="submitted").order_by("submitted_at", "pk").first()
    assert case is not None, "the demo citizen has a case waiting for acceptance"
    # the step: the window clerk accepts it (the message is written on commit; the test runs in autocommit)
    case_services.case_accept(case=case, acting_user=User.objects.get(username="clerk"))
    message = Message.objects.get(recipient=citizen, target_kind="case", target_ref=case.number, read_at=None)
    before = _unread(citizen)
    assert before >= 1

    sign_in(page, "citizen")
    badge = page.locator("header a.header-messages")
    expect(badge).to_have_attribute("data-unread", str(before))
    expect(badge.locator(".badge")).to_contain_text(str(before))

    badge.click()
    assert urlparse(page.url).path == "/my/messages/"
    expect(page.locator("h1")).to_have_text("消息中心")
    row = page.locator("li.is-unread").filter(has_text=message.title)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=message.title).click()

    assert urlparse(page.url).path == f"/my/messages/{message.pk}/"
    expect(page.locator("h1")).to_have_text(message.title)
    expect(page.locator("main")).to_contain_text(case.number)
    message.refresh_from_db()
    assert message.read_at is not None
    expect(badge).to_have_attribute("data-unread", str(before - 1))

    page.get_by_role("link", name="查看办件").click()
    assert urlparse(page.url).path == f"/my/cases/{case.number}/"
    expect(page.locator("main")).to_contain_text(case.number)

    page.goto(f"{live_server.url}/my/messages/")
    read_row = page.locator(f"main ol.plain-list > li:has(a[href='/my/messages/{message.pk}/'])")
    expect(read_row.locator(".badge")).to_have_text("已读")


def test_staff_find_their_messages_in_the_workbench(page, live_server, sign_in):
    reviewer = User.objects.get(username="reviewer")
    mine = list(Message.objects.filter(recipient=reviewer).order_by("-created_at", "-id")[:20])
    assert mine, "the demo reviewer has messages (deadline warnings, requests to answer)"
    sign_in(page, "reviewer")
    badge = page.locator("header a.header-messages")
    expect(badge).to_have_attribute("href", "/workbench/messages/")
    badge.click()
    assert urlparse(page.url).path == "/workbench/messages/"
    expect(page.locator("h1")).to_have_text("消息中心")
    rows = page.locator("main ol.plain-list > li")
    expect(rows).to_have_count(len(mine))
    expect(rows.first).to_contain_text(mine[0].title)
    # a citizen's message centre is not theirs to see
    citizen_message = Message.objects.filter(recipient__username="citizen").first()
    response = page.goto(f"{live_server.url}/workbench/messages/{citizen_message.pk}/")
    assert response.status == 404
