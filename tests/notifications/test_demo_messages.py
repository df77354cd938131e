"""The demo seed leaves the message centre as a person who uses the site would find it: each message dated
at the step it reports, older ones read, a handful of recent ones unread — and a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from bianmin.cases.models import CaseEvent
from bianmin.evaluation.models import EvaluationInvitation
from bianmin.notifications import seed, services
from bianmin.notifications.models import Message
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

FIXED_NOW = "2026-11-18 10:00:00 +08:00"  # a Wednesday, a working day


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # messages are written on each seed's commit
def test_the_demo_citizen_finds_dated_messages_and_a_handful_unread():
    with time_machine.travel(FIXED_NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        now = timezone.now()
        mine = Message.objects.filter(recipient__username="citizen")
        assert mine.count() > 10
        unread = mine.filter(read_at__isnull=True)
        assert 1 <= unread.count() <= seed.UNREAD_AT_MOST
        assert all(m.created_at >= now - dt.timedelta(days=seed.UNREAD_DAYS) for m in unread)
        for message in mine.exclude(read_at=None):
            assert message.created_at <= message.read_at <= now
        # a rating invited when a demo case was delivered days ago is dated at that delivery
        invitations = Message.objects.filter(target_kind="evaluation_invitation")
        assert invitations.exists()
        for message in invitations:
            invitation = EvaluationInvitation.objects.get(pk=message.target_ref)
            last_step = CaseEvent.objects.filter(case_id=invitation.case_id).order_by("-at").first()
            assert message.created_at == last_step.at < invitation.created_at
        before = list(Message.objects.order_by("pk").values_list("pk", "created_at", "read_at"))
        call_command("seed_demo", stdout=io.StringIO())
        assert list(Message.objects.order_by("pk").values_list("pk", "created_at", "read_at")) == before


def test_only_the_latest_news_of_the_last_days_stays_unread(clock):
    user = CitizenFactory()
    now = timezone.now()

    def send(ref: str, hours_ago: float, *, read: bool = False) -> Message:
        message = services.message_send(
            recipient=user, category="case", title=f"进展 {ref}", target_kind="case", target_ref=ref
        )
        Message.objects.filter(pk=message.pk).update(
            created_at=now - dt.timedelta(hours=hours_ago), read_at=now if read else None
        )
        return message

    old = send("A", 24 * 10)
    earlier_same_case = send("B", 5)
    recent = [send(ref, hours) for ref, hours in [("B", 1), ("C", 2), ("D", 3), ("E", 4), ("F", 6), ("G", 7)]]
    seed.seed_finish(today=timezone.localdate())
    unread = set(Message.objects.filter(recipient=user, read_at__isnull=True).values_list("pk", flat=True))
    assert unread == {m.pk for m in recent[:5]}  # the newest per case, at most five
    old.refresh_from_db()
    earlier_same_case.refresh_from_db()
    assert old.read_at == old.created_at + seed.READ_AFTER
    assert earlier_same_case.read_at is not None
