"""Shared setup for the request desk: a frozen working Monday, two departments, the desk, supervisors, people."""

from __future__ import annotations

import datetime as dt
import types

import pytest
import time_machine
from rest_framework.test import APIClient

from bianmin.workdays import workcalendar
from tests.factories import CitizenFactory, DepartmentFactory, StaffFactory

BEIJING = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)  # a working Monday in an official year


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    workcalendar.invalidate()
    yield
    workcalendar.invalidate()


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BEIJING)


@pytest.fixture
def desk(clock, db):
    market = DepartmentFactory(name="汕头市龙湖区市场监督管理局", short_name="区市监局")
    city = DepartmentFactory(name="汕头市龙湖区城市管理和综合执法局", short_name="区城管执法局")
    return types.SimpleNamespace(
        market=market,
        city=city,
        operator=StaffFactory(hotline_operator=True, full_name="热线坐席"),
        supervisor=StaffFactory(supervisor=True),
        market_reviewer=StaffFactory(reviewer=True, department=market),
        market_head=StaffFactory(head=True, department=market),
        city_reviewer=StaffFactory(reviewer=True, department=city),
        citizen=CitizenFactory(full_name="张三"),
        other_citizen=CitizenFactory(full_name="李四"),
    )


@pytest.fixture
def api():
    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
