"""Shared setup for the case tests: a frozen clock, a published item with partners, and the people."""

from __future__ import annotations

import datetime as dt
import itertools
import types

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from bianmin.workdays import workcalendar
from tests.catalog.helpers import make_certificate, make_published_item
from tests.factories import (
    CitizenFactory,
    DepartmentFactory,
    EnterpriseMemberFactory,
    HallFactory,
    StaffFactory,
    WindowFactory,
)

BEIJING = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)  # a working Monday in an official year

_worlds = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "scan.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    workcalendar.invalidate()
    yield
    workcalendar.invalidate()


@pytest.fixture
def clock():
    """The clock frozen on Monday 2026-03-02 10:00 Beijing time; move it with clock.move_to(datetime)."""
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BEIJING)


def materials_spec(certificate) -> list[dict]:
    return [
        {"name": "申请人身份证明", "necessity": "1"},
        {"name": "经营场所使用证明", "necessity": "3"},
        {"name": "无犯罪记录证明", "necessity": "1", "certificate": certificate.pk},
        {"name": "其他补充说明", "necessity": "2"},
    ]


def build_world(*, joint: bool = False, **item_overrides) -> types.SimpleNamespace:
    """One lead department's published item (four materials, two form fields), its people and halls."""
    n = next(_worlds)
    lead = DepartmentFactory(name=f"区市场监督管理局{n}", short_name="市场监管")
    partner = DepartmentFactory(name=f"区消防救援大队{n}", short_name="消防")
    certificate = make_certificate(department=lead)
    if joint:
        item_overrides["partner_departments"] = [partner]
    item = make_published_item(department=lead, materials=materials_spec(certificate), **item_overrides)
    version = item.current_version
    hall = HallFactory(name=f"龙湖区政务服务中心{n}")
    other_hall = HallFactory(name=f"金霞街道政务服务中心{n}")
    w = types.SimpleNamespace(
        lead=lead,
        partner=partner,
        item=item,
        version=version,
        id_material=version.materials.get(name="申请人身份证明"),
        place_material=version.materials.get(name="经营场所使用证明"),
        certificate_material=version.materials.get(name="无犯罪记录证明"),
        hall=hall,
        window=WindowFactory(hall=hall),
        other_hall=other_hall,
        citizen=CitizenFactory(full_name="张三"),
        other_citizen=CitizenFactory(full_name="李四"),
        company_member=EnterpriseMemberFactory(),
        clerk=StaffFactory(window_clerk=True, hall=hall),
        other_clerk=StaffFactory(window_clerk=True, hall=other_hall),
        reviewer=StaffFactory(reviewer=True, department=lead),
        head=StaffFactory(head=True, department=lead),
        partner_reviewer=StaffFactory(reviewer=True, department=partner),
        stranger_reviewer=StaffFactory(reviewer=True),
        supervisor=StaffFactory(supervisor=True),
    )
    w.enterprise = w.company_member.memberships.get().enterprise
    return w


@pytest.fixture
def world(clock):
    return build_world()


@pytest.fixture
def api():
    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
