"""好差评: invitations from finished services, one rating plus one follow-up, rectification of bad ratings with
deadlines and callbacks, the appeal path, and the public figures without personal data."""

from __future__ import annotations

import datetime as dt

import pytest

from bianmin.appointments.registries import ServiceFinished, publish_service_finished
from bianmin.evaluation import selectors, services
from bianmin.evaluation.constants import AppealState, Outcome, RectificationState
from bianmin.evaluation.exceptions import (
    AlreadyRated,
    EvaluationForbidden,
    EvaluationInvalid,
    EvaluationNotFound,
    RectificationStateError,
)
from bianmin.evaluation.models import Evaluation, EvaluationInvitation, Rectification
from bianmin.hotline import services as hotline
from bianmin.notifications.senders import MemorySmsSender
from bianmin.workdays.services import add
from tests.factories import HallFactory, StaffFactory
from tests.hotline.conftest import at

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _memory_sms(settings):
    settings.SMS_SENDER = "bianmin.notifications.senders.MemorySmsSender"


def closed_request(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        obj = hotline.request_create(
            acting_user=desk.citizen, kind="complaint", content="窗口人员态度差，让我多跑了两次。"
        )
        obj = hotline.request_dispatch(request=obj, acting_user=desk.operator, department=desk.market)
        obj = hotline.request_answer(
            request=obj, acting_user=desk.market_reviewer, answer="已批评教育，向您致歉。"
        )
        obj = hotline.request_confirm(request=obj, acting_user=desk.citizen)
    return obj


@pytest.fixture
def invitation(desk, django_capture_on_commit_callbacks):
    obj = closed_request(desk, django_capture_on_commit_callbacks)
    return EvaluationInvitation.objects.get(service_request=obj)


def test_a_closed_request_invites_its_requester_by_sms(desk, invitation):
    assert (invitation.person, invitation.department, invitation.subject) == (
        desk.citizen,
        desk.market,
        "request",
    )
    assert invitation.token in MemorySmsSender.outbox[-1]["text"]
    assert MemorySmsSender.outbox[-1]["mobile"] == desk.citizen.mobile
    # the hotline page links to the rating
    from django.test import Client

    client = Client()
    client.force_login(desk.citizen)
    page = client.get(f"/my/requests/{invitation.service_request.number}/").content.decode()
    assert f"/rate/{invitation.token}/" in page


def test_an_anonymous_request_invites_nobody(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        obj = hotline.request_create(
            acting_user=None, kind="report", is_anonymous=True, content="举报某工地夜间施工扰民。"
        )
        obj = hotline.request_dispatch(request=obj, acting_user=desk.operator, department=desk.city)
        obj = hotline.request_answer(request=obj, acting_user=desk.city_reviewer, answer="已查处并责令整改。")
        hotline.request_review_close(request=obj, acting_user=desk.supervisor)
    assert not EvaluationInvitation.objects.exists()


def test_one_rating_plus_one_follow_up_and_nobody_else(desk, invitation):
    with pytest.raises(EvaluationForbidden):
        services.evaluation_submit(invitation=invitation, acting_user=desk.other_citizen, level=5)
    with pytest.raises(EvaluationInvalid):
        services.evaluation_submit(invitation=invitation, acting_user=desk.citizen, level=9)
    with pytest.raises(EvaluationInvalid):
        services.evaluation_submit(
            invitation=invitation, acting_user=desk.citizen, level=5, tags=["平台操作性", "乱写"]
        )
    first = services.evaluation_submit(
        invitation=invitation, acting_user=desk.citizen, level=4, tags=["办事效率"], channel="mobile"
    )
    follow_up = services.evaluation_submit(
        invitation=invitation, acting_user=desk.citizen, level=5, comment="后来很快解决了"
    )
    assert (first.is_follow_up, follow_up.is_follow_up) == (False, True)
    with pytest.raises(AlreadyRated):
        services.evaluation_submit(invitation=invitation, acting_user=desk.citizen, level=1, comment="再评")
    first.refresh_from_db()
    assert (first.level, first.tags, first.channel) == (4, ["办事效率"], "mobile")  # never edited
    assert Evaluation.objects.count() == 2


def test_the_token_alone_rates_on_a_hall_tablet(desk, invitation, client):
    page = client.get(f"/rate/{invitation.token}/?channel=hall_tablet")
    assert page.status_code == 200 and "整体满意度" in page.content.decode()
    client.post(
        f"/rate/{invitation.token}/?channel=hall_tablet",
        {"level": "5", "tags": ["整体满意度"], "channel": "hall_tablet"},
    )
    evaluation = Evaluation.objects.get()
    assert (evaluation.level, evaluation.channel, evaluation.rater) == (5, "hall_tablet", None)
    assert client.get("/rate/not-a-token/").status_code == 404


def test_a_bad_rating_opens_a_rectification_with_deadlines(
    desk, invitation, clock, django_capture_on_commit_callbacks
):
    clock.move_to(at(dt.date(2026, 3, 6)))  # Friday
    with pytest.raises(EvaluationInvalid):
        services.evaluation_submit(
            invitation=invitation, acting_user=desk.citizen, level=2
        )  # a reason is needed
    with django_capture_on_commit_callbacks(execute=True):
        bad = services.evaluation_submit(
            invitation=invitation, acting_user=desk.citizen, level=2, comment="答复敷衍"
        )
    rectification = bad.rectification
    assert rectification.department == desk.market and rectification.state == RectificationState.OPEN
    assert rectification.callback_due_on == add(dt.date(2026, 3, 6), 1) == dt.date(2026, 3, 9)
    assert rectification.due_on == add(dt.date(2026, 3, 6), 15)
    assert MemorySmsSender.outbox[-1]["mobile"] == desk.market_head.mobile
    # a follow-up that is bad again does not open a second one while the first is open
    services.evaluation_submit(invitation=invitation, acting_user=desk.citizen, level=1, comment="还是没解决")
    assert Rectification.objects.count() == 1
    # overdue flag past the deadline
    assert services.rectification_flag_overdue(today=add(dt.date(2026, 3, 6), 16)) == 1


def test_good_ratings_open_nothing(desk, invitation):
    services.evaluation_submit(invitation=invitation, acting_user=desk.citizen, level=3)
    assert not Rectification.objects.exists()


def test_rectification_path_verify_call_back_and_close(desk, invitation, api):
    bad = services.evaluation_submit(
        invitation=invitation, acting_user=desk.citizen, level=1, comment="态度差"
    )
    r = bad.rectification
    with pytest.raises(EvaluationNotFound):
        services.rectification_respond(
            rectification=r, acting_user=desk.city_reviewer, verification="x", measures="y"
        )
    path = f"/api/v1/rectifications/{r.pk}"
    assert api(desk.city_reviewer).get(f"{path}/").status_code == 404
    response = api(desk.market_reviewer).post(
        f"{path}/respond/",
        {"verification": "经核实属实", "measures": "对窗口人员批评教育并培训"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["state"] == RectificationState.RESPONDED
    # an identified rater is called back before the outcome is recorded
    assert (
        api(desk.market_head).post(f"{path}/complete/", {"outcome": "rectified"}, format="json").status_code
        == 409
    )
    assert (
        api(desk.operator)
        .post(f"{path}/callback/", {"note": "已电话回访，群众认可"}, format="json")
        .status_code
        == 200
    )
    response = api(desk.market_head).post(
        f"{path}/complete/", {"outcome": "rectified", "note": "整改完成"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == RectificationState.DONE
    assert (
        api(desk.market_head).post(f"{path}/complete/", {"outcome": "rectified"}, format="json").status_code
        == 409
    )
    totals = selectors.totals()
    assert (totals["bad"], totals["rectified"], totals["rectification_rate"]) == (1, 1, 1.0)


def test_appeal_path_excludes_an_upheld_rating_from_the_figures(desk, invitation, api):
    bad = services.evaluation_submit(
        invitation=invitation, acting_user=desk.citizen, level=1, comment="乱打差评"
    )
    assert selectors.totals()["bad"] == 1
    # only the department concerned appeals; only a supervisor decides
    assert (
        api(desk.city_reviewer)
        .post(f"/api/v1/evaluations/{bad.pk}/appeal/", {"reason": "恶意"}, format="json")
        .status_code
        == 404
    )
    response = api(desk.market_reviewer).post(
        f"/api/v1/evaluations/{bad.pk}/appeal/", {"reason": "评价人与办件无关，系恶意差评"}, format="json"
    )
    assert response.status_code == 201
    appeal_id = response.json()["id"]
    assert (
        api(desk.market_reviewer)
        .post(f"/api/v1/evaluations/{bad.pk}/appeal/", {"reason": "再申诉"}, format="json")
        .status_code
        == 409
    )
    assert (
        api(desk.market_head)
        .post(f"/api/v1/appeals/{appeal_id}/decide/", {"upheld": True, "note": "成立"}, format="json")
        .status_code
        == 404
    )
    response = api(desk.supervisor).post(
        f"/api/v1/appeals/{appeal_id}/decide/", {"upheld": True, "note": "经核查属恶意评价"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == AppealState.UPHELD
    bad.refresh_from_db()
    assert (bad.level, bad.comment) == (1, "乱打差评")  # the rating stays
    assert bad.rectification.outcome == Outcome.APPEAL_UPHELD
    assert selectors.totals()["total"] == 0  # but it no longer counts
    with pytest.raises(RectificationStateError):
        services.appeal_decide(appeal=bad.appeal, acting_user=desk.supervisor, upheld=False, note="改判")


def test_a_finished_window_service_invites_the_person_served(desk, django_capture_on_commit_callbacks):
    hall = HallFactory()
    publish_service_finished(
        ServiceFinished(
            ticket_id=4711,
            number="A012",
            hall_id=hall.pk,
            window_id=None,
            case_id=None,
            appointment_id=None,
            user_id=desk.citizen.pk,
            item_id=None,
            clerk_id=None,
        )
    )
    invitation = EvaluationInvitation.objects.get(ticket_id=4711)
    assert (invitation.subject, invitation.service_mode, invitation.hall, invitation.person) == (
        "window",
        "on_site",
        hall,
        desk.citizen,
    )
    assert "A012" in invitation.label
    publish_service_finished(  # idempotent per service
        ServiceFinished(4711, "A012", hall.pk, None, None, None, desk.citizen.pk, None, None)
    )
    assert EvaluationInvitation.objects.filter(ticket_id=4711).count() == 1


def test_public_figures_and_rectifications_show_no_personal_data(
    desk, invitation, client, api, django_assert_max_num_queries
):
    services.evaluation_submit(
        invitation=invitation, acting_user=desk.citizen, level=1, comment="张三我很生气13812345678"
    )
    response = api().get("/api/v1/ratings/figures/")
    assert response.status_code == 200
    data = response.json()
    assert data["departments"][0]["name"] == desk.market.name and data["departments"][0]["bad"] == 1
    with django_assert_max_num_queries(6):
        rows = api().get("/api/v1/ratings/rectifications/").json()["results"]
    assert set(rows[0]) == {
        "id",
        "opened_on",
        "due_on",
        "department",
        "item",
        "level_label",
        "state",
        "state_label",
        "outcome",
        "outcome_label",
        "measures",
    }
    page = client.get("/ratings/").content.decode()
    assert desk.market.name in page and "差评整改公示" in page
    for secret in ("13812345678", "张三", desk.citizen.mobile, "很生气"):
        assert secret not in page and secret not in response.content.decode()


def test_staff_workbench_pages(desk, invitation, client):
    bad = services.evaluation_submit(invitation=invitation, acting_user=desk.citizen, level=2, comment="慢")
    client.force_login(desk.market_reviewer)
    assert invitation.label in client.get("/workbench/ratings/").content.decode()
    client.post(
        f"/workbench/ratings/{bad.rectification.pk}/",
        {"action": "respond", "verification": "属实", "measures": "加派人手"},
    )
    bad.rectification.refresh_from_db()
    assert bad.rectification.state == RectificationState.RESPONDED
    client.force_login(StaffFactory(reviewer=True))
    assert client.get(f"/workbench/ratings/{bad.rectification.pk}/").status_code == 404


def test_a_reporters_rating_reaches_the_department_without_the_reporter(
    desk, api, client, django_capture_on_commit_callbacks
):
    """A 举报人 who rates the handling badly: the department rectifies, only the desk calls back, and the
    department reads the comment and the callback note without the reporter's name or number."""
    with django_capture_on_commit_callbacks(execute=True):
        obj = hotline.request_create(
            acting_user=desk.citizen, kind="report", content="本人张三，举报某餐馆使用过期食材，请尽快查处。"
        )
        obj = hotline.request_dispatch(request=obj, acting_user=desk.operator, department=desk.market)
        obj = hotline.request_answer(
            request=obj, acting_user=desk.market_reviewer, answer="已检查并责令整改。"
        )
        obj = hotline.request_confirm(request=obj, acting_user=desk.citizen, is_satisfied=False)
    invitation = EvaluationInvitation.objects.get(service_request=obj)
    bad = services.evaluation_submit(
        invitation=invitation,
        acting_user=desk.citizen,
        level=1,
        comment=f"我是张三，电话{desk.citizen.mobile}，餐馆还在用过期食材",
    )
    r = bad.rectification
    assert r.department == desk.market
    path = f"/api/v1/rectifications/{r.pk}"
    assert (
        api(desk.market_reviewer).post(f"{path}/callback/", {"note": "回访"}, format="json").status_code
        == 403
    )
    assert (
        api(desk.operator)
        .post(f"{path}/callback/", {"note": "已回访张三，仍不满意"}, format="json")
        .status_code
        == 200
    )
    seen = api(desk.market_reviewer).get(f"{path}/").json()
    text = str(seen) + str(api(desk.market_reviewer).get("/api/v1/evaluations/").json())
    assert "张三" not in text and desk.citizen.mobile not in text
    assert "过期食材" in seen["evaluation"]["comment"]  # the department still learns what is wrong
    assert seen["callback_note"] == ""
    client.force_login(desk.market_reviewer)
    page = client.get(f"/workbench/ratings/{r.pk}/").content.decode()
    assert "张三" not in page and desk.citizen.mobile not in page
    # the supervisor reads it all
    assert "张三" in api(desk.supervisor).get(f"{path}/").json()["evaluation"]["comment"]


def test_the_follow_up_has_its_window_and_no_face_edits_a_rating(desk, invitation, api, clock):
    first = services.evaluation_submit(invitation=invitation, acting_user=desk.citizen, level=4)
    clock.move_to(at(TODAY + dt.timedelta(days=31)))  # past the 30-day follow-up window
    with pytest.raises(AlreadyRated):
        services.evaluation_submit(invitation=invitation, acting_user=desk.citizen, level=5)
    # the API offers no way to change or remove a rating, and a third rating is a conflict
    client = api(desk.citizen)
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)("/api/v1/evaluations/", {"level": 1}, format="json").status_code == 405
    clock.move_to(at(TODAY + dt.timedelta(days=1)))
    submit = {"token": invitation.token, "level": 5, "channel": "mobile"}
    assert client.post("/api/v1/evaluations/", submit, format="json").status_code == 201  # the follow-up
    third = client.post("/api/v1/evaluations/", {**submit, "level": 1, "comment": "改评"}, format="json")
    assert third.status_code == 409 and third.json()["code"]
    first.refresh_from_db()
    assert first.level == 4 and Evaluation.objects.filter(invitation=invitation).count() == 2


def test_a_rejected_appeal_keeps_the_rating_counted_and_its_rectification_open(
    desk, invitation, django_capture_on_commit_callbacks
):
    from bianmin.notifications.models import Message

    bad = services.evaluation_submit(invitation=invitation, acting_user=desk.citizen, level=2, comment="太慢")
    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.appeal_file(
            evaluation=bad, acting_user=desk.market_head, reason="已按时办结，评价有误"
        )
    assert Message.objects.filter(recipient=desk.supervisor, title="差评申诉待复核").exists()
    with pytest.raises(EvaluationInvalid):  # a decision states its reasons
        services.appeal_decide(appeal=appeal, acting_user=desk.supervisor, upheld=False, note=" ")
    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.appeal_decide(
            appeal=appeal, acting_user=desk.supervisor, upheld=False, note="评价人确有多次往返，不属恶意"
        )
    assert appeal.state == AppealState.REJECTED
    bad.rectification.refresh_from_db()
    assert bad.rectification.state == RectificationState.OPEN and bad.rectification.outcome == ""
    assert selectors.totals()["bad"] == 1  # still counted
    message = Message.objects.get(recipient=desk.market_head, title="差评申诉复核结果")
    assert str(AppealState.REJECTED.label) in message.body
