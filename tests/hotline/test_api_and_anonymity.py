"""The request API (success and refusal for every action) and the anonymity of 举报人 towards the department."""

from __future__ import annotations

import pytest

from bianmin.hotline import services
from bianmin.hotline.constants import RequestState

pytestmark = pytest.mark.django_db

REPORT = "本人张三（身份证440507199001011234，电话13812345678）举报某餐馆使用过期食材。"


def test_create_and_follow_a_complaint_through_the_api(desk, api):
    citizen, operator, reviewer = api(desk.citizen), api(desk.operator), api(desk.market_reviewer)
    response = citizen.post(
        "/api/v1/service-requests/",
        {"kind": "complaint", "content": "餐馆卫生差，餐具不消毒。"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    again = citizen.post(
        "/api/v1/service-requests/",
        {"kind": "complaint", "content": "餐馆卫生差，餐具不消毒。"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert again.json()["number"] == number
    assert response.json()["suggested_department"] == desk.market.name
    # refusal: the citizen cannot dispatch; the department cannot see it before dispatch
    assert (
        citizen.post(
            f"/api/v1/service-requests/{number}/dispatch/", {"department": desk.market.pk}
        ).status_code
        == 403
    )
    assert reviewer.get(f"/api/v1/service-requests/{number}/").status_code == 404
    response = operator.post(
        f"/api/v1/service-requests/{number}/dispatch/", {"department": desk.market.pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == RequestState.DISPATCHED
    assert (
        api(desk.city_reviewer)
        .post(f"/api/v1/service-requests/{number}/answer/", {"answer": "已处理完毕。"})
        .status_code
        == 404
    )
    response = reviewer.post(
        f"/api/v1/service-requests/{number}/answer/", {"answer": "已现场检查并责令整改。"}, format="json"
    )
    assert response.status_code == 200 and response.json()["requester_name"] == "张三"
    assert (
        reviewer.post(f"/api/v1/service-requests/{number}/answer/", {"answer": "再答复一次"}).status_code
        == 409
    )
    assert api(desk.other_citizen).post(f"/api/v1/service-requests/{number}/confirm/", {}).status_code == 404
    response = citizen.post(
        f"/api/v1/service-requests/{number}/confirm/", {"is_satisfied": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == RequestState.CLOSED
    kinds = [e["kind"] for e in response.json()["events"]]
    assert kinds == ["created", "dispatched", "answered", "confirmed"]


def test_return_callback_and_review_actions(desk, api):
    obj = services.request_create(acting_user=desk.citizen, kind="help", content="小区电梯坏了一周没人修。")
    services.request_dispatch(request=obj, acting_user=desk.operator, department=desk.city)
    path = f"/api/v1/service-requests/{obj.number}"
    assert api(desk.city_reviewer).post(f"{path}/return/", {}, format="json").status_code == 400
    assert (
        api(desk.city_reviewer).post(f"{path}/return/", {"reason": "属住建职责"}, format="json").status_code
        == 200
    )
    api(desk.operator).post(
        f"{path}/dispatch/", {"department": desk.market.pk, "reason": "改派"}, format="json"
    )
    api(desk.market_reviewer).post(f"{path}/answer/", {"answer": "已联系物业维修。"}, format="json")
    assert api(desk.supervisor).post(f"{path}/review/", {}, format="json").status_code == 409  # not anonymous
    response = api(desk.operator).post(
        f"{path}/callback/", {"note": "回访满意", "is_satisfied": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["close_reason"] == "callback"


def test_list_is_scoped_and_costs_a_constant_number_of_queries(desk, api, django_assert_max_num_queries):
    for n in range(5):
        obj = services.request_create(
            acting_user=desk.citizen, kind="consultation", content=f"第{n}个关于社保卡的问题？"
        )
        services.request_dispatch(request=obj, acting_user=desk.operator, department=desk.market)
    services.request_create(acting_user=desk.other_citizen, kind="consultation", content="另一个人的问题内容")
    with django_assert_max_num_queries(8):
        response = api(desk.operator).get("/api/v1/service-requests/")
    assert response.json()["count"] == 6
    assert api(desk.market_reviewer).get("/api/v1/service-requests/").json()["count"] == 5
    assert api(desk.city_reviewer).get("/api/v1/service-requests/").json()["count"] == 0
    assert api(desk.other_citizen).get("/api/v1/service-requests/").json()["count"] == 1


def test_department_never_sees_a_reporters_identity(desk, api, client):
    named = services.request_create(acting_user=desk.citizen, kind="report", content=REPORT)
    anonymous = services.request_create(acting_user=None, kind="report", is_anonymous=True, content=REPORT)
    for obj in (named, anonymous):
        services.request_dispatch(request=obj, acting_user=desk.operator, department=desk.market)
    detail = api(desk.market_reviewer).get(f"/api/v1/service-requests/{named.number}/").json()
    assert detail["requester_name"] is None and detail["requester_mobile"] is None
    assert "13812345678" not in detail["content"] and "440507199001011234" not in detail["content"]
    # the desk and the reporter see who it is
    assert (
        api(desk.operator).get(f"/api/v1/service-requests/{named.number}/").json()["requester_name"] == "张三"
    )
    assert (
        api(desk.citizen).get(f"/api/v1/service-requests/{named.number}/").json()["requester_mobile"]
        == desk.citizen.mobile
    )
    # nor on the workbench page
    client.force_login(desk.market_reviewer)
    page = client.get(f"/workbench/requests/{named.number}/").content.decode()
    assert (
        desk.citizen.mobile not in page and "13812345678" not in page and "举报人信息不向承办部门提供" in page
    )
    anonymous_page = client.get(f"/workbench/requests/{anonymous.number}/").content.decode()
    assert "匿名" in anonymous_page
    # an anonymous reporter gets the number only, and nobody can look the report up without a role
    response = api().post(
        "/api/v1/service-requests/",
        {"kind": "report", "is_anonymous": True, "content": REPORT},
        format="json",
    )
    assert response.status_code == 201 and set(response.json()) == {"number", "due_on"}
    assert api().get(f"/api/v1/service-requests/{response.json()['number']}/").status_code in (401, 403)
    assert api(desk.other_citizen).get(f"/api/v1/service-requests/{named.number}/").status_code == 404


def test_pages_for_citizen_and_staff(desk, client):
    client.force_login(desk.citizen)
    response = client.post(
        "/requests/new/",
        {"kind": "complaint", "title": "投诉", "content": "窗口人员态度很差，让我跑了三次。"},
    )
    assert response.status_code == 302
    obj = desk.citizen.service_requests.get()
    assert obj.number in client.get("/my/requests/").content.decode()
    client.force_login(desk.operator)
    assert obj.number in client.get("/workbench/requests/").content.decode()
    client.post(f"/workbench/requests/{obj.number}/", {"action": "dispatch", "department": desk.market.pk})
    obj.refresh_from_db()
    assert obj.department == desk.market
    client.force_login(desk.market_reviewer)
    client.post(
        f"/workbench/requests/{obj.number}/", {"action": "answer", "answer": "已批评教育该工作人员。"}
    )
    obj.refresh_from_db()
    assert obj.state == RequestState.ANSWERED
    client.force_login(desk.citizen)
    client.post(f"/my/requests/{obj.number}/", {"is_satisfied": "1"})
    obj.refresh_from_db()
    assert obj.state == RequestState.CLOSED
    client.force_login(desk.other_citizen)
    assert client.get(f"/my/requests/{obj.number}/").status_code == 404


def test_what_the_department_reads_of_a_report_carries_no_trace_of_the_reporter(desk, api, client):
    """Title (cut from the text), timeline notes from the reporter's side and the callback note."""
    from bianmin.audit.models import AuditEntry
    from bianmin.hotline.models import RequestEvent

    named = services.request_create(acting_user=desk.citizen, kind="report", content=REPORT)
    assert "440507199001011234" not in named.title  # a listed title never carries a number
    assert "张三" not in named.title and "13812345678"[:3] + "****" not in named.title
    services.request_dispatch(request=named, acting_user=desk.operator, department=desk.market)
    named = services.request_answer(
        request=named.__class__.objects.get(pk=named.pk),
        acting_user=desk.market_reviewer,
        answer="已检查该餐馆并责令整改。",
    )
    services.request_callback_record(
        request=named, acting_user=desk.operator, note="已回访张三（13812345678），表示满意"
    )
    reviewer = api(desk.market_reviewer)
    detail = reviewer.get(f"/api/v1/service-requests/{named.number}/").json()
    listed = reviewer.get("/api/v1/service-requests/").json()["results"]
    text = str(detail) + str(listed)
    assert "张三" not in text and "13812345678" not in text and "440507199001011234" not in text
    assert [e["note"] for e in detail["events"] if e["kind"] == "callback"] == [""]
    client.force_login(desk.market_reviewer)
    for url in (f"/workbench/requests/{named.number}/", "/workbench/requests/?tab=all"):
        page = client.get(url).content.decode()
        assert "张三" not in page and "13812345678" not in page and "440507199001011234" not in page, url
    # the desk still reads all of it
    desk_detail = api(desk.operator).get(f"/api/v1/service-requests/{named.number}/").json()
    assert "张三" in desk_detail["content"] and any("张三" in e["note"] for e in desk_detail["events"])

    # an anonymous report filed by someone signed in keeps no trace of them in its timeline or audit
    anonymous = services.request_create(
        acting_user=desk.other_citizen, kind="report", is_anonymous=True, content=REPORT
    )
    assert anonymous.requester_id is None
    assert RequestEvent.objects.get(request=anonymous).actor_id is None
    entry = AuditEntry.objects.filter(action="hotline.request_create", object_id=str(anonymous.pk)).get()
    assert entry.actor_id is None


def test_the_desk_enters_a_phone_request_with_its_category(desk, client):
    from bianmin.hotline.models import RequestCategory, ServiceRequest

    RequestCategory.objects.create(code="noise", name="噪音扰民", group="城市管理", department=desk.city)
    client.force_login(desk.operator)
    page = client.get("/workbench/requests/new/").content.decode()
    assert 'name="category"' in page and "噪音扰民" in page
    response = client.post(
        "/workbench/requests/new/",
        {
            "kind": "complaint",
            "category": "noise",
            "requester_name": "王五",
            "requester_mobile": "13912345678",
            "content": "小区旁工地夜里十二点还在打桩，噪音很大。",
        },
    )
    obj = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/workbench/requests/{obj.number}/")
    assert (obj.channel, obj.category.code, obj.entered_by, obj.suggested_department) == (
        "phone",
        "noise",
        desk.operator,
        desk.city,
    )
    client.force_login(desk.citizen)
    assert client.get("/workbench/requests/new/").status_code in (302, 403)
