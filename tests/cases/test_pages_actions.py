"""Page-level tests (Django test client through the real forms and views) of the actions that had only
service and API tests: 特别程序 suspend/resume, 延期 and 作废 by the head, fee payment with the fake
payment provider, a held licence offered as a material, and an enterprise member applying for it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bianmin.cases.constants import CaseState
from bianmin.cases.models import Case
from bianmin.workdays.services import add
from tests.cases import helpers
from tests.cases.conftest import BEIJING, build_world, pdf

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def _page(client, case) -> str:
    return client.get(f"/workbench/cases/{case.number}/").content.decode()


def _act(client, case, action, **data):
    case.refresh_from_db()
    return client.post(
        f"/workbench/cases/{case.number}/act/{action}/",
        {"expected_version": case.version, **data},
        follow=True,
    )


def _alerts(response, kind: str) -> str:
    return " ".join(re.findall(rf"alert-{kind}[^>]*>\s*([^<]+)<", response.content.decode()))


def test_special_procedure_stops_the_clock_and_resume_moves_the_deadline(client, world, clock):
    case = helpers.in_review(world)
    deadline = case.deadline_on
    _as(client, world.reviewer)
    page = _page(client, case)
    assert "特别程序（中止计时）" in page and "恢复计时</button>" not in page
    # no reason: refused on the page, nothing changes
    refused = _act(client, case, "suspend", procedure="expert_review", reason="")
    assert _alerts(refused, "error")
    case.refresh_from_db()
    assert not case.is_suspended and not case.suspensions.exists()
    done = _act(client, case, "suspend", procedure="expert_review", reason="需组织专家评审")
    assert "计时中止" in _alerts(done, "success")
    case.refresh_from_db()
    assert case.is_suspended and case.suspensions.get().procedure == "expert_review"
    page = _page(client, case)
    assert "恢复计时</button>" in page and "启动特别程序</button>" not in page
    assert "特别程序告知书" in page
    # a head cannot conclude while the clock is stopped
    _as(client, world.head)
    services_refusal = _act(client, case, "conclude", decision="approved")
    assert "中止计时" in _alerts(services_refusal, "error")
    # three working days later (Mon 2 → Thu 5 March) the reviewer resumes: the deadline moves by 3
    clock.move_to(dt.datetime(2026, 3, 5, 10, 0, tzinfo=BEIJING))
    _as(client, world.reviewer)
    _act(client, case, "resume")
    case.refresh_from_db()
    assert not case.is_suspended and case.suspended_days == 3
    assert case.deadline_on == add(case.accepted_on, case.limit_days + 3)
    assert case.deadline_on > deadline
    # the applicant's timeline shows both steps
    _as(client, world.citizen)
    mine = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "特别程序" in mine and "恢复计时" in mine


def test_extension_needs_the_lead_head_and_stays_within_the_limit(client, world):
    case = helpers.in_review(world)
    deadline = case.deadline_on
    _as(client, world.reviewer)
    assert "延期（负责人批准）" not in _page(client, case)
    refused = _act(client, case, "extend", days=5, reason="情况复杂")
    assert _alerts(refused, "error")
    case.refresh_from_db()
    assert case.extension_days == 0 and not case.extensions.exists()

    _as(client, world.head)
    assert "延期（负责人批准）" in _page(client, case)
    too_long = _act(client, case, "extend", days=11, reason="情况复杂")
    assert "10" in _alerts(too_long, "error")
    no_reason = _act(client, case, "extend", days=5, reason="")
    assert _alerts(no_reason, "error")
    case.refresh_from_db()
    assert case.extension_days == 0
    _act(client, case, "extend", days=5, reason="需现场核查")
    case.refresh_from_db()
    extension = case.extensions.get()
    assert (extension.days, extension.reason, extension.approved_by) == (5, "需现场核查", world.head)
    assert case.deadline_on == add(deadline, 5) or case.deadline_on == add(
        case.accepted_on, case.limit_days + 5
    )
    assert "延期告知书" in _page(client, case)
    # the total never passes 10 working days for a single-department item
    again = _act(client, case, "extend", days=6, reason="仍需核查")
    assert _alerts(again, "error")
    case.refresh_from_db()
    assert case.extension_days == 5


def test_void_needs_the_lead_head_and_a_reason(client, world):
    case = helpers.accepted(world)
    for user in (world.clerk, world.reviewer):
        _as(client, user)
        assert "作废原因" not in _page(client, case)
        _act(client, case, "void", reason="重复申请")
        case.refresh_from_db()
        assert case.state == CaseState.ACCEPTED
    _as(client, world.head)
    assert "作废原因" in _page(client, case)
    refused = _act(client, case, "void", reason="  ")
    assert _alerts(refused, "error")
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED
    done = _act(client, case, "void", reason="重复申请，已另案办理")
    assert "已作废" in _alerts(done, "success")
    case.refresh_from_db()
    assert case.state == CaseState.VOIDED and case.closed_reason == "重复申请，已另案办理"
    _as(client, world.citizen)
    mine = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "已作废" in mine or "作废" in mine


def test_fee_is_paid_through_the_fake_provider_before_delivery(client, clock):
    world = build_world(is_free=False, fees=[{"name": "工本费", "standard": "50元", "basis": "省物价文件"}])
    case = helpers.in_review(world)
    helpers.services.case_review(
        case=case, acting_user=world.reviewer, task=case.tasks.get(), opinion="符合条件"
    )
    _as(client, world.head)
    bad_fee = _act(client, case, "conclude", decision="approved", reasons="", fee_due="-3")
    assert _alerts(bad_fee, "error")
    _act(client, case, "conclude", decision="approved", reasons="符合条件", fee_due="50.00")
    case.refresh_from_db()
    assert case.state == CaseState.CONCLUDED and str(case.fee_due) == "50.00"
    # delivery is refused until paid
    _as(client, world.clerk)
    assert "费用未缴" in _page(client, case)
    refused = _act(client, case, "deliver", channel="pickup", recipient="张三")
    assert _alerts(refused, "error")
    case.refresh_from_db()
    assert case.state == CaseState.CONCLUDED
    # the applicant sees the fee, cannot receive yet, pays online and gets the receipt number
    _as(client, world.citizen)
    mine = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "¥50.00" in mine and "在线缴费" in mine and "电子送达：接收结果" not in mine
    paid = client.post(f"/my/cases/{case.number}/act/pay/", {"expected_version": case.version}, follow=True)
    case.refresh_from_db()
    assert case.fee_paid_at is not None and case.fee_receipt_no
    assert case.fee_receipt_no in _alerts(paid, "success")
    mine = paid.content.decode()
    assert "在线缴费" not in mine and "电子送达：接收结果" in mine and case.fee_receipt_no in mine
    assert case.events.filter(kind="pay", data__receipt_no=case.fee_receipt_no).exists()
    # paying twice is refused
    again = client.post(f"/my/cases/{case.number}/act/pay/", {"expected_version": case.version}, follow=True)
    assert "已缴纳" in _alerts(again, "error")
    client.post(f"/my/cases/{case.number}/act/receive/", {"expected_version": case.version})
    case.refresh_from_db()
    assert case.state == CaseState.DELIVERED and case.delivery_channel == "electronic"


def test_an_enterprise_member_applies_for_the_enterprise(client, world):
    member = world.company_member
    _as(client, member)
    page = client.get(f"/apply/{world.item.code}/").content.decode()
    assert world.enterprise.name in page
    response = client.post(
        f"/apply/{world.item.code}/",
        {
            "shop_name": "某某餐饮有限公司",
            "id_no": helpers.FORM["id_no"],
            "applicant": str(world.enterprise.pk),
            "idempotency_key": "ent-1",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.enterprise == world.enterprise and case.applicant_kind == "enterprise"
    assert case.applicant_name == world.enterprise.name and case.created_by == member
    for material, data in (
        (world.id_material, {"file": pdf()}),
        (world.place_material, {"file": pdf("p.pdf")}),
        (world.certificate_material, {"commitment_text": "本单位承诺无违法记录。"}),
    ):
        case.refresh_from_db()
        client.post(
            f"/apply/draft/{case.pk}/materials/",
            {"material": material.pk, "expected_version": case.version, **data},
        )
    case.refresh_from_db()
    client.post(
        f"/apply/draft/{case.pk}/confirm/",
        {"expected_version": case.version, "idempotency_key": "ent-s", "delivery_channel": "electronic"},
    )
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED and case.number
    assert case.number in client.get("/my/cases/").content.decode()
    # a citizen who is not a member cannot apply for that enterprise, nor see its case
    _as(client, world.citizen)
    forged = client.post(
        f"/apply/{world.item.code}/",
        {
            "shop_name": "x",
            "id_no": helpers.FORM["id_no"],
            "applicant": str(world.enterprise.pk),
            "idempotency_key": "ent-2",
        },
    )
    assert forged.status_code == 200 and Case.objects.count() == 1
    assert client.get(f"/my/cases/{case.number}/").status_code == 404


def test_a_held_licence_is_offered_on_the_materials_page_and_given_instead_of_a_file(client, world):
    """The material provider extension point, filled by the licences app: a valid licence the applicant
    holds is offered for a material that names its licence type, and given without an upload."""
    from bianmin.documents import services as seals
    from tests.catalog.helpers import make_published_item
    from tests.factories import StaffFactory
    from tests.licences.conftest import make_licence_type
    from tests.licences.helpers import issue

    world.seal = seals.seal_create(department=world.lead, acting_user=StaffFactory(platform_admin=True))
    world.licence_type = make_licence_type(world.lead, item=world.item)
    licence = issue(world)
    item = make_published_item(
        department=world.lead,
        name="食品经营许可证补办",
        materials=[
            {"name": "食品经营许可证", "necessity": "1", "licence_type_code": world.licence_type.code}
        ],
    )
    material = item.current_version.materials.get()
    _as(client, world.citizen)
    client.post(
        f"/apply/{item.code}/",
        {"shop_name": "张三小吃店", "id_no": world.citizen.id_card_no, "idempotency_key": "lic-1"},
    )
    case = Case.objects.get(item=item)
    page = client.get(f"/apply/draft/{case.pk}/materials/").content.decode()
    assert "使用已持有的电子证照" in page and licence.licence_no in page and "已验签" in page
    # a reference that is not one of the offers is refused on the page
    forged = client.post(
        f"/apply/draft/{case.pk}/materials/",
        {"material": material.pk, "expected_version": case.version, "licence_ref": "licences:NOPE"},
    )
    assert forged.status_code == 200 and not case.materials.exists()
    given = client.post(
        f"/apply/draft/{case.pk}/materials/",
        {
            "material": material.pk,
            "expected_version": case.version,
            "licence_ref": f"licences:{licence.identifier}",
        },
    )
    assert given.status_code == 302
    row = case.materials.get()
    assert (row.kind, row.licence_ref, row.trust_level, bool(row.file)) == (
        "licence",
        licence.identifier,
        "A",
        False,
    )
    case.refresh_from_db()
    client.post(
        f"/apply/draft/{case.pk}/confirm/",
        {"expected_version": case.version, "idempotency_key": "lic-s", "delivery_channel": "electronic"},
    )
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    # staff see the licence as the material (no file to download)
    _as(client, world.clerk)
    assert licence.licence_no in _page(client, case) or licence.identifier in _page(client, case)


def test_applicant_timeline_skips_draft_saves_staff_timeline_keeps_them(client, world):
    from bianmin.cases import services

    case = helpers.draft(world)
    for n in range(4):  # the applicant saves the form again and again
        case = services.case_save_draft(
            case=case, acting_user=world.citizen, form_data={**helpers.FORM, "shop_name": f"小吃店{n}"}
        )
    case = services.case_submit(case=case, acting_user=world.citizen)
    case = services.case_request_correction(
        case=case, acting_user=world.clerk, problems=[{"material": world.id_material.pk, "note": "不清晰"}]
    )
    services.case_material_add(case=case, acting_user=world.citizen, material=world.id_material, upload=pdf())
    case.refresh_from_db()
    assert case.events.filter(kind="save_draft").count() == 5

    _as(client, world.citizen)
    body = client.get(f"/my/cases/{case.number}/").content.decode()
    timeline = body[
        body.index('<ol class="timeline">') : body.index("</ol>", body.index('<ol class="timeline">'))
    ]
    assert timeline.count("timeline-item") == 4  # started, submitted, correction asked, material given
    assert "开始填写申请" in timeline and "保存草稿" not in timeline
    assert "提交申请" in timeline and "一次性告知补正" in timeline and "提交材料" in timeline

    _as(client, world.clerk)
    staff = client.get(f"/workbench/cases/{case.number}/").content.decode()
    assert staff.count("保存草稿") == 4


def test_a_case_returned_for_supplement_tells_the_applicant_what_to_give(client, world, clock):
    case = helpers.in_review(world)
    _as(client, world.reviewer)
    _act(
        client,
        case,
        "return_to_applicant",
        reason="请补充场所平面图",
        requested_items="经营场所平面图\n消防通道照片",
    )
    case.refresh_from_db()
    assert case.is_suspended
    _as(client, world.citizen)
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "审查部门退回补充材料" in page and "请补充场所平面图" in page
    assert "经营场所平面图" in page and "消防通道照片" in page and "提交补充材料" in page
    # a file that is not a PDF/JPEG/PNG by content is refused, nothing is added
    refused = client.post(
        f"/my/cases/{case.number}/act/supplement/",
        {
            "expected_version": case.version,
            "name": "经营场所平面图",
            "file": pdf("plan.pdf", b"MZ not a pdf"),
        },
        follow=True,
    )
    assert _alerts(refused, "error") and not case.materials.filter(name="经营场所平面图").exists()
    done = client.post(
        f"/my/cases/{case.number}/act/supplement/",
        {"expected_version": case.version, "name": "经营场所平面图", "file": pdf("plan.pdf")},
        follow=True,
    )
    assert "补充材料已提交" in _alerts(done, "success")
    assert case.materials.filter(name="经营场所平面图", material__isnull=True, is_current=True).exists()
    # the reviewer sees it and resumes; the applicant's page no longer asks for anything
    clock.move_to(dt.datetime(2026, 3, 4, 10, 0, tzinfo=BEIJING))
    _as(client, world.reviewer)
    assert "经营场所平面图" in _page(client, case)
    _act(client, case, "resume")
    case.refresh_from_db()
    assert not case.is_suspended and case.suspended_days == 2
    _as(client, world.citizen)
    assert "提交补充材料" not in client.get(f"/my/cases/{case.number}/").content.decode()
