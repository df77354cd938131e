"""In English, the KPI and tracker pages carry no Chinese punctuation of their own: brackets, colons, commas
and list or clause separators come from translated strings or the language's separators (data such as
department names and the plan's task texts stay as written and are left out of the check)."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
import time_machine

from bianmin.kpi.constants import Figure
from tests.factories import DepartmentFactory, StaffFactory
from tests.kpi.conftest import at, case, item

pytestmark = pytest.mark.django_db

FULL_WIDTH = re.compile(r"[（）：，；、。“”]")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(at(dt.date(2026, 6, 30)), tick=False):
        yield


def _text(body: str, data=()) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    body = html_lib.unescape(re.sub(r"<[^>]+>", " ", body))
    for value in sorted((str(d) for d in data if d), key=len, reverse=True):
        body = body.replace(value, "")
    return body


def _english(client):
    client.force_login(StaffFactory(supervisor=True))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_kpi_pages_in_english(client):
    a = DepartmentFactory(name="区甲局")
    a1 = item(a)
    case(a1, accepted=dt.date(2026, 3, 2), concluded=dt.date(2026, 3, 6), deadline=dt.date(2026, 3, 16))
    _english(client)
    data = [a.name, a1.current_version.name, a1.code]
    for url in (
        "/workbench/kpi/",
        f"/workbench/kpi/{Figure.INSTANT}/",
        f"/workbench/kpi/{Figure.ON_TIME}/",
        f"/workbench/kpi/{Figure.ONLINE}/?department={a.pk}",
        "/figures/",
    ):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert FULL_WIDTH.findall(_text(resp.content.decode(), data)) == [], url


def test_tracker_pages_in_english(client):
    from bianmin.organisations.models import Department
    from bianmin.organisations.seed import seed as org_seed
    from bianmin.reform.models import PlanSubTask, PlanTask
    from bianmin.reform.seed import seed

    org_seed(today=dt.date(2026, 6, 30))
    seed(today=dt.date(2026, 6, 30))
    _english(client)
    data = [d.name for d in Department.objects.all()] + [d.short_name for d in Department.objects.all()]
    for t in [*PlanTask.objects.all(), *PlanSubTask.objects.all()]:
        data += [getattr(t, "section", ""), getattr(t, "title", ""), t.text, t.units_text]
        data += [*t.lead_units_other, *t.partner_units_other]
    for url in ("/workbench/reform/", "/workbench/reform/14/", "/workbench/reform/1/"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert FULL_WIDTH.findall(_text(resp.content.decode(), data)) == [], url
