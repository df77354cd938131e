"""The demo cases: every state, some overdue and warned, made through the services, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from bianmin.audit.models import AuditEntry
from bianmin.cases import clock
from bianmin.cases.constants import CaseState, ClockColour
from bianmin.cases.models import Case, CaseEvent
from bianmin.cases.seed import seed
from tests.catalog.demo_catalog import load_demo_catalog

BEIJING = dt.timezone(dt.timedelta(hours=8))


@pytest.mark.django_db
@pytest.mark.parametrize("today", [dt.date(2026, 11, 25), dt.date(2026, 11, 28)])  # a Wednesday, a Saturday
def test_demo_cases_cover_every_state_and_are_idempotent(today):
    with time_machine.travel(dt.datetime(today.year, today.month, today.day, 8, tzinfo=BEIJING), tick=False):
        load_demo_catalog()
        summary = seed(today=today)
        assert summary.startswith("21 demo cases created")
        cases = list(Case.objects.filter(idempotency_key__startswith="demo-"))
        assert {c.state for c in cases} == set(CaseState.values)
        colours = {c.idempotency_key: clock.status(c, today=today).colour for c in cases}
        assert colours["demo-overdue"] == colours["demo-overdue-2"] == ClockColour.RED
        assert colours["demo-yellow"] == ClockColour.YELLOW
        assert colours["demo-in-review"] == ClockColour.GREEN
        by_key = {c.idempotency_key: c for c in cases}
        assert by_key["demo-suspended"].is_suspended
        returned = by_key["demo-returned"]
        assert returned.is_suspended and returned.suspensions.get().kind == "supplement"
        assert by_key["demo-joint"].tasks.count() == 2
        assert by_key["demo-tolerant"].acceptance_mode == "tolerant"
        assert by_key["demo-delivered-pickup"].visits_count == 1
        # dated in the past through the services: submissions before today, events recorded then
        assert all(
            c.submitted_at.date() < today
            for c in cases
            if c.submitted_at and c.idempotency_key != "demo-draft"
        )
        assert CaseEvent.objects.filter(case__in=cases, kind="accept").count() >= 12
        assert AuditEntry.objects.filter(action="cases.accept").count() >= 12
        assert seed(today=today).startswith("0 demo cases created")
