"""The periodic deadline warnings: reviewers and heads of the lead department hear of yellow and red cases."""

from __future__ import annotations

import datetime as dt

import pytest

from bianmin.cases import selectors
from bianmin.cases.tasks import send_deadline_warnings
from bianmin.notifications.senders import MemorySmsSender
from tests.cases import helpers
from tests.cases.conftest import at

pytestmark = pytest.mark.django_db


def test_yellow_and_red_cases_are_announced_to_the_lead_department(world, clock):
    late = helpers.accepted(world)  # due 16 March
    clock.move_to(at(dt.date(2026, 3, 6)))
    soon = helpers.accepted(world, user=world.other_citizen)  # due 20 March
    clock.move_to(at(dt.date(2026, 3, 13)))
    helpers.accepted(world, user=world.company_member, enterprise=world.enterprise)  # due 27 March: green
    clock.move_to(at(dt.date(2026, 3, 18)))
    warnings = selectors.deadline_warnings(today=dt.date(2026, 3, 18))
    assert [(c.pk, s.colour) for c, s in warnings] == [(late.pk, "red"), (soon.pk, "yellow")]
    MemorySmsSender.outbox.clear()
    assert send_deadline_warnings(today=dt.date(2026, 3, 18)) == 2  # the reviewer and the head
    recipients = {m["mobile"] for m in MemorySmsSender.outbox}
    assert recipients == {world.reviewer.mobile, world.head.mobile}
    assert "1件办件已超期、1件临近期限" in MemorySmsSender.outbox[0]["text"]
    assert world.stranger_reviewer.mobile not in recipients


def test_no_message_when_nothing_is_due(world, clock):
    helpers.accepted(world)
    MemorySmsSender.outbox.clear()
    assert send_deadline_warnings(today=dt.date(2026, 3, 3)) == 0
    assert MemorySmsSender.outbox == []
