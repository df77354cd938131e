"""诉求: creation and response limits, dispatch / return / re-dispatch, answer and the three ways to close, escalation."""

from __future__ import annotations

import datetime as dt

import pytest

from bianmin.audit.models import AuditEntry
from bianmin.hotline import services
from bianmin.hotline.constants import CloseReason, EventKind, RequestState
from bianmin.hotline.exceptions import RequestForbidden, RequestInvalid, RequestNotFound, RequestStateError
from bianmin.hotline.models import ServiceRequest
from bianmin.notifications.senders import MemorySmsSender
from bianmin.workdays.services import add
from tests.hotline.conftest import at

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _memory_sms(settings):
    settings.SMS_SENDER = "bianmin.notifications.senders.MemorySmsSender"


def complaint(desk, **kwargs):
    data = {
        "acting_user": desk.citizen,
        "kind": "complaint",
        "title": "小吃店卫生差",
        "content": "金新路一家小吃店后厨卫生很差，餐具不消毒，食品过期。",
    }
    data.update(kwargs)
    return services.request_create(**data)


def test_response_limit_in_working_days_by_kind(desk, settings):
    consultation = complaint(desk, kind="consultation", content="请问开奶茶店需要办什么证？")
    report = complaint(desk, kind="report")
    assert consultation.received_on == TODAY
    assert (consultation.limit_days, consultation.due_on) == (3, add(TODAY, 3)) == (3, dt.date(2026, 3, 5))
    assert (report.limit_days, report.due_on) == (15, add(TODAY, 15))
    settings.HOTLINE_RESPONSE_DAYS = {"complaint": 2}
    assert complaint(desk).due_on == add(TODAY, 2) == dt.date(2026, 3, 4)


def test_a_friday_request_is_due_after_the_weekend(desk, clock):
    clock.move_to(at(dt.date(2026, 3, 6)))  # Friday
    assert complaint(desk, kind="help", content="家里老人走失了，请帮忙寻找。").due_on == dt.date(2026, 3, 11)


def test_department_suggested_from_the_text(desk):
    assert complaint(desk).suggested_department == desk.market
    noisy = complaint(desk, content="楼下摊贩占道经营，晚上噪音很大，垃圾乱丢。")
    assert noisy.suggested_department == desk.city


def test_the_requester_is_told_the_number_and_the_due_date(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = complaint(desk)
    assert MemorySmsSender.outbox[-1]["mobile"] == desk.citizen.mobile
    assert request.number in MemorySmsSender.outbox[-1]["text"]


def test_only_a_report_may_be_anonymous_and_the_web_needs_a_name(desk):
    with pytest.raises(RequestInvalid):
        complaint(desk, is_anonymous=True)
    with pytest.raises(RequestForbidden):
        complaint(desk, acting_user=None)
    anonymous = complaint(desk, acting_user=None, kind="report", is_anonymous=True, requester_name="不该保存")
    assert (anonymous.requester_id, anonymous.requester_name, anonymous.requester_mobile) == (None, "", "")


def test_phone_requests_are_entered_by_the_desk_only(desk):
    with pytest.raises(RequestForbidden):
        complaint(desk, channel="phone", requester_name="王五")
    request = complaint(
        desk,
        acting_user=desk.operator,
        channel="phone",
        requester_name="王五",
        requester_mobile="13800138000",
    )
    assert (request.entered_by, request.requester, request.requester_name) == (desk.operator, None, "王五")


def test_dispatch_return_and_redispatch_once_with_reason(desk):
    request = complaint(desk)
    with pytest.raises(RequestForbidden):
        services.request_dispatch(request=request, acting_user=desk.market_reviewer, department=desk.market)
    request = services.request_dispatch(request=request, acting_user=desk.operator, department=desk.city)
    assert (request.state, request.department, request.dispatch_count) == (
        RequestState.DISPATCHED,
        desk.city,
        1,
    )
    # Another department can neither answer nor return it.
    with pytest.raises(RequestNotFound):
        services.request_answer(request=request, acting_user=desk.market_reviewer, answer="已处理完毕。")
    with pytest.raises(RequestInvalid):
        services.request_return(request=request, acting_user=desk.city_reviewer, reason=" ")
    request = services.request_return(
        request=request, acting_user=desk.city_reviewer, reason="属食品安全，非城管职责。"
    )
    assert (request.state, request.return_count) == (RequestState.RETURNED, 1)
    with pytest.raises(RequestInvalid):
        services.request_dispatch(request=request, acting_user=desk.operator, department=desk.market)
    request = services.request_dispatch(
        request=request, acting_user=desk.operator, department=desk.market, reason="城管退回，改派市监。"
    )
    assert (request.department, request.dispatch_count) == (desk.market, 2)
    with pytest.raises(RequestStateError):
        services.request_return(request=request, acting_user=desk.market_reviewer, reason="再退一次")
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.DISPATCHED, EventKind.RETURNED, EventKind.REDISPATCHED]
    assert (
        AuditEntry.objects.filter(action="hotline.request_dispatch", object_id=str(request.pk)).count() == 2
    )


def test_a_third_dispatch_is_refused(desk):
    request = complaint(desk)
    request = services.request_dispatch(request=request, acting_user=desk.operator, department=desk.city)
    request = services.request_return(request=request, acting_user=desk.city_reviewer, reason="不属本单位")
    request = services.request_dispatch(
        request=request, acting_user=desk.operator, department=desk.market, reason="改派"
    )
    ServiceRequest.objects.filter(pk=request.pk).update(state=RequestState.RETURNED)  # as if returned again
    request.refresh_from_db()
    with pytest.raises(RequestStateError):
        services.request_dispatch(
            request=request, acting_user=desk.operator, department=desk.city, reason="再改派"
        )


def test_a_stale_copy_cannot_act(desk):
    request = complaint(desk)
    stale = ServiceRequest.objects.get(pk=request.pk)
    services.request_dispatch(request=request, acting_user=desk.operator, department=desk.market)
    with pytest.raises(RequestStateError):
        services.request_dispatch(request=stale, acting_user=desk.operator, department=desk.city)


def dispatched(desk, **kwargs):
    return services.request_dispatch(
        request=complaint(desk, **kwargs), acting_user=desk.operator, department=desk.market
    )


def test_answer_then_the_requester_confirms(desk):
    request = dispatched(desk)
    with pytest.raises(RequestStateError):
        services.request_confirm(request=request, acting_user=desk.citizen)
    request = services.request_answer(
        request=request, acting_user=desk.market_reviewer, answer="已现场检查，责令整改。"
    )
    assert request.state == RequestState.ANSWERED
    with pytest.raises(RequestNotFound):
        services.request_confirm(request=request, acting_user=desk.other_citizen)
    request = services.request_confirm(request=request, acting_user=desk.citizen, is_satisfied=True)
    assert (request.state, request.close_reason, request.is_satisfied) == (
        RequestState.CLOSED,
        CloseReason.CONFIRMED,
        True,
    )


def test_or_the_desk_records_a_callback(desk):
    request = dispatched(desk)
    request = services.request_answer(
        request=request, acting_user=desk.market_reviewer, answer="已现场检查，责令整改。"
    )
    with pytest.raises(RequestInvalid):
        services.request_callback_record(request=request, acting_user=desk.operator, note="")
    request = services.request_callback_record(
        request=request, acting_user=desk.operator, note="电话回访，群众满意。", is_satisfied=True
    )
    assert (request.state, request.close_reason) == (RequestState.CLOSED, CloseReason.CALLBACK)


def test_an_anonymous_report_closes_after_a_supervisors_review(desk):
    request = services.request_create(
        acting_user=None, kind="report", is_anonymous=True, content="某工地夜间违规施工，噪音扰民严重。"
    )
    request = services.request_dispatch(request=request, acting_user=desk.operator, department=desk.city)
    request = services.request_answer(
        request=request, acting_user=desk.city_reviewer, answer="已查处，责令停止夜间施工。"
    )
    with pytest.raises(RequestStateError):
        services.request_callback_record(request=request, acting_user=desk.operator, note="无法回访")
    with pytest.raises(RequestForbidden):
        services.request_review_close(request=request, acting_user=desk.operator)
    request = services.request_review_close(request=request, acting_user=desk.supervisor, note="答复属实。")
    assert (request.state, request.close_reason) == (RequestState.CLOSED, CloseReason.REVIEWED)


def test_overdue_requests_escalate_to_supervisors_once(desk, clock):
    late = dispatched(desk, kind="consultation", content="请问社保卡怎么办理？")
    answered = dispatched(desk, kind="consultation", content="请问居住证怎么办理？")
    services.request_answer(request=answered, acting_user=desk.market_reviewer, answer="请带身份证到派出所。")
    assert services.request_escalate_overdue() == 0
    clock.move_to(at(add(TODAY, 3)))  # the due day itself is not late
    assert services.request_escalate_overdue() == 0
    clock.move_to(at(add(TODAY, 4)))
    MemorySmsSender.outbox.clear()
    assert services.request_escalate_overdue() == 1
    late.refresh_from_db()
    assert late.is_overdue and late.escalated_at is not None
    assert late.events.filter(kind=EventKind.ESCALATED).count() == 1
    assert [m["mobile"] for m in MemorySmsSender.outbox] == [desk.supervisor.mobile]
    assert late.number in MemorySmsSender.outbox[0]["text"]
    assert services.request_escalate_overdue() == 0  # flagged once


def test_the_desk_classifies_before_dispatch_and_the_limit_follows_the_type(desk, api, clock):
    from bianmin.hotline.models import RequestCategory

    noise = RequestCategory.objects.create(code="noise", name="噪音扰民", department=desk.city)
    obj = complaint(desk, kind="consultation", content="楼下工地每晚施工到凌晨，能不能管一管？")
    assert obj.limit_days == 3
    clock.move_to(at(dt.date(2026, 3, 4)))  # the limit still counts from the day it was received
    with pytest.raises(RequestForbidden):
        services.request_classify(request=obj, acting_user=desk.market_reviewer, kind="complaint")
    obj = services.request_classify(request=obj, acting_user=desk.operator, kind="complaint", category=noise)
    assert (obj.kind, obj.category, obj.limit_days, obj.due_on) == ("complaint", noise, 5, add(TODAY, 5))
    assert obj.suggested_department == desk.city
    assert obj.events.filter(kind=EventKind.CLASSIFIED).count() == 1
    assert AuditEntry.objects.filter(action="hotline.request_classify").count() == 1
    # a 举报 stays a 举报 (its reporter was promised the department would not learn who they are)
    report = complaint(desk, kind="report")
    response = api(desk.operator).post(
        f"/api/v1/service-requests/{report.number}/classify/", {"kind": "complaint"}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "request_invalid"
    response = api(desk.operator).post(
        f"/api/v1/service-requests/{report.number}/classify/",
        {"kind": "report", "category": "noise"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["category"] == "noise"
    assert (
        api(desk.citizen)
        .post(f"/api/v1/service-requests/{report.number}/classify/", {"kind": "report"}, format="json")
        .status_code
        == 403
    )
    # once dispatched the classification is settled
    services.request_dispatch(request=obj, acting_user=desk.operator, department=desk.city)
    with pytest.raises(RequestStateError):
        services.request_classify(
            request=obj.__class__.objects.get(pk=obj.pk), acting_user=desk.operator, kind="help"
        )


def test_a_request_filed_under_a_report_category_is_a_report(desk):
    from bianmin.hotline.models import RequestCategory

    report = RequestCategory.objects.create(code="report", name="违法举报", default_kind="report")
    obj = complaint(desk, kind="complaint", category=report)
    assert obj.kind == "report" and obj.hides_identity_from_department


def test_a_returned_request_tells_the_desk(desk, django_capture_on_commit_callbacks):
    from bianmin.notifications.models import Message

    request = services.request_dispatch(
        request=complaint(desk), acting_user=desk.operator, department=desk.city
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.request_return(request=request, acting_user=desk.city_reviewer, reason="非本单位职责。")
    message = Message.objects.get(recipient=desk.operator, title="诉求被退回待重新分办")
    assert (
        request.number in message.body and "非本单位职责" in message.body and desk.city.name in message.body
    )
    assert message.link.endswith(f"{request.number}/")
    assert not Message.objects.filter(recipient=desk.city_reviewer, title="诉求被退回待重新分办").exists()
