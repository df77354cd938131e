"""Dashboard, drill-down, exports, public page and API: permissions and what they show."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook
from rest_framework.test import APIClient

from bianmin.core.exceptions import NotFound
from bianmin.kpi.constants import Figure
from tests.factories import CitizenFactory, DepartmentFactory, StaffFactory
from tests.kpi.conftest import at, case, item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(at(dt.date(2026, 6, 30)), tick=False):
        yield


@pytest.fixture
def data():
    a = DepartmentFactory(name="区甲局")
    b = DepartmentFactory(name="区乙局")
    a1 = item(a)
    b1 = item(b, online_depth=["1"])
    c = case(a1, accepted=dt.date(2026, 3, 2), concluded=dt.date(2026, 3, 6), deadline=dt.date(2026, 3, 16))
    return type("D", (), {"a": a, "b": b, "a1": a1, "b1": b1, "case": c})


def test_citizen_gets_403_anonymous_goes_to_login(client, data):
    assert client.get("/workbench/kpi/").status_code == 302
    client.force_login(CitizenFactory())
    assert client.get("/workbench/kpi/").status_code == 403
    assert client.get(f"/workbench/kpi/{Figure.ONLINE}/").status_code == 403
    assert client.get("/workbench/kpi/export.xlsx").status_code == 403
    clerk = StaffFactory(window_clerk=True)
    client.force_login(clerk)
    assert client.get("/workbench/kpi/").status_code == 403


def test_supervisor_dashboard_and_drill_down(client, data, django_assert_max_num_queries):
    client.force_login(StaffFactory(supervisor=True))
    with django_assert_max_num_queries(80):
        resp = client.get("/workbench/kpi/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "网上可办率" in body and 'data-kpi-chart="bar"' in body and "vendor/echarts.min.js" in body
    assert "<script>" not in body  # no inline script (CSP)
    # district → department
    resp = client.get(f"/workbench/kpi/{Figure.ONLINE}/")
    assert resp.status_code == 200
    parts = resp.context["parts"]
    assert {p["label"]: (p["numerator"], p["denominator"]) for p in parts} == {
        "区甲局": (1, 1),
        "区乙局": (0, 1),
    }
    # department → item → rows
    resp = client.get(f"/workbench/kpi/{Figure.ONLINE}/?department={data.b.pk}")
    assert resp.context["by"] == "item"
    assert [p["key"] for p in resp.context["parts"]] == [data.b1.pk]
    resp = client.get(f"/workbench/kpi/{Figure.ONLINE}/?item={data.b1.pk}")
    assert resp.context["row_body"][0][0] == data.b1.code
    assert resp.context["row_body"][0][-1] == "否"
    # case rows behind on-time
    resp = client.get(f"/workbench/kpi/{Figure.ON_TIME}/?department={data.a.pk}")
    assert data.case.number in resp.content.decode()
    assert client.get("/workbench/kpi/nonsense/").status_code == 404
    assert client.get("/workbench/kpi/?department=999999").status_code == 404


def test_exports(client, data):
    client.force_login(StaffFactory(supervisor=True))
    resp = client.get("/workbench/kpi/export.xlsx")
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "指标"
    online = next(r for r in rows if r[0] == "网上可办率")
    assert (online[1], online[2], online[3]) == (1, 2, "50.0%")
    resp = client.get(f"/workbench/kpi/{Figure.ONLINE}/export.csv?department={data.a.pk}")
    text = resp.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("事项,分子,分母")
    resp = client.get(f"/workbench/kpi/{Figure.ONLINE}/export.xlsx")
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["网上可办率", "部门", "明细"]


def test_public_page_shows_district_figures_only(client, data):
    resp = client.get("/figures/")
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "网上可办率" in body and "50.0%" in body
    assert data.case.number not in body and "区甲局" not in body and "张三" not in body
    assert client.get("/figures/?department=1").context["results"][1].scope.kind == "district"


def test_portal_hook_and_empty_state(db):
    from bianmin.kpi.selectors import public_four_ban_figures

    assert public_four_ban_figures() == []
    item(DepartmentFactory())
    figures = public_four_ban_figures()
    assert [f["label"] for f in figures] == [
        "即办比例",
        "网上可办率",
        "就近可办比例",
        "最多跑一次比例（承诺）",
    ]
    assert figures[1]["value"] == "100.0%"


def test_portal_home_shows_the_four_figures(client):
    assert "统计数据尚未发布" in client.get("/").content.decode()
    item(DepartmentFactory())
    body = client.get("/").content.decode()
    assert "网上可办率" in body and "100.0%" in body


def test_api(data):
    api = APIClient()
    assert api.get("/api/v1/kpi/").status_code in (401, 403)
    api.force_authenticate(CitizenFactory())
    assert api.get("/api/v1/kpi/").status_code == 403
    api.force_authenticate(StaffFactory(supervisor=True))
    resp = api.get("/api/v1/kpi/")
    assert resp.status_code == 200
    online = next(f for f in resp.json() if f["figure"] == "online")
    assert (online["numerator"], online["denominator"], online["value"]) == ("1.00", "2.00", "0.5000")
    resp = api.get("/api/v1/kpi/online/?period=2026")
    body = resp.json()
    assert body["breakdown_by"] == "department" and len(body["breakdown"]) == 2
    drill = next(p for p in body["breakdown"] if p["label"] == "区甲局")["drill_down"]
    assert f"department={data.a.pk}" in drill and "period=2026" in drill
    sub = api.get(drill).json()
    assert sub["scope"] == "department" and sub["breakdown_by"] == "item"
    assert len(body["trend"]) == 12
    bad = api.get("/api/v1/kpi/online/?period=yesterday")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_kpi_query"
    assert api.get("/api/v1/kpi/nope/").status_code == 404


def test_target_set_only_by_admin(client, data):
    from bianmin.kpi.models import KpiTarget

    client.force_login(StaffFactory(supervisor=True))
    client.post("/workbench/kpi/targets/", {"figure": "online", "year": 2026, "value": "90"})
    assert not KpiTarget.objects.exists()
    client.force_login(StaffFactory(platform_admin=True))
    client.post("/workbench/kpi/targets/", {"figure": "online", "year": 2026, "value": "90"})
    t = KpiTarget.objects.get()
    assert (t.figure, t.year, str(t.value)) == ("online", 2026, "0.9000")


def test_district_case_figure_lists_its_cases_per_department(client, data):
    client.force_login(StaffFactory(supervisor=True))
    resp = client.get(f"/workbench/kpi/{Figure.ON_TIME}/?period=2026")
    body = resp.content.decode()
    assert resp.status_code == 200 and 'id="kpi-rows-by-department"' in body
    assert data.case.number not in body
    (part,) = resp.context["parts"]
    assert (part["label"], part["numerator"], part["denominator"]) == ("区甲局", 1, 1)
    resp = client.get(f"/workbench/kpi/{Figure.ON_TIME}/?period=2026&department={data.a.pk}")
    assert data.case.number in resp.content.decode()
    resp = client.get(f"/workbench/kpi/{Figure.ON_TIME}/export.xlsx?period=2026")
    wb = load_workbook(io.BytesIO(resp.content))
    assert "明细" not in wb.sheetnames and wb.sheetnames[-1] == "部门"
    resp = client.get(f"/workbench/kpi/{Figure.ON_TIME}/export.xlsx?period=2026&department={data.a.pk}")
    assert load_workbook(io.BytesIO(resp.content)).sheetnames[-1] == "明细"


def test_scope_takes_a_four_digit_department_id_that_is_no_short_code():
    from bianmin.kpi.selectors import parse_scope

    dept = DepartmentFactory(pk=1234, name="区丙局", short_code="8765")
    assert parse_scope({"department": "1234"}).department_id == dept.pk
    assert parse_scope({"department": "8765"}).department_id == dept.pk
    with pytest.raises(NotFound):
        parse_scope({"department": "4321"})


def test_every_figure_and_target_is_in_the_openapi_schema_with_translatable_summaries(client):
    import yaml
    from django.utils import translation

    schema = yaml.safe_load(client.get("/api/schema/").content)
    paths = schema["paths"]
    assert {"/api/v1/kpi/", "/api/v1/kpi/{figure}/", "/api/v1/kpi/targets/"} <= set(paths)
    figure_param = next(
        p for p in paths["/api/v1/kpi/{figure}/"]["get"]["parameters"] if p["name"] == "figure"
    )
    assert set(figure_param["schema"]["enum"]) == set(Figure.values)
    listed = schema["components"]["schemas"]["KpiFigureOutput"]["properties"]
    assert {"numerator", "denominator", "value", "live", "pending", "as_of", "target"} <= set(listed)
    english = yaml.safe_load(client.get("/api/schema/?lang=en").content)["paths"]
    with translation.override("en"):
        expected = translation.gettext("全部效能指标（分子、分母、值、目标）")
    assert english["/api/v1/kpi/"]["get"]["summary"] == expected
    assert paths["/api/v1/kpi/"]["get"]["summary"] == "全部效能指标（分子、分母、值、目标）"
