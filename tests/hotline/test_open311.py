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
