"""Requests tell their requester (and only them) at each step; staff hear of dispatches, escalations, bad
ratings and appeals by number, never by the requester's name; a 举报人 stays unknown to the department."""

from __future__ import annotations

import datetime as dt

import pytest

from bianmin.evaluation import services as evaluation
from bianmin.evaluation.models import EvaluationInvitation
from bianmin.hotline import services as hotline
from bianmin.notifications.models import Message
from bianmin.notifications.senders import MemorySmsSender
from bianmin.workdays.services import add
from tests.hotline.conftest import at

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def _file(desk, **kwargs):
    data = {
        "acting_user": desk.citizen,
        "kind": "complaint",
        "title": "小吃店卫生差",
        "content": "金新路一家小吃店后厨卫生很差，餐具不消毒。",
    }
    data.update(kwargs)
    return hotline.request_create(**data)


def test_each_step_tells_the_requester(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = _file(desk)
        request = hotline.request_dispatch(request=request, acting_user=desk.operator, department=desk.market)
        request = hotline.request_answer(
            request=request, acting_user=desk.market_reviewer, answer="已责令整改。"
        )
        hotline.request_confirm(request=request, acting_user=desk.citizen)
    mine = list(Message.objects.filter(recipient=desk.citizen, category="request").order_by("id"))
    assert [m.title for m in mine] == [
        f"诉求已登记 · {request.number}",
        f"诉求已转办 · {request.number}",
        f"诉求已答复 · {request.number}",
    ]
    assert {m.link for m in mine} == {f"/my/requests/{request.number}/"}
    assert desk.market.name in mine[1].body
    # the closed request invites a rating, in the message centre as well as by SMS
    invite = Message.objects.get(recipient=desk.citizen, category="evaluation")
    assert invite.link.startswith("/rate/")
    # the department's reviewer is told of the dispatch, by number, with a link to the workbench
    staff = Message.objects.get(recipient=desk.market_reviewer)
    assert staff.title == "新诉求待办理" and staff.link == f"/workbench/requests/{request.number}/"
    assert request.number in staff.body and "张三" not in staff.body
    assert not Message.objects.filter(recipient__in=[desk.city_reviewer, desk.operator]).exists()


def test_a_report_never_names_its_reporter_to_the_department(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = _file(desk, kind="report", content="某餐馆使用地沟油，请查处。")
        hotline.request_dispatch(request=report, acting_user=desk.operator, department=desk.market)
    for message in Message.objects.exclude(recipient=desk.citizen):
        assert desk.citizen.full_name not in f"{message.title}{message.body}"
        assert desk.citizen.mobile not in f"{message.title}{message.body}"
    # the reporter's own messages go to the reporter only
    assert set(
        Message.objects.filter(category="request", target_ref=report.number).values_list(
            "recipient", flat=True
        )
    ) == {
        desk.citizen.pk,
        desk.market_reviewer.pk,
    }
    staff_sms = [m for m in MemorySmsSender.outbox if m["mobile"] == desk.market_reviewer.mobile]
    assert staff_sms and all(desk.citizen.full_name not in m["text"] for m in staff_sms)


def test_an_anonymous_report_tells_no_requester(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = _file(desk, kind="report", is_anonymous=True, content="某工地夜间违规施工。")
        hotline.request_dispatch(request=report, acting_user=desk.operator, department=desk.market)
    assert list(Message.objects.values_list("recipient", flat=True)) == [desk.market_reviewer.pk]
    assert [m["mobile"] for m in MemorySmsSender.outbox] == [desk.market_reviewer.mobile]


def test_a_phone_caller_without_an_account_gets_sms_only(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = _file(
            desk,
            acting_user=desk.operator,
            channel="phone",
            requester_name="王五",
            requester_mobile="13612345678",
        )
    assert not Message.objects.filter(target_ref=request.number).exists()
    assert MemorySmsSender.outbox[-1]["mobile"] == "13612345678"


def test_overdue_requests_reach_the_supervisors_message_centre(
    desk, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        late = _file(desk, kind="consultation", content="请问开奶茶店需要办什么证？")
    clock.move_to(at(add(TODAY, 4)))
    assert hotline.request_escalate_overdue() == 1
    message = Message.objects.get(recipient=desk.supervisor)
    assert message.title == "诉求超期督办" and late.number in message.body
    assert message.link == "/workbench/requests/?tab=overdue"


def _closed(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = _file(desk)
        request = hotline.request_dispatch(request=request, acting_user=desk.operator, department=desk.market)
        request = hotline.request_answer(
            request=request, acting_user=desk.market_reviewer, answer="已处理完毕。"
        )
        hotline.request_confirm(request=request, acting_user=desk.citizen)
    return EvaluationInvitation.objects.get(service_request=request)


def test_bad_rating_rectification_and_appeal_are_announced(desk, django_capture_on_commit_callbacks):
    invitation = _closed(desk, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        bad = evaluation.evaluation_submit(
            invitation=invitation, acting_user=desk.citizen, level=1, comment="太慢"
        )
    rectification = bad.rectification
    head = Message.objects.get(recipient=desk.market_head, category="evaluation")
    assert head.title == "差评待核实整改" and head.link == f"/workbench/ratings/{rectification.pk}/"
    assert "张三" not in head.body
    with django_capture_on_commit_callbacks(execute=True):
        appeal = evaluation.appeal_file(
            evaluation=bad, acting_user=desk.market_head, reason="评价与事实不符。"
        )
    assert Message.objects.get(recipient=desk.supervisor, category="evaluation").title == "差评申诉待复核"
    with django_capture_on_commit_callbacks(execute=True):
        evaluation.appeal_decide(appeal=appeal, acting_user=desk.supervisor, upheld=False, note="评价属实。")
    decided = Message.objects.filter(recipient=desk.market_head, category="evaluation").latest("id")
    assert decided.title == "差评申诉复核结果" and "申诉不成立" in decided.body


def test_the_rater_hears_the_outcome_of_the_rectification(desk, django_capture_on_commit_callbacks):
    invitation = _closed(desk, django_capture_on_commit_callbacks)
    bad = evaluation.evaluation_submit(
        invitation=invitation, acting_user=desk.citizen, level=1, comment="态度差"
    )
    r = evaluation.rectification_respond(
        rectification=bad.rectification,
        acting_user=desk.market_reviewer,
        verification="属实",
        measures="培训",
    )
    r = evaluation.rectification_callback(rectification=r, acting_user=desk.operator, note="已回访")
    with django_capture_on_commit_callbacks(execute=True):
        evaluation.rectification_complete(rectification=r, acting_user=desk.market_head, outcome="rectified")
    outcome = Message.objects.filter(recipient=desk.citizen, category="evaluation").latest("id")
    assert outcome.title == "评价整改结果" and invitation.label in outcome.body
