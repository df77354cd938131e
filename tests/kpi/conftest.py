"""Hand-built data for the KPI tests: items published on given days, cases and ratings written as rows."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets

import pytest
import time_machine

from bianmin.cases.models import Case
from bianmin.catalog import services as catalog_services
from bianmin.workdays import workcalendar
from tests.catalog.helpers import admin_user, make_published_item
from tests.factories import StaffFactory

BEIJING = dt.timezone(dt.timedelta(hours=8))
TODAY = dt.date(2026, 6, 30)
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    workcalendar.invalidate()
    yield
    workcalendar.invalidate()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BEIJING)


def item(department, *, on: dt.date = dt.date(2026, 1, 5), **overrides):
    """A published item (through the catalog services, so the four 办 columns are derived there)."""
    with time_machine.travel(at(on), tick=False):
        return make_published_item(department=department, **overrides)


def retire(it, *, on: dt.date):
    with time_machine.travel(at(on), tick=False):
        catalog_services.version_retire(version=it.current_version, acting_user=admin_user(), reason="测试")


def case(
    it, *, accepted: dt.date | None, concluded: dt.date | None = None, deadline: dt.date | None = None, **kw
):
    """A case row as the case services would leave it (KPIs read the columns only)."""
    n = next(_numbers)
    state = kw.pop("state", "concluded" if concluded else "accepted")
    creator = kw.pop("created_by", None) or StaffFactory()
    return Case.objects.create(
        number=f"T{n:09d}",
        item=it,
        item_version=it.current_version,
        department=kw.pop("department", it.department),
        state=state,
        applicant_kind="person",
        applicant_name="张三",
        created_by=creator,
        accepted_on=accepted,
        concluded_at=at(concluded, 16) if concluded else None,
        deadline_on=deadline,
        limit_days=kw.pop("limit_days", 10),
        **kw,
    )


def rating(*, level: int, department=None, on: dt.date = dt.date(2026, 3, 10), rater=None, follow_up=False):
    from bianmin.evaluation.models import Evaluation, EvaluationInvitation

    invitation = EvaluationInvitation.objects.create(
        token=secrets.token_urlsafe(32),
        subject="window",
        label="窗口服务",
        service_mode="on_site",
        department=department,
    )
    with time_machine.travel(at(on), tick=False):
        return Evaluation.objects.create(
            invitation=invitation,
            level=level,
            channel="pc",
            subject="window",
            service_mode="on_site",
            department=department,
            rater=rater,
            is_follow_up=follow_up,
        )


def rectify(evaluation, *, done: dt.date | None = None, called_back: dt.date | None = None):
    from bianmin.evaluation.models import Rectification

    return Rectification.objects.create(
        evaluation=evaluation,
        department=evaluation.department,
        state="done" if done else "open",
        opened_on=dt.date(2026, 3, 10),
        due_on=dt.date(2026, 3, 20),
        done_at=at(done) if done else None,
        callback_at=at(called_back) if called_back else None,
    )
