"""The clock in working days on a frozen calendar: art. 32, suspensions, extensions, colours, provisional."""

from __future__ import annotations

import datetime as dt

import pytest

from bianmin.cases import clock as case_clock
from bianmin.cases import services
from bianmin.cases.constants import ClockColour
from bianmin.cases.models import CaseEvent, Suspension
from bianmin.workdays.services import calendar_year_publish
from tests.cases import helpers
from tests.cases.conftest import at
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_intake_in_time_counts_from_acceptance(world, clock):
    # given an application submitted on Monday 2 March (intake due Monday 9 March)
    case = helpers.submitted(world)
    assert case.intake_due_on == dt.date(2026, 3, 9)
    # when the clerk accepts on the fifth working day
    clock.move_to(at(dt.date(2026, 3, 9)))
    case = services.case_accept(case=case, acting_user=world.clerk)
    # then the clock starts that day and nothing is flagged
    assert case.accepted_on == dt.date(2026, 3, 9) and not case.is_late_intake
    assert case.deadline_on == dt.date(2026, 3, 23)


def test_art_32_late_intake_counts_from_submission_and_is_flagged(world, clock):
    case = helpers.submitted(world)
    clock.move_to(at(dt.date(2026, 3, 10)))  # the sixth working day
    case = services.case_accept(case=case, acting_user=world.clerk)
    assert case.is_late_intake is True
    assert case.accepted_on == dt.date(2026, 3, 2)
    assert case.deadline_on == dt.date(2026, 3, 16)
    event = CaseEvent.objects.get(case=case, kind="accept")
    assert event.data["is_late_intake"] is True and event.data["accepted_on"] == "2026-03-02"


def test_late_correction_request_is_flagged_too(world, clock):
    case = helpers.submitted(world)
    clock.move_to(at(dt.date(2026, 3, 11)))
    case = services.case_request_correction(
        case=case, acting_user=world.clerk, problems=[{"material": world.id_material.pk, "note": "不清晰"}]
    )
    assert case.is_late_intake is True
    # after resubmission a new intake period starts
    clock.move_to(at(dt.date(2026, 3, 12)))
    case = services.case_resubmit(case=case, acting_user=world.citizen)
    assert case.is_late_intake is False and case.intake_due_on == dt.date(2026, 3, 19)


def test_suspension_moves_the_deadline_by_the_working_days_it_covers(world, clock):
    # accepted Monday 2 March, 10 working days: due Monday 16 March
    case = helpers.in_review(world)
    assert case.deadline_on == dt.date(2026, 3, 16)
    clock.move_to(at(dt.date(2026, 3, 4)))  # Wednesday
    services.case_suspend(case=case, acting_user=world.reviewer, procedure="testing", reason="送检")
    clock.move_to(at(dt.date(2026, 3, 11)))  # next Wednesday: (4, 11] holds 5 working days
    case = services.case_resume(case=case, acting_user=world.reviewer)
    assert case.suspended_days == 5
    assert case.deadline_on == dt.date(2026, 3, 23)
    suspension = Suspension.objects.get(case=case)
    assert (suspension.started_on, suspension.resumed_on, suspension.days) == (
        dt.date(2026, 3, 4),
        dt.date(2026, 3, 11),
        5,
    )
    event = CaseEvent.objects.get(case=case, kind="resume")
    assert event.data["deadline_from"] == "2026-03-16" and event.data["deadline_to"] == "2026-03-23"
    # used days exclude the suspension: (2, 11] has 7 working days, 5 suspended
    status = case_clock.status(case)
    assert (status.used_days, status.left_days, status.colour) == (2, 8, ClockColour.GREEN)


def test_suspension_over_a_weekend_and_holiday_counts_only_working_days(world, clock):
    # Accepted Thursday 2 April 2026; 清明 is 4–6 April
    clock.move_to(at(dt.date(2026, 4, 2)))
    case = helpers.in_review(world, user=world.other_citizen)
    assert case.deadline_on == dt.date(2026, 4, 17)
    clock.move_to(at(dt.date(2026, 4, 3)))  # Friday
    services.case_return_to_applicant(case=case, acting_user=world.reviewer, reason="补充材料")
    clock.move_to(at(dt.date(2026, 4, 7)))  # Tuesday after the holiday: (3, 7] = {7 April} only
    case = services.case_resume(case=case, acting_user=world.reviewer)
    assert case.suspended_days == 1 and case.deadline_on == dt.date(2026, 4, 20)


def test_extension_adds_days_after_suspension(world, clock):
    case = helpers.in_review(world)
    clock.move_to(at(dt.date(2026, 3, 4)))
    services.case_suspend(case=case, acting_user=world.reviewer, procedure="hearing", reason="听证")
    clock.move_to(at(dt.date(2026, 3, 11)))
    services.case_resume(case=case, acting_user=world.reviewer)
    case = services.case_extend(case=case, acting_user=world.head, days=5, reason="情况复杂")
    assert case.deadline_on == dt.date(2026, 3, 30)  # 10 + 5 suspended + 5 extended working days
    assert case.extensions.get().approved_by == world.head


def test_colour_green_yellow_red(world, clock):
    case = helpers.accepted(world)
    assert case_clock.status(case, today=dt.date(2026, 3, 11)).colour == ClockColour.GREEN  # 7 of 10
    status = case_clock.status(case, today=dt.date(2026, 3, 12))  # 8 of 10 = 80 %
    assert (status.used_days, status.left_days, status.colour) == (8, 2, ClockColour.YELLOW)
    assert case_clock.status(case, today=dt.date(2026, 3, 16)).colour == ClockColour.YELLOW  # the last day
    status = case_clock.status(case, today=dt.date(2026, 3, 17))
    assert (status.used_days, status.left_days, status.colour) == (11, -1, ClockColour.RED)


def test_suspended_case_is_not_red_while_the_clock_stands(world, clock):
    case = helpers.in_review(world)
    clock.move_to(at(dt.date(2026, 3, 13)))
    case = services.case_suspend(case=case, acting_user=world.reviewer, procedure="appraisal", reason="鉴定")
    status = case_clock.status(case, today=dt.date(2026, 3, 25))
    assert status.is_suspended and status.used_days == 9 and status.colour == ClockColour.YELLOW


def test_instant_item_due_the_same_day(clock):
    from tests.cases.conftest import build_world

    w = build_world(handle_kind="1", promised_limit=0)
    case = helpers.accepted(w)
    assert case.deadline_on == case.accepted_on == dt.date(2026, 3, 2)
    assert case_clock.status(case).colour == ClockColour.GREEN


def test_provisional_deadline_is_recomputed_when_the_year_is_published(world, clock):
    # given a case accepted late in 2026 whose deadline falls in provisional 2027
    clock.move_to(at(dt.date(2026, 12, 24)))
    case = helpers.in_review(world)
    assert case.is_provisional_deadline is True
    provisional = case.deadline_on
    assert provisional == dt.date(2027, 1, 8)  # 元旦 1 January off (provisional rule), 10 working days
    # when the State Council schedule for 2027 is entered with a longer 元旦 holiday (1–3 Jan + 4 Jan off)
    admin = StaffFactory(platform_admin=True)
    calendar_year_publish(
        year=2027,
        holidays=[{"name": "元旦", "start": dt.date(2027, 1, 1), "end": dt.date(2027, 1, 4)}],
        adjusted_workdays=[],
        acting_user=admin,
    )
    # then the open case's deadline is recomputed, no longer provisional, and the case records it
    case.refresh_from_db()
    assert case.is_provisional_deadline is False
    assert case.deadline_on == dt.date(2027, 1, 11)
    event = CaseEvent.objects.get(case=case, kind="deadline_recomputed")
    assert event.data["deadline_from"] == "2027-01-08" and event.data["deadline_to"] == "2027-01-11"
