"""Open311 GeoReport v2 compliance: the calls a client makes, in JSON and XML, including the errors.

Spec: http://wiki.open311.org/GeoReport_v2/ (services, service definition, POST requests, GET request(s)).
"""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from bianmin.hotline import services
from bianmin.hotline.models import RequestCategory, ServiceRequest

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
def open311(desk):
    RequestCategory.objects.create(
        code="noise", name="噪音扰民", group="城市管理", department=desk.city, keywords="噪音"
    )
    RequestCategory.objects.create(
        code="food-safety", name="食品安全", group="市场监管", department=desk.market
    )
    RequestCategory.objects.create(code="report", name="违法举报", default_kind="report", is_public=False)
    _, raw = services.api_key_create(acting_user=desk.operator, name="城市App")
    return raw


def parse(response, fmt):
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        return json.loads(response.content)
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    return root


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_discovery_and_definition(open311, fmt):
    client = Client()
    response = client.get(f"{BASE}/services.{fmt}")
    assert response.status_code == 200
    body = parse(response, fmt)
    if fmt == "json":
        assert {s["service_code"] for s in body} == {
            "noise",
            "food-safety",
        }  # the 举报 category is never listed
        assert set(body[0]) == {
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        }
        assert all(s["metadata"] is False and s["type"] == "realtime" for s in body)
    else:
        assert body.tag == "services"
        codes = {s.findtext("service_code") for s in body.findall("service")}
        assert codes == {"noise", "food-safety"}  # the 举报 category is never listed
    response = client.get(f"{BASE}/services/noise.{fmt}")
    assert response.status_code == 200
    definition = parse(response, fmt)
    if fmt == "json":
        assert definition == {"service_code": "noise", "attributes": []}
    else:
        assert definition.tag == "service_definition" and definition.findtext("service_code") == "noise"
    missing = client.get(f"{BASE}/services/report.{fmt}")
    assert missing.status_code == 404
    error = parse(missing, fmt)
    if fmt == "json":
        assert error == [{"code": 404, "description": "service_code not found"}]
    else:
        assert error.tag == "errors" and error.find("error").findtext("code") == "404"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_a_request_then_look_it_up_and_list_it(open311, desk, fmt):
    client = Client()
    data = {
        "service_code": "noise",
        "lat": "23.372100",
        "long": "116.708300",
        "address_string": "金霞街道金新路28号",
        "description": "夜里工地施工噪音很大，联系我13812345678。",
        "first_name": "三",
        "last_name": "张",
        "phone": "13812345678",
        "email": "zhang@example.com",
    }
    refused = client.post(f"{BASE}/requests.{fmt}", data)
    assert refused.status_code == 403
    if fmt == "json":
        assert parse(refused, fmt) == [{"code": 403, "description": "api_key missing or invalid"}]
    assert client.post(f"{BASE}/requests.{fmt}", {**data, "api_key": "wrong"}).status_code == 403
    no_location = {k: v for k, v in data.items() if k not in ("lat", "long", "address_string")}
    assert client.post(f"{BASE}/requests.{fmt}", {**no_location, "api_key": open311}).status_code == 400
    assert (
        client.post(
            f"{BASE}/requests.{fmt}", {**data, "service_code": "nope", "api_key": open311}
        ).status_code
        == 404
    )
    response = client.post(f"{BASE}/requests.{fmt}", {**data, "api_key": open311})
    assert response.status_code == 201
    body = parse(response, fmt)
    number = (
        body[0]["service_request_id"]
        if fmt == "json"
        else body.find("request").findtext("service_request_id")
    )
    obj = ServiceRequest.objects.get(number=number)
    assert (obj.channel, obj.category.code, obj.requester_name, obj.requester_mobile) == (
        "api",
        "noise",
        "张三",
        "13812345678",
    )
    assert obj.suggested_department == desk.city

    response = client.get(f"{BASE}/requests/{number}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        [row] = parse(response, fmt)
        assert set(row) == REQUEST_FIELDS
        assert row["status"] == "open" and row["service_code"] == "noise" and row["lat"] == 23.3721
        text = json.dumps(row, ensure_ascii=False)
    else:
        root = parse(response, fmt)
        assert root.tag == "service_requests"
        row = root.find("request")
        assert {child.tag for child in row} == REQUEST_FIELDS and row.findtext("status") == "open"
        text = response.content.decode()
    # no personal data: neither the name nor the phone number, even inside the description
    assert "13812345678" not in text and "张三" not in text and "zhang@example.com" not in text

    obj = services.request_dispatch(request=obj, acting_user=desk.operator, department=desk.city)
    obj = services.request_answer(
        request=obj, acting_user=desk.city_reviewer, answer="已责令工地停止夜间施工。"
    )
    services.request_callback_record(request=obj, acting_user=desk.operator, note="回访满意")
    closed = client.get(f"{BASE}/requests.{fmt}", {"status": "closed", "service_code": "noise"})
    assert closed.status_code == 200
    ids = (
        [r["service_request_id"] for r in parse(closed, fmt)]
        if fmt == "json"
        else [r.findtext("service_request_id") for r in parse(closed, fmt).findall("request")]
    )
    assert ids == [number]
    assert client.get(f"{BASE}/requests.{fmt}", {"status": "open"}).status_code == 200
    assert client.get(f"{BASE}/requests.{fmt}", {"status": "maybe"}).status_code == 400
    assert client.get(f"{BASE}/requests.{fmt}", {"start_date": "yesterday"}).status_code == 400
    in_window = client.get(
        f"{BASE}/requests.{fmt}",
        {"start_date": "2026-03-01T00:00:00+08:00", "end_date": "2026-03-03T00:00:00+08:00"},
    )
    assert number in in_window.content.decode()
    before = client.get(f"{BASE}/requests.{fmt}", {"end_date": "2026-02-01T00:00:00+08:00"})
    assert number not in before.content.decode()
    assert client.get(f"{BASE}/requests/{number}.{fmt}").status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_reports_are_never_in_the_public_lists(open311, desk, fmt):
    report = services.request_create(
        acting_user=desk.citizen, kind="report", content="举报某单位违规收费，数额较大。"
    )
    public = services.request_create(
        acting_user=desk.citizen, kind="consultation", content="请问营业执照怎么办理？"
    )
    client = Client()
    listing = client.get(f"{BASE}/requests.{fmt}").content.decode()
    assert public.number in listing and report.number not in listing
    assert client.get(f"{BASE}/requests/{report.number}.{fmt}").status_code == 404
    assert desk.citizen.mobile not in listing and "张三" not in listing


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_every_refusal_is_an_open311_error_list_with_its_status(open311, desk, fmt):
    client = Client()
    good = {
        "api_key": open311,
        "service_code": "noise",
        "address_string": "金霞街道金新路28号",
        "description": "夜里工地施工噪音很大，请处理。",
    }
    calls = [
        (403, "post", "/requests", {k: v for k, v in good.items() if k != "api_key"}),
        (403, "post", "/requests", {**good, "api_key": "not-a-key"}),
        (400, "post", "/requests", {k: v for k, v in good.items() if k != "service_code"}),
        (404, "post", "/requests", {**good, "service_code": "no-such-service"}),
        (400, "post", "/requests", {**good, "lat": "north", "long": "east"}),
        (400, "post", "/requests", {k: v for k, v in good.items() if k != "address_string"}),
        (400, "post", "/requests", {**good, "description": "吵"}),
        (404, "get", "/services/no-such-service", {}),
        (404, "get", "/requests/99999999999999", {}),
        (400, "get", "/requests", {"status": "pending"}),
        (400, "get", "/requests", {"end_date": "tomorrow"}),
    ]
    for status, method, path, params in calls:
        response = getattr(client, method)(f"{BASE}{path}.{fmt}", params)
        assert response.status_code == status, (path, params, response.content)
        errors = _errors(response, fmt)
        assert errors and all(code == status and description for code, description in errors), errors
    assert not ServiceRequest.objects.exists()  # nothing was half-written by a refused call


# ------------------------------------------------------------------------------------------------
# Service definitions with attributes (the seeded demo services), as a client reads and answers them
# ------------------------------------------------------------------------------------------------


@pytest.fixture
def seeded(clock, db):
    """The demo district's departments and streets, and the request desk's seeded services."""
    from bianmin.hotline import seed as hotline_seed
    from bianmin.organisations import seed as organisations_seed
    from tests.factories import StaffFactory

    organisations_seed.seed(today=MONDAY_DATE)
    hotline_seed.seed(today=MONDAY_DATE)
    operator = StaffFactory(hotline_operator=True)
    _, raw = services.api_key_create(acting_user=operator, name="城市App")
    return raw


MONDAY_DATE = __import__("datetime").date(2026, 3, 2)
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
}


def _definition(client, code, fmt):
    response = client.get(f"{BASE}/services/{code}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        return response.json()["attributes"]
    root = ET.fromstring(response.content)
    assert root.tag == "service_definition" and root.findtext("service_code") == code
    rows = []
    for node in root.find("attributes").findall("attribute"):
        row = {child.tag: child.text for child in node if child.tag != "values"}
        row["variable"] = row["variable"] == "true"
        row["required"] = row["required"] == "true"
        row["order"] = int(row["order"])
        values = node.find("values")
        if values is not None:
            row["values"] = [{"key": v.findtext("key"), "name": v.findtext("name")} for v in values]
        rows.append(row)
    return rows


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_definitions_carry_typed_attributes(seeded, fmt):
    client = Client()
    services_list = client.get(f"{BASE}/services.{fmt}")
    if fmt == "json":
        rows = {s["service_code"]: s for s in services_list.json()}
        assert rows["noise"]["metadata"] is True and rows["report"]["metadata"] is True
    else:
        rows = {
            s.findtext("service_code"): s.findtext("metadata")
            for s in ET.fromstring(services_list.content).findall("service")
        }
        assert rows["noise"] == "true"
    noise = _definition(client, "noise", fmt)
    assert [a["order"] for a in noise] == sorted(a["order"] for a in noise)
    assert all(ATTRIBUTE_FIELDS <= set(a) for a in noise)
    by_code = {a["code"]: a for a in noise}
    source = by_code["SOURCE"]
    assert (
        source["datatype"] == "singlevaluelist" and source["required"] is True and source["variable"] is True
    )
    assert {"key": "construction", "name": "建筑施工"} in source["values"]
    street = by_code["STREET"]
    assert {"key": "440507001000", "name": "金霞街道"} in street["values"]  # live from the region tree
    report = {a["code"]: a for a in _definition(client, "report", fmt)}
    assert report["NOTICE"]["variable"] is False and report["NOTICE"]["required"] is False
    assert {v["key"] for v in report["ANONYMOUS"]["values"]} == {"true", "false"}
    departments = {v["name"] for v in report["DEPARTMENT"]["values"]}
    assert "汕头市龙湖区市场监督管理局" in departments
    complaint = {a["code"]: a for a in _definition(client, "service-complaint", fmt)}
    assert complaint["ISSUE"]["datatype"] == "multivaluelist"
    assert complaint["OCCURRED_AT"]["datatype"] == "datetime"


def _short_code(short_name):
    from bianmin.organisations.models import Department

    return Department.objects.get(short_name=short_name).short_code


def _errors(response, fmt):
    if fmt == "json":
        return [(e["code"], e["description"]) for e in response.json()]
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    return [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_attributes_are_checked_on_create_with_open311_errors(seeded, fmt):
    client = Client()
    base = {
        "api_key": seeded,
        "service_code": "noise",
        "address_string": "金霞街道金新路28号",
        "description": "楼下工地每天深夜还在施工，吵得无法入睡。",
    }
    missing = client.post(f"{BASE}/requests.{fmt}", base)
    assert missing.status_code == 400
    errors = _errors(missing, fmt)
    assert {code for code, _ in errors} == {400}
    assert any(d.startswith("attribute[SOURCE]") for _, d in errors)
    assert any(d.startswith("attribute[STREET]") for _, d in errors)
    wrong = client.post(
        f"{BASE}/requests.{fmt}",
        {**base, "attribute[SOURCE]": "aliens", "attribute[STREET]": "440507001000"},
    )
    assert wrong.status_code == 400
    [(code, description)] = _errors(wrong, fmt)
    assert code == 400 and description.startswith("attribute[SOURCE]") and "construction" in description
    assert not ServiceRequest.objects.exists()

    ok = client.post(
        f"{BASE}/requests.{fmt}",
        {
            **base,
            "attribute[SOURCE]": "construction",
            "attribute[WHEN]": "night",
            "attribute[STREET]": "440507001000",
            "attribute[UNKNOWN]": "ignored",
        },
    )
    assert ok.status_code == 201
    obj = ServiceRequest.objects.get()
    assert obj.attributes == {"SOURCE": "construction", "WHEN": "night", "STREET": "440507001000"}

    # a multivaluelist answered with attribute[CODE][]; a place is not needed for a hall complaint
    complaint = client.post(
        f"{BASE}/requests.{fmt}",
        {
            "api_key": seeded,
            "service_code": "service-complaint",
            "description": "窗口让我来回跑了三次才办完。",
            "attribute[ISSUE][]": ["efficiency", "repeat_visits"],
            "attribute[OCCURRED_AT]": "2026-02-27T10:30:00+08:00",
            "attribute[DEPARTMENT]": _short_code("区市监局"),
        },
    )
    assert complaint.status_code == 201, complaint.content
    filed = ServiceRequest.objects.get(category__code="service-complaint")
    assert filed.attributes["ISSUE"] == ["efficiency", "repeat_visits"]
    # the client's department suggestion wins over the category's default (区政数局); the desk decides
    assert filed.suggested_department.short_name == "区市监局" and filed.department is None
    bad_date = client.post(
        f"{BASE}/requests.{fmt}",
        {
            "api_key": seeded,
            "service_code": "service-complaint",
            "description": "窗口让我来回跑了三次才办完。",
            "attribute[ISSUE][]": ["efficiency"],
            "attribute[OCCURRED_AT]": "last tuesday",
        },
    )
    assert bad_date.status_code == 400
    assert _errors(bad_date, fmt)[0][1].startswith("attribute[OCCURRED_AT]")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_anonymous_report_through_open311_keeps_no_identity_and_is_never_listed(seeded, fmt):
    client = Client()
    response = client.post(
        f"{BASE}/requests.{fmt}",
        {
            "api_key": seeded,
            "service_code": "report",
            "description": "某单位工作人员办事索要好处费。",
            "attribute[ANONYMOUS]": "true",
            "attribute[SUBJECT]": "某单位",
            "first_name": "三",
            "last_name": "张",
            "phone": "13812345678",
            "email": "zhang@example.com",
        },
    )
    assert response.status_code == 201, response.content
    obj = ServiceRequest.objects.get()
    assert (obj.kind, obj.is_anonymous, obj.requester_name, obj.requester_mobile) == ("report", True, "", "")
    assert client.get(f"{BASE}/requests/{obj.number}.{fmt}").status_code == 404
    assert obj.number not in client.get(f"{BASE}/requests.{fmt}").content.decode()
    named = client.post(
        f"{BASE}/requests.{fmt}",
        {
            "api_key": seeded,
            "service_code": "report",
            "description": "某单位工作人员办事索要好处费。",
            "attribute[ANONYMOUS]": "false",
            "attribute[SUBJECT]": "某单位",
            "first_name": "三",
            "last_name": "张",
            "phone": "13812345678",
        },
    )
    assert named.status_code == 201
    kept = ServiceRequest.objects.exclude(pk=obj.pk).get()
    assert (kept.is_anonymous, kept.requester_name) == (False, "张三")
    assert kept.hides_identity_from_department


def test_keys_are_made_and_revoked_with_the_command(open311):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("open311_keys", "create", "街道App", stdout=out)
    raw = out.getvalue().splitlines()[0].split(": ", 1)[1]
    client = Client()
    data = {"service_code": "noise", "address_string": "金霞街道", "description": "夜间施工噪音很大。"}
    assert client.post(f"{BASE}/requests.json", {**data, "api_key": raw}).status_code == 201
    listing = StringIO()
    call_command("open311_keys", "list", stdout=listing)
    assert "街道App" in listing.getvalue() and raw not in listing.getvalue()
    call_command("open311_keys", "revoke", raw[:8], stdout=StringIO())
    assert client.post(f"{BASE}/requests.json", {**data, "api_key": raw}).status_code == 403


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_open_lists_blot_the_requesters_name_and_withhold_a_call_for_help(open311, desk, fmt):
    named = services.request_create(
        acting_user=desk.citizen,
        kind="complaint",
        content="我是张三，金新路夜市摊贩占道经营，堵住消防通道。",
        address="金新路夜市",
    )
    help_request = services.request_create(
        acting_user=desk.citizen,
        kind="help",
        content="家中老人卧床，生活困难，请社区上门帮助。",
        address="金霞街道某小区3栋502",
    )
    client = Client()
    body = client.get(f"{BASE}/requests.{fmt}").content.decode()
    assert named.number in body and help_request.number in body  # a client can still follow both
    assert "张三" not in body and "金新路夜市摊贩占道经营" in body
    assert "3栋502" not in body and "老人卧床" not in body
