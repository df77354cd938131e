"""Workbench pages: window intake, intake decisions, work queue, staff case page actions, overdue list."""

from __future__ import annotations

import datetime as dt

import pytest

from bianmin.cases.constants import CaseState
from bianmin.cases.models import Case
from tests.cases import helpers
from tests.cases.conftest import BEIJING, build_world, pdf
from tests.factories import make_id_card

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def test_window_intake_creates_a_window_case_for_the_applicant(client, world):
    _as(client, world.clerk)
    page = client.get("/workbench/intake/", {"q": world.version.name[:4]})
    assert page.status_code == 200 and world.item.code in page.content.decode()
    bad = client.post(
        "/workbench/intake/",
        {"item": world.item.code, "kind": "person", "name": "王五", "id_no": "123", "idempotency_key": "w1"},
    )
    assert "身份证号码不正确" in bad.content.decode() and not Case.objects.exists()
    response = client.post(
        "/workbench/intake/",
        {
            "item": world.item.code,
            "kind": "person",
            "name": "王五",
            "id_no": make_id_card(11),
            "mobile": "13800001111",
            "agent_name": "赵六",
            "agent_id_no": make_id_card(12),
            "idempotency_key": "w1",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/apply/draft/{case.pk}/"
    assert case.channel == "window" and case.hall_id == world.hall.pk and case.agent_name == "赵六"
    page = client.get(f"/apply/draft/{case.pk}/materials/").content.decode()
    assert "窗口收件" in page and "授权委托书" in page
    # the power of attorney as an extra material
    client.post(
        f"/apply/draft/{case.pk}/materials/",
        {"name": "授权委托书", "expected_version": case.version, "file": pdf("poa.pdf")},
    )
    assert case.materials.filter(name="授权委托书", material__isnull=True).exists()


def test_citizen_cannot_use_staff_pages(client, world):
    case = helpers.submitted(world)
    _as(client, world.citizen)
    assert client.get("/workbench/cases/").status_code == 403
    assert client.get("/workbench/intake/").status_code == 403
    assert client.get(f"/workbench/cases/{case.number}/").status_code == 403
    assert client.post(f"/workbench/cases/{case.number}/act/accept/", {}).status_code == 403


def test_staff_of_another_department_gets_404(client, world):
    case = helpers.submitted(world)
    _as(client, world.stranger_reviewer)
    assert client.get(f"/workbench/cases/{case.number}/").status_code == 404


def test_tolerant_acceptance_from_the_case_page(client, world):
    case = helpers.submitted(world, with_place=False)
    _as(client, world.clerk)
    page = client.get(f"/workbench/cases/{case.number}/").content.decode()
    assert "容缺受理" in page and "不予受理" in page and "一次性告知补正" in page
    assert "办结决定" not in page  # only the actions the table allows are shown
    # standard acceptance with a tolerated material missing is refused, shown, nothing changes
    refused = client.post(
        f"/workbench/cases/{case.number}/act/accept/",
        {"expected_version": case.version, "mode": "standard"},
        follow=True,
    )
    assert "alert-error" in refused.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    client.post(
        f"/workbench/cases/{case.number}/act/accept/",
        {
            "expected_version": case.version,
            "mode": "tolerant",
            "missing_material": [world.place_material.pk],
            "missing_due_on": ["2026-03-20"],
        },
    )
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED and case.acceptance_mode == "tolerant" and case.deadline_on


def test_request_correction_lists_every_problem(client, world):
    case = helpers.submitted(world)
    _as(client, world.clerk)
    client.post(
        f"/workbench/cases/{case.number}/act/request_correction/",
        {
            "expected_version": case.version,
            "problem_material": [world.id_material.pk, world.place_material.pk, ""],
            "problem_note": ["身份证复印件模糊", "", "请补签申请表"],
        },
    )
    case.refresh_from_db()
    assert case.state == CaseState.AWAITING_CORRECTION
    assert [n["note"] for n in case.correction_notes] == ["身份证复印件模糊", "请补签申请表"]


def test_review_and_conclude_by_head_and_pickup(client):
    import time_machine

    from tests.cases.conftest import MONDAY

    with time_machine.travel(MONDAY, tick=False):
        w = build_world(joint=True)
        case = helpers.in_review(w)
        tasks = list(case.tasks.all())
        assert len(tasks) == 2
        # the partner department sees only its own task and records its opinion
        _as(client, w.partner_reviewer)
        page = client.get(f"/workbench/cases/{case.number}/").content.decode()
        assert "提交审查意见" in page and "办结决定" not in page
        partner_task = next(t for t in tasks if t.department_id == w.partner.pk)
        client.post(
            f"/workbench/cases/{case.number}/act/review/",
            {"expected_version": case.version, "task": partner_task.pk, "opinion": "消防审查合格"},
        )
        case.refresh_from_db()
        lead_task = next(t for t in tasks if t.department_id == w.lead.pk)
        _as(client, w.reviewer)
        client.post(
            f"/workbench/cases/{case.number}/act/review/",
            {"expected_version": case.version, "task": lead_task.pk, "opinion": "符合条件"},
        )
        case.refresh_from_db()
        # a reviewer does not see the head's decision; the head does
        assert "办结决定" not in client.get(f"/workbench/cases/{case.number}/").content.decode()
        _as(client, w.head)
        assert "办结决定" in client.get(f"/workbench/cases/{case.number}/").content.decode()
        client.post(
            f"/workbench/cases/{case.number}/act/conclude/",
            {"expected_version": case.version, "decision": "approved", "reasons": "符合条件"},
        )
        case.refresh_from_db()
        assert case.state == CaseState.CONCLUDED
        _as(client, w.clerk)
        client.post(
            f"/workbench/cases/{case.number}/act/deliver/",
            {"expected_version": case.version, "channel": "pickup", "recipient": "张三"},
        )
        case.refresh_from_db()
        assert case.state == CaseState.DELIVERED and case.delivery_recipient == "张三"
        assert client.get(f"/workbench/cases/{case.number}/notices/delivery_receipt.pdf").status_code == 200


def test_work_queue_sorted_by_urgency_with_pinned_queries(
    client, world, clock, django_assert_max_num_queries
):
    first = helpers.in_review(world)
    clock.move_to(dt.datetime(2026, 3, 4, 10, 0, tzinfo=BEIJING))
    later = [helpers.accepted(world) for _ in range(4)]
    _as(client, world.reviewer)
    with django_assert_max_num_queries(14):
        response = client.get("/workbench/cases/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(first.number) < body.index(later[0].number)
    assert "badge-ok" in body and world.version.name[:20] in body
    filtered = client.get("/workbench/cases/", {"state": "in_review"}).content.decode()
    assert first.number in filtered and later[0].number not in filtered


def test_overdue_list_for_supervisor_only(client, world, clock):
    case = helpers.accepted(world)
    clock.move_to(dt.datetime(2026, 6, 1, 10, 0, tzinfo=BEIJING))
    _as(client, world.supervisor)
    body = client.get("/workbench/cases/overdue/").content.decode()
    assert case.number in body and "badge-overdue" in body
    _as(client, world.reviewer)
    page = client.get(f"/workbench/cases/{case.number}/").content.decode()
    assert "剩 -" not in page and "超期 " in page  # an overdue clock reads 超期 N, never a negative remainder
    _as(client, world.clerk)
    assert client.get("/workbench/cases/overdue/").status_code == 403


def test_material_download_only_for_those_who_see_the_case(client, world):
    case = helpers.submitted(world)
    row = case.materials.exclude(file="").first()
    _as(client, world.clerk)
    response = client.get(f"/cases/{case.number}/materials/{row.pk}/file/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    _as(client, world.other_citizen)
    assert client.get(f"/cases/{case.number}/materials/{row.pk}/file/").status_code == 404


def test_head_manages_instant_authorisations_on_a_page(client, world):
    from bianmin.cases.models import InstantAuthorisation

    _as(client, world.reviewer)
    assert client.get("/workbench/instant-authorisations/").status_code == 403
    _as(client, world.head)
    page = client.get("/workbench/instant-authorisations/").content.decode()
    assert "即办授权" in page and world.lead.name in page and "尚无授权" in page
    # someone who is not a window clerk cannot be chosen
    client.post(
        "/workbench/instant-authorisations/", {"department": world.lead.pk, "clerk": world.reviewer.pk}
    )
    assert not InstantAuthorisation.objects.exists()
    client.post("/workbench/instant-authorisations/", {"department": world.lead.pk, "clerk": world.clerk.pk})
    row = InstantAuthorisation.objects.get()
    assert (row.department, row.clerk, row.is_active, row.granted_by) == (
        world.lead,
        world.clerk,
        True,
        world.head,
    )
    # another department is not the head's to authorise for
    client.post(
        "/workbench/instant-authorisations/", {"department": world.partner.pk, "clerk": world.clerk.pk}
    )
    assert InstantAuthorisation.objects.count() == 1
    client.post(
        "/workbench/instant-authorisations/",
        {"department": world.lead.pk, "clerk": world.clerk.pk, "active": "0"},
    )
    row.refresh_from_db()
    assert row.is_active is False
    assert "已撤销" in client.get("/workbench/instant-authorisations/").content.decode()


def test_window_intake_for_an_enterprise_by_uscc(client, world):
    _as(client, world.clerk)
    base = {"item": world.item.code, "kind": "enterprise", "name": "汕头市测试餐饮有限公司"}
    bad = client.post("/workbench/intake/", {**base, "id_no": "91440507MA4W0D0E1X", "idempotency_key": "e1"})
    assert "统一社会信用代码" in bad.content.decode() and not Case.objects.exists()
    response = client.post(
        "/workbench/intake/", {**base, "id_no": "91440507MA4W0D0E1H", "idempotency_key": "e1"}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.applicant_kind == "enterprise" and case.applicant_name == "汕头市测试餐饮有限公司"
    assert case.channel == "window" and case.hall_id == world.hall.pk and not case.agent_name
    # the same form posted twice (a double click) makes one draft
    client.post("/workbench/intake/", {**base, "id_no": "91440507MA4W0D0E1H", "idempotency_key": "e1"})
    assert Case.objects.count() == 1


def test_lead_reviewer_done_first_is_told_which_department_the_case_waits_for(client):
    import time_machine

    from tests.cases.conftest import MONDAY

    with time_machine.travel(MONDAY, tick=False):
        w = build_world(joint=True)
        case = helpers.in_review(w)
        tasks = {t.department_id: t for t in case.tasks.all()}
        _as(client, w.reviewer)
        client.post(
            f"/workbench/cases/{case.number}/act/review/",
            {"expected_version": case.version, "task": tasks[w.lead.pk].pk, "opinion": "符合条件"},
        )
        page = client.get(f"/workbench/cases/{case.number}/").content.decode()
        assert f"等待以下部门完成审查：{w.partner.name}" in page
        case.refresh_from_db()
        _as(client, w.partner_reviewer)
        client.post(
            f"/workbench/cases/{case.number}/act/review/",
            {"expected_version": case.version, "task": tasks[w.partner.pk].pk, "opinion": "消防审查合格"},
        )
        _as(client, w.reviewer)
        assert "等待以下部门完成审查" not in client.get(f"/workbench/cases/{case.number}/").content.decode()
