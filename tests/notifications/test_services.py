"""message_send / notify: written on commit (nothing for a rolled-back action), SMS and email alongside,
read marks only by the recipient."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from bianmin.notifications import selectors, services
from bianmin.notifications.constants import Category
from bianmin.notifications.exceptions import MessageInvalid, MessageNotFound
from bianmin.notifications.models import Message
from bianmin.notifications.senders import MemorySmsSender
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def _notify(user, **kwargs):
    data = {"user": user, "category": Category.SYSTEM, "title": "账户安全提醒", "body": "您的密码已修改。"}
    data.update(kwargs)
    services.notify(**data)


def test_notify_writes_the_message_and_sends_the_sms_after_the_commit(django_capture_on_commit_callbacks):
    user = CitizenFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _notify(user, link="/my/cases/", sms_text="您的密码已修改。")
        assert Message.objects.count() == 0  # not before the commit
        assert MemorySmsSender.outbox == []
    assert len(callbacks) == 1
    message = Message.objects.get()
    assert (message.recipient, message.category, message.title, message.link) == (
        user,
        "system",
        "账户安全提醒",
        "/my/cases/",
    )
    assert message.read_at is None
    assert MemorySmsSender.outbox == [{"mobile": user.mobile, "text": "【龙湖政务】您的密码已修改。"}]


def test_nothing_is_written_or_sent_for_a_rolled_back_action(django_capture_on_commit_callbacks):
    user = CitizenFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            _notify(user, sms_text="您的密码已修改。")
            raise RuntimeError("the action failed")
    assert Message.objects.count() == 0
    assert MemorySmsSender.outbox == []


def test_without_sms_text_no_sms_and_with_a_given_mobile_only_that_number(django_capture_on_commit_callbacks):
    user = CitizenFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user)
        _notify(user, sms_text="短信", mobile="13900000001")
    assert Message.objects.filter(recipient=user).count() == 2
    assert MemorySmsSender.outbox == [{"mobile": "13900000001", "text": "【龙湖政务】短信"}]


def test_a_person_without_an_account_gets_the_sms_only(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(None, sms_text="您的诉求已登记。", mobile="13900000002")
    assert Message.objects.count() == 0
    assert MemorySmsSender.outbox[0]["mobile"] == "13900000002"


def test_inactive_users_are_not_written_to(django_capture_on_commit_callbacks):
    user = CitizenFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user, sms_text="x")
    assert Message.objects.count() == 0
    assert MemorySmsSender.outbox == []


def test_email_is_off_unless_the_deployment_turns_it_on(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(CitizenFactory(email="li@example.cn"), email=True)
    assert mail.outbox == []


def test_email_goes_to_users_with_an_address(settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_EMAIL = True
    with_mail = CitizenFactory(email="zhang@example.cn")
    without = CitizenFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            users=[with_mail, without],
            category=Category.CASE,
            title="申请已受理",
            body="您的申请已受理。",
            link="/my/cases/X/",
            email=True,
        )
    assert [m.to for m in mail.outbox] == [["zhang@example.cn"]]
    assert mail.outbox[0].subject == "申请已受理" and "/my/cases/X/" in mail.outbox[0].body
    assert Message.objects.filter(title="申请已受理").count() == 2


def test_a_failing_sms_gateway_does_not_lose_the_message(settings, django_capture_on_commit_callbacks):
    settings.SMS_SENDER = "tests.notifications.test_services.BrokenSender"
    user = CitizenFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user, sms_text="x")
    assert Message.objects.filter(recipient=user).count() == 1


class BrokenSender(MemorySmsSender):
    def send(self, *, mobile: str, text: str) -> None:
        raise ConnectionError("gateway down")


def test_notify_refuses_an_unknown_category():
    with pytest.raises(ValueError):
        _notify(CitizenFactory(), category="gossip")


def test_send_many_writes_each_user_once():
    user, other = CitizenFactory(), CitizenFactory()
    rows = services.message_send_many(recipients=[user, other, user], category="case", title="预警")
    assert len(rows) == 2
    assert sorted(Message.objects.values_list("recipient_id", flat=True)) == sorted([user.pk, other.pk])


def test_mark_read_only_by_the_recipient_and_the_first_time_stays():
    user, other = CitizenFactory(), CitizenFactory()
    message = services.message_send(recipient=user, category="case", title="申请已受理")
    with pytest.raises(MessageNotFound):
        services.message_mark_read(message=message, acting_user=other)
    message.refresh_from_db()
    assert message.read_at is None
    first = services.message_mark_read(message=message, acting_user=user).read_at
    assert first is not None
    assert services.message_mark_read(message=message.pk, acting_user=user).read_at == first
    message.refresh_from_db()
    assert message.read_at == first


def test_mark_all_read_by_category_leaves_the_others_and_other_users():
    user, other = CitizenFactory(), CitizenFactory()
    for category in ("case", "case", "request"):
        services.message_send(recipient=user, category=category, title="t")
    services.message_send(recipient=other, category="case", title="t")
    assert services.message_mark_all_read(acting_user=user, category="case") == 2
    assert selectors.unread_by_category(user=user) == {"request": 1, "all": 1}
    assert selectors.unread_count(user=other) == 1
    assert services.message_mark_all_read(acting_user=user) == 1
    assert selectors.unread_count(user=user) == 0
    with pytest.raises(MessageInvalid):
        services.message_mark_all_read(acting_user=user, category="gossip")


def test_list_is_newest_first_and_filters(clock):
    user = CitizenFactory()
    older = services.message_send(recipient=user, category="case", title="旧")
    clock.shift(60)
    newer = services.message_send(recipient=user, category="request", title="新")
    services.message_mark_read(message=older, acting_user=user)
    assert list(selectors.message_list(user=user)) == [newer, older]
    assert list(selectors.message_list(user=user, filters={"category": "case"})) == [older]
    assert list(selectors.message_list(user=user, filters={"unread": "1"})) == [newer]
    assert list(selectors.message_list(user=CitizenFactory())) == []
    with pytest.raises(MessageNotFound):
        selectors.message_get_for_user(user=CitizenFactory(), pk=newer.pk)
    with pytest.raises(MessageNotFound):
        selectors.message_get_for_user(user=user, pk="abc")
