"""Every action of the transition table through the API: success, wrong role (403), foreign case (404),
wrong state (409), and a stale version (409). Given/when/then in each test."""

from __future__ import annotations

import pytest

from bianmin.audit.models import AuditEntry
from bianmin.cases import services
from bianmin.cases.constants import CaseState
from bianmin.cases.models import Case, CaseEvent, ReviewTask
from tests.cases import helpers
from tests.cases.conftest import build_world, pdf

pytestmark = pytest.mark.django_db


def url(case, action: str = "") -> str:
    base = f"/api/v1/cases/{case.reference}/"
    return f"{base}{action}/" if action else base


def events(case) -> list[str]:
    return list(CaseEvent.objects.filter(case_id=case.pk).order_by("at", "pk").values_list("kind", flat=True))


# --- applying ----------------------------------------------------------------------------------------


def test_citizen_applies_online_draft_materials_submit(world, api):
    client = api(world.citizen)
    # given a draft created through the API
    response = client.post(
        "/api/v1/cases/", {"item": world.item.code, "form_data": helpers.FORM}, format="json"
    )
    assert response.status_code == 201, response.data
    body = response.data
    assert body["number"] is None and body["state"] == "draft" and body["channel"] == "online"
    assert body["applicant_name"] == "张三" and "*" in body["applicant_id_masked"]
    ref = body["id"]
    # when the materials are given (a file, a commitment) and it is submitted
    for material, payload in (
        (world.id_material, {"file": pdf()}),
        (world.place_material, {"file": pdf("place.pdf")}),
    ):
        response = client.post(
            f"/api/v1/cases/{ref}/materials/", {"material": material.pk, **payload}, format="multipart"
        )
        assert response.status_code == 200, response.data
    response = client.post(
        f"/api/v1/cases/{ref}/materials/",
        {"material": world.certificate_material.pk, "commitment_text": "本人承诺无犯罪记录。"},
        format="json",
    )
    assert response.status_code == 200, response.data
    kinds = sorted(m["kind"] for m in response.data["materials"])
    assert kinds == ["commitment", "upload", "upload"]
    response = client.post(f"/api/v1/cases/{ref}/submit/", {}, format="json")
    # then it has a number of 23 digits: district + date + department code + serial
    assert response.status_code == 200, response.data
    number = response.data["number"]
    assert number == f"44050720260302{world.lead.short_code}00001"
    assert response.data["state"] == "submitted" and response.data["intake_due_on"] == "2026-03-09"
    assert response.data["allowed_actions"] == ["withdraw"]
    assert events(Case.objects.get(pk=ref)) == ["save_draft", "material", "material", "material", "submit"]
    assert AuditEntry.objects.filter(action="cases.submit", object_id=ref).count() == 1
    # the detail is reachable by number, and a second case of the same department gets the next serial
    assert client.get(f"/api/v1/cases/{number}/").data["id"] == ref
    second = helpers.submitted(world, user=world.other_citizen)
    assert second.number == f"44050720260302{world.lead.short_code}00002"


def test_submit_refused_without_required_material_and_form_field(world, api):
    client = api(world.citizen)
    case = services.case_save_draft(acting_user=world.citizen, item=world.item, form_data={"shop_name": "店"})
    response = client.post(url(case, "submit"), {}, format="json")
    assert response.status_code == 400
    assert response.data["code"] == "case_invalid" and "id_no" in response.data["fields"]
    case = helpers.draft(world, user=world.other_citizen)
    case.materials.filter(material=world.id_material).delete()
    response = api(world.other_citizen).post(url(case, "submit"), {}, format="json")
    assert response.status_code == 400 and response.data["code"] == "materials_missing"
    assert response.data["fields"]["materials"] == ["申请人身份证明"]
    assert Case.objects.get(pk=case.pk).number is None


def test_draft_is_invisible_to_others_and_staff(world, api):
    case = helpers.draft(world)
    for user in (world.other_citizen, world.clerk, world.reviewer, world.supervisor):
        assert api(user).get(url(case)).status_code == 404
        assert api(user).post(url(case, "submit"), {}, format="json").status_code == 404
    assert api(world.citizen).get(url(case)).status_code == 200


def test_enterprise_member_applies_for_the_enterprise(world, api):
    member = world.company_member
    response = api(member).post(
        "/api/v1/cases/",
        {"item": world.item.code, "form_data": helpers.FORM, "enterprise": world.enterprise.pk},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["applicant_kind"] == "enterprise"
    assert response.data["enterprise"] == world.enterprise.name
    # someone else cannot act for that enterprise
    response = api(world.citizen).post(
        "/api/v1/cases/",
        {"item": world.item.code, "enterprise": world.enterprise.pk},
        format="json",
    )
    assert response.status_code == 403


def test_clerk_takes_an_application_at_the_window_with_an_agent(world, api):
    client = api(world.clerk)
    response = client.post(
        "/api/v1/cases/",
        {
            "item": world.item.code,
            "form_data": helpers.FORM,
            "applicant": {
                "kind": "person",
                "name": "张三",
                "id_no": world.citizen.id_card_no,
                "mobile": "13900001234",
            },
            "agent": {"name": "王五", "id_no": helpers.make_id_card(99)},
            "hall": world.hall.pk,
            "window": world.window.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    ref = response.data["id"]
    assert response.data["channel"] == "window" and response.data["agent_name"] == "王五"
    case = Case.objects.get(pk=ref)
    assert case.applicant == world.citizen  # linked by ID number
    for material in (world.id_material, world.place_material):
        services.case_material_add(case=case, acting_user=world.clerk, material=material, upload=pdf())
    services.case_material_add(
        case=case, acting_user=world.clerk, material=world.certificate_material, commitment_text="承诺。"
    )
    # 代办 without the power of attorney is refused
    refused = client.post(f"/api/v1/cases/{ref}/submit/", {}, format="json")
    assert refused.status_code == 400 and "授权委托书" in str(refused.data)
    services.case_material_add(case=case, acting_user=world.clerk, name="授权委托书", upload=pdf("poa.pdf"))
    response = client.post(f"/api/v1/cases/{ref}/submit/", {}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["visits_count"] == 1
    trust = {m["name"]: m["trust_level"] for m in response.data["materials"]}
    assert trust["申请人身份证明"] == "B" and trust["无犯罪记录证明"] == "D" and trust["授权委托书"] == "B"
    # the citizen sees the case made for them at the window
    assert api(world.citizen).get(f"/api/v1/cases/{response.data['number']}/").status_code == 200
    # a clerk cannot take an application at another hall
    response = client.post(
        "/api/v1/cases/",
        {
            "item": world.item.code,
            "applicant": {"name": "张三", "id_no": world.citizen.id_card_no},
            "hall": world.other_hall.pk,
        },
        format="json",
    )
    assert response.status_code == 403


def test_reviewer_cannot_create_cases(world, api):
    response = api(world.reviewer).post("/api/v1/cases/", {"item": world.item.code}, format="json")
    assert response.status_code == 403


# --- intake ------------------------------------------------------------------------------------------


def test_request_correction_then_resubmit(world, api):
    case = helpers.submitted(world)
    # refusals: the applicant (403), a stranger (404), an empty notice (400)
    assert (
        api(world.citizen).post(url(case, "request_correction"), {"problems": []}, format="json").status_code
        == 403
    )
    assert (
        api(world.other_citizen).post(url(case, "request_correction"), {}, format="json").status_code == 404
    )
    response = api(world.clerk).post(url(case, "request_correction"), {"problems": []}, format="json")
    assert response.status_code == 400
    # success: one notice listing every problem
    problems = [
        {"material": world.id_material.pk, "note": "身份证复印件不清晰"},
        {"material": world.place_material.pk, "note": "租赁合同已过期"},
    ]
    response = api(world.clerk).post(url(case, "request_correction"), {"problems": problems}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "awaiting_correction"
    assert [n["name"] for n in response.data["correction_notes"]] == ["申请人身份证明", "经营场所使用证明"]
    assert response.data["hall"] == world.hall.name  # the front desk that took it in
    # wrong state now
    response = api(world.clerk).post(url(case, "accept"), {}, format="json")
    assert response.status_code == 409 and response.data["code"] == "case_state_conflict"
    # the applicant replaces a material and resubmits
    client = api(world.citizen)
    response = client.post(
        url(case, "materials"), {"material": world.id_material.pk, "file": pdf("new.pdf")}, format="multipart"
    )
    assert response.status_code == 200, response.data
    response = client.post(url(case, "resubmit"), {}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "submitted" and response.data["correction_notes"] == []
    assert api(world.clerk).post(url(case, "resubmit"), {}, format="json").status_code == 409
    # 一次性告知: a second notice may not raise a problem the first one did not name ...
    later = [{"material": world.certificate_material.pk, "note": "承诺书未签名"}]
    response = api(world.clerk).post(url(case, "request_correction"), {"problems": later}, format="json")
    assert response.status_code == 400 and response.data["code"] == "not_one_time"
    assert "无犯罪记录证明" in str(response.data)
    # ... but may say that a notified material is still not right
    again = [{"material": world.place_material.pk, "note": "新合同仍未盖章"}]
    response = api(world.clerk).post(url(case, "request_correction"), {"problems": again}, format="json")
    assert response.status_code == 200 and response.data["state"] == "awaiting_correction"


def test_decline_needs_reason_and_legal_basis(world, api):
    case = helpers.submitted(world)
    client = api(world.clerk)
    assert client.post(url(case, "decline"), {"reason": "不属于本部门职权"}, format="json").status_code == 400
    assert (
        api(world.reviewer)
        .post(url(case, "decline"), {"reason": "x", "legal_basis": "y"}, format="json")
        .status_code
        == 403
    )
    response = client.post(
        url(case, "decline"),
        {"reason": "不属于本部门职权范围", "legal_basis": "《行政许可法》第三十二条"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["state"] == "declined" and response.data["decline_legal_basis"].startswith(
        "《行政许可法》"
    )
    assert (
        client.post(url(case, "decline"), {"reason": "x", "legal_basis": "y"}, format="json").status_code
        == 409
    )


def test_accept_standard_sets_the_deadline(world, api):
    case = helpers.submitted(world)
    assert api(world.citizen).post(url(case, "accept"), {}, format="json").status_code == 403
    response = api(world.clerk).post(url(case, "accept"), {"mode": "standard"}, format="json")
    assert response.status_code == 200, response.data
    body = response.data
    assert body["state"] == "accepted" and body["accepted_on"] == "2026-03-02"
    assert body["deadline_on"] == "2026-03-16"  # 10 working days after Monday 2 March
    assert body["clock"] == {
        "total_days": 10,
        "used_days": 0,
        "left_days": 10,
        "colour": "green",
        "deadline_on": "2026-03-16",
        "is_provisional": False,
        "is_suspended": False,
    }
    assert api(world.clerk).post(url(case, "accept"), {}, format="json").status_code == 409


def test_stale_version_is_refused(world, api):
    case = helpers.submitted(world)
    response = api(world.clerk).post(url(case, "accept"), {"version": case.version - 1}, format="json")
    assert response.status_code == 409 and response.data["code"] == "case_stale_version"
    assert Case.objects.get(pk=case.pk).state == CaseState.SUBMITTED
    response = api(world.clerk).post(url(case, "accept"), {"version": case.version}, format="json")
    assert response.status_code == 200


def test_accept_and_conclude_needs_an_instant_item_and_an_authorised_clerk(api, clock):
    w = build_world(handle_kind="1", promised_limit=0)
    case = helpers.submitted(w)
    # not authorised yet
    response = api(w.clerk).post(url(case, "accept_and_conclude"), {}, format="json")
    assert response.status_code == 403
    # a reviewer cannot authorise; the head can
    with pytest.raises(services.CasePermissionDenied):
        services.instant_authorisation_grant(department=w.lead, clerk=w.clerk, acting_user=w.reviewer)
    services.instant_authorisation_grant(department=w.lead, clerk=w.clerk, acting_user=w.head)
    response = api(w.clerk).post(url(case, "accept_and_conclude"), {"decision": "approved"}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "concluded" and response.data["decision"] == "approved"
    assert response.data["deadline_on"] == "2026-03-02" and response.data["accepted_on"] == "2026-03-02"
    assert api(w.clerk).post(url(case, "accept_and_conclude"), {}, format="json").status_code == 409


def test_head_grants_and_withdraws_instant_authorisation_through_the_api(api, clock):
    w = build_world(handle_kind="1", promised_limit=0)
    endpoint = "/api/v1/cases/instant-authorisations/"
    body = {"department": w.lead.pk, "clerk": w.clerk.pk}
    assert api(w.reviewer).post(endpoint, body, format="json").status_code == 403
    assert api(w.head).post(endpoint, {**body, "clerk": w.reviewer.pk}, format="json").status_code == 400
    response = api(w.head).post(endpoint, body, format="json")
    assert response.status_code == 200, response.data
    assert response.data["is_active"] is True and response.data["department"] == w.lead.pk
    listed = api(w.head).get(endpoint).data
    assert [(r["clerk"], r["is_active"]) for r in listed] == [(w.clerk.pk, True)]
    assert api(w.reviewer).get(endpoint).data == []  # not a head: manages none
    case = helpers.submitted(w)
    # withdrawn: the clerk may no longer conclude on the spot
    api(w.head).post(endpoint, {**body, "active": False}, format="json")
    assert api(w.clerk).post(url(case, "accept_and_conclude"), {}, format="json").status_code == 403
    api(w.head).post(endpoint, body, format="json")
    response = api(w.clerk).post(url(case, "accept_and_conclude"), {}, format="json")
    assert response.status_code == 200 and response.data["state"] == "concluded"


def test_accept_and_conclude_refused_for_a_promised_item(world, api):
    services.instant_authorisation_grant(department=world.lead, clerk=world.clerk, acting_user=world.head)
    case = helpers.submitted(world)
    response = api(world.clerk).post(url(case, "accept_and_conclude"), {}, format="json")
    assert response.status_code == 409
    assert Case.objects.get(pk=case.pk).state == CaseState.SUBMITTED


# --- back office -------------------------------------------------------------------------------------


def test_start_review_creates_lead_and_partner_tasks(api, clock):
    w = build_world(joint=True)
    case = helpers.accepted(w)
    assert api(w.clerk).post(url(case, "start_review"), {}, format="json").status_code == 403
    assert api(w.stranger_reviewer).post(url(case, "start_review"), {}, format="json").status_code == 404
    assert api(w.partner_reviewer).post(url(case, "start_review"), {}, format="json").status_code == 404
    response = api(w.reviewer).post(url(case, "start_review"), {}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["state"] == "in_review"
    assert sorted((t["department"], t["is_lead"]) for t in response.data["tasks"]) == [
        ("市场监管", True),
        ("消防", False),
    ]
    # the partner department now sees the case, but only its own task
    response = api(w.partner_reviewer).get(url(case))
    assert response.status_code == 200
    assert [t["department"] for t in response.data["tasks"]] == ["消防"]
    assert api(w.reviewer).post(url(case, "start_review"), {}, format="json").status_code == 409


def test_review_by_the_task_department_only(api, clock):
    w = build_world(joint=True)
    case = helpers.in_review(w)
    lead_task = ReviewTask.objects.get(case=case, is_lead=True)
    partner_task = ReviewTask.objects.get(case=case, is_lead=False)
    # the partner cannot answer the lead's task, the applicant cannot review at all
    response = api(w.partner_reviewer).post(
        url(case, "review"), {"task": lead_task.pk, "opinion": "同意"}, format="json"
    )
    assert response.status_code == 403
    assert (
        api(w.citizen)
        .post(url(case, "review"), {"task": partner_task.pk, "opinion": "同意"}, format="json")
        .status_code
        == 403
    )
    response = api(w.partner_reviewer).post(
        url(case, "review"),
        {"task": partner_task.pk, "opinion": "消防条件符合", "asks_return": False},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["tasks"] == [
        {**response.data["tasks"][0], "department": "消防", "state": "done", "opinion": "消防条件符合"}
    ]
    # done tasks cannot be answered twice
    response = api(w.partner_reviewer).post(
        url(case, "review"), {"task": partner_task.pk, "opinion": "再次"}, format="json"
    )
    assert response.status_code == 409


def test_conclude_waits_for_every_task_and_denial_states_remedies(api, clock):
    w = build_world(joint=True)
    case = helpers.in_review(w)
    lead_task = ReviewTask.objects.get(case=case, is_lead=True)
    partner_task = ReviewTask.objects.get(case=case, is_lead=False)
    services.case_review(case=case, acting_user=w.reviewer, task=lead_task, opinion="符合")
    # the partner has not answered yet
    response = api(w.head).post(url(case, "conclude"), {"decision": "approved"}, format="json")
    assert response.status_code == 409 and "消防" in response.data["detail"]
    services.case_review(
        case=case, acting_user=w.partner_reviewer, task=partner_task, opinion="不符合消防要求"
    )
    # only the lead head concludes
    assert (
        api(w.reviewer)
        .post(url(case, "conclude"), {"decision": "denied", "reasons": "x"}, format="json")
        .status_code
        == 403
    )
    assert api(w.head).post(url(case, "conclude"), {"decision": "denied"}, format="json").status_code == 400
    response = api(w.head).post(
        url(case, "conclude"), {"decision": "denied", "reasons": "消防条件不符合"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["state"] == "concluded" and response.data["decision"] == "denied"
    assert "60日" in response.data["remedies"] and "6个月" in response.data["remedies"]
    assert api(w.head).post(url(case, "conclude"), {"decision": "approved"}, format="json").status_code == 409


def test_return_to_applicant_suspend_resume(world, api):
    case = helpers.in_review(world)
    assert (
        api(world.citizen).post(url(case, "return_to_applicant"), {"reason": "x"}, format="json").status_code
        == 403
    )
    response = api(world.reviewer).post(
        url(case, "return_to_applicant"),
        {"reason": "请补充平面图", "requested_items": ["经营场所平面图"]},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["clock"]["is_suspended"] is True
    # a second suspension while suspended is a conflict; conclusion too
    response = api(world.reviewer).post(
        url(case, "suspend"), {"procedure": "hearing", "reason": "听证"}, format="json"
    )
    assert response.status_code == 409
    # the applicant supplements while returned
    response = api(world.citizen).post(
        url(case, "supplement"), {"name": "经营场所平面图", "file": pdf("plan.pdf")}, format="multipart"
    )
    assert response.status_code == 200, response.data
    response = api(world.reviewer).post(url(case, "resume"), {}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["clock"]["is_suspended"] is False
    assert api(world.reviewer).post(url(case, "resume"), {}, format="json").status_code == 409
    response = api(world.reviewer).post(
        url(case, "suspend"), {"procedure": "expert_review", "reason": "专家评审"}, format="json"
    )
    assert response.status_code == 200
    assert response.data["suspensions"][-1]["procedure"] == "expert_review"
    assert (
        api(world.reviewer)
        .post(url(case, "suspend"), {"procedure": "lottery", "reason": "x"}, format="json")
        .status_code
        == 400
    )


def test_extend_by_the_head_within_the_cap(world, api):
    case = helpers.in_review(world)
    assert (
        api(world.reviewer)
        .post(url(case, "extend"), {"days": 5, "reason": "情况复杂"}, format="json")
        .status_code
        == 403
    )
    response = api(world.head).post(url(case, "extend"), {"days": 11, "reason": "情况复杂"}, format="json")
    assert response.status_code == 400 and response.data["code"] == "extension_too_long"
    response = api(world.head).post(url(case, "extend"), {"days": 10, "reason": "情况复杂"}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["deadline_on"] == "2026-03-30" and response.data["extension_days"] == 10
    assert (
        api(world.head).post(url(case, "extend"), {"days": 1, "reason": "再延"}, format="json").status_code
        == 400
    )
    accepted = helpers.accepted(world, user=world.other_citizen)
    assert (
        api(world.head).post(url(accepted, "extend"), {"days": 1, "reason": "x"}, format="json").status_code
        == 409
    )


def test_joint_handling_may_extend_fifteen_days(api, clock):
    w = build_world(joint=True)
    case = helpers.in_review(w)
    response = api(w.head).post(url(case, "extend"), {"days": 15, "reason": "并联审批"}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["extension_days"] == 15


def test_deliver_pickup_post_and_electronic(world, api):
    pickup = helpers.concluded(world)
    assert (
        api(world.citizen)
        .post(url(pickup, "deliver"), {"channel": "pickup", "recipient": "张三"}, format="json")
        .status_code
        == 403
    )
    assert (
        api(world.clerk).post(url(pickup, "deliver"), {"channel": "pickup"}, format="json").status_code == 400
    )
    response = api(world.clerk).post(
        url(pickup, "deliver"), {"channel": "pickup", "recipient": "张三"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["state"] == "delivered" and response.data["delivery_hall"] == world.hall.name
    assert response.data["visits_count"] == 1
    assert (
        api(world.clerk)
        .post(url(pickup, "deliver"), {"channel": "pickup", "recipient": "张三"}, format="json")
        .status_code
        == 409
    )

    post = helpers.concluded(world, user=world.other_citizen)
    response = api(world.clerk).post(
        url(post, "deliver"), {"channel": "post", "address": "龙湖区长平路1号"}, format="json"
    )
    assert response.status_code == 400
    response = api(world.clerk).post(
        url(post, "deliver"),
        {"channel": "post", "address": "龙湖区长平路1号", "tracking_no": "SF1234567890"},
        format="json",
    )
    assert response.status_code == 200 and response.data["delivery_tracking_no"] == "SF1234567890"

    electronic = helpers.concluded(world, user=world.company_member, enterprise=world.enterprise)
    response = api(world.company_member).post(
        url(electronic, "deliver"), {"channel": "electronic"}, format="json"
    )
    assert response.status_code == 200 and response.data["delivery_channel"] == "electronic"
    assert response.data["visits_count"] == 0


def test_withdraw_by_the_applicant_only_before_conclusion(world, api):
    case = helpers.accepted(world)
    assert api(world.clerk).post(url(case, "withdraw"), {}, format="json").status_code == 403
    assert api(world.other_citizen).post(url(case, "withdraw"), {}, format="json").status_code == 404
    response = api(world.citizen).post(url(case, "withdraw"), {"reason": "不再需要"}, format="json")
    assert response.status_code == 200 and response.data["state"] == "withdrawn"
    done = helpers.concluded(world, user=world.other_citizen)
    assert api(world.other_citizen).post(url(done, "withdraw"), {}, format="json").status_code == 409


def test_void_by_the_lead_head_with_a_reason(world, api):
    case = helpers.in_review(world)
    assert (
        api(world.reviewer).post(url(case, "void"), {"reason": "重复申请"}, format="json").status_code == 403
    )
    assert (
        api(world.stranger_reviewer)
        .post(url(case, "void"), {"reason": "重复申请"}, format="json")
        .status_code
        == 404
    )
    assert api(world.head).post(url(case, "void"), {"reason": ""}, format="json").status_code == 400
    response = api(world.head).post(url(case, "void"), {"reason": "重复申请"}, format="json")
    assert response.status_code == 200 and response.data["state"] == "voided"
    assert AuditEntry.objects.filter(action="cases.void", object_id=str(case.pk)).count() == 1
    assert api(world.head).post(url(case, "void"), {"reason": "再次"}, format="json").status_code == 409


def test_supervisor_reads_but_cannot_act(world, api):
    case = helpers.accepted(world)
    assert api(world.supervisor).get(url(case)).status_code == 200
    assert api(world.supervisor).post(url(case, "start_review"), {}, format="json").status_code == 403
    assert api(world.supervisor).post(url(case, "void"), {"reason": "x"}, format="json").status_code == 403


def test_timeline_lists_every_event_in_order(world, api):
    case = helpers.concluded(world)
    response = api(world.citizen).get(url(case, "timeline"))
    assert response.status_code == 200
    kinds = [e["kind"] for e in response.data]
    # the applicant sees the meaningful steps: the draft was started, then submitted (no draft saves)
    assert kinds == ["save_draft", "submit", "accept", "start_review", "review", "conclude"]
    assert response.data[2]["kind_label"] == "受理"
    # staff see every event
    staff = [e["kind"] for e in api(world.reviewer).get(url(case, "timeline")).data]
    assert staff == [
        "save_draft",
        "material",
        "material",
        "material",
        "submit",
        "accept",
        "start_review",
        "review",
        "conclude",
    ]
    assert api(world.other_citizen).get(url(case, "timeline")).status_code == 404


def test_fee_is_paid_through_the_provider_before_delivery(api, clock):
    w = build_world(is_free=False, fees=[{"name": "工本费", "standard": "50元/件", "basis": "物价文件"}])
    case = helpers.in_review(w)
    services.case_review(case=case, acting_user=w.reviewer, task=case.tasks.get(), opinion="符合")
    # a free item cannot be charged; this one can, on approval
    response = api(w.head).post(
        url(case, "conclude"), {"decision": "approved", "fee_due": "50.00"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["fee_due"] == "50.00" and response.data["fee_paid_at"] is None
    response = api(w.citizen).post(url(case, "deliver"), {"channel": "electronic"}, format="json")
    assert response.status_code == 409
    assert api(w.reviewer).post(url(case, "pay"), {}, format="json").status_code == 403
    assert api(w.other_citizen).post(url(case, "pay"), {}, format="json").status_code == 404
    response = api(w.citizen).post(url(case, "pay"), {}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["fee_receipt_no"] == f"FAKE-{case.number}" and response.data["fee_paid_at"]
    assert api(w.citizen).post(url(case, "pay"), {}, format="json").status_code == 409
    response = api(w.citizen).post(url(case, "deliver"), {"channel": "electronic"}, format="json")
    assert response.status_code == 200
    assert "pay" in events(case)


def test_a_free_item_cannot_be_charged(world, api):
    case = helpers.in_review(world)
    services.case_review(case=case, acting_user=world.reviewer, task=case.tasks.get(), opinion="符合")
    response = api(world.head).post(
        url(case, "conclude"), {"decision": "approved", "fee_due": "10"}, format="json"
    )
    assert response.status_code == 400
    response = api(world.head).post(url(case, "conclude"), {"decision": "approved"}, format="json")
    assert response.status_code == 200
    assert api(world.citizen).post(url(case, "pay"), {}, format="json").status_code == 409
