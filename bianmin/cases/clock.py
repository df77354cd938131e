"""The case clock in working days (design.md §5, §5a).

- deadline = add(accepted_on, limit + suspended_days + extension_days): the Nth working day after the day
  of acceptance (that day not counted); 即办件 (limit 0) are due the same day. Because add() counts by
  rank, adding the suspended and extension days at once equals moving the deadline by each of them.
- A suspension from S to R covers the working days in (S, R]: between(S, R).
- Art. 32: the intake decision is due on add(intake_started_on, 5); a later acceptance counts from the
  intake day and is flagged.
- status(): working days used and left, colour (green, yellow at 80 % used, red past the deadline).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.utils import timezone

from bianmin.cases.constants import (
    CLOCK_STATES,
    INTAKE_DUE_WORKDAYS,
    YELLOW_RATIO,
    ClockColour,
)
from bianmin.workdays.services import add, add_with_provenance, between

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClockStatus:
    """What a case shows: total working days allowed, used, left, and the colour of the warning."""

    total_days: int | None
    used_days: int | None
    left_days: int | None
    colour: str
    deadline_on: dt.date | None
    is_provisional: bool
    is_suspended: bool


def intake_due_on(intake_started_on: dt.date) -> dt.date:
    """行政许可法 第32条: the intake decision is due within 5 working days of receiving the application."""
    return add(intake_started_on, INTAKE_DUE_WORKDAYS)


def compute_deadline(
    *, accepted_on: dt.date, limit_days: int, suspended_days: int = 0, extension_days: int = 0
):
    """The deadline and whether a provisional calendar day took part (WorkdayResult)."""
    return add_with_provenance(accepted_on, limit_days + suspended_days + extension_days)


def status(case, *, today: dt.date | None = None) -> ClockStatus:
    """Working days used and left for a case, and its colour. Costs no query (reads the case row only)."""
    today = today or timezone.localdate()
    stopped = case.state not in CLOCK_STATES and case.concluded_at is None  # withdrawn, voided, declined
    if case.accepted_on is None or case.deadline_on is None or case.limit_days is None or stopped:
        return ClockStatus(None, None, None, ClockColour.NONE, case.deadline_on, False, False)
    total = case.limit_days + case.extension_days
    if case.state not in CLOCK_STATES and case.concluded_at is not None:
        end = timezone.localdate(case.concluded_at)
    else:
        end = today
    suspended = case.suspended_days
    if case.is_suspended and case.suspended_since is not None and end > case.suspended_since:
        # the clock stands still while suspended: the running suspension does not count as used
        suspended += between(case.suspended_since, end)
    used = max(0, between(case.accepted_on, end) - suspended) if end >= case.accepted_on else 0
    left = total - used
    if used > total or (not case.is_suspended and end > case.deadline_on):
        colour = ClockColour.RED
    elif total > 0 and used >= YELLOW_RATIO * total:
        colour = ClockColour.YELLOW
    else:
        colour = ClockColour.GREEN
    return ClockStatus(
        total, used, left, colour, case.deadline_on, case.is_provisional_deadline, case.is_suspended
    )


def on_calendar_published(change) -> None:
    """Calendar listener: recompute every open deadline computed over the changed span.

    Runs inside the publishing transaction (an error rolls the publication back), so the case rows are
    updated with the same compare-and-set as every service, and a CaseEvent records each change.
    """
    from bianmin.cases.services import case_recompute_deadlines

    case_recompute_deadlines(start=change.start, end=change.end, acting_user=change.acting_user)
