"""Apply stepper and 我的办件 pages (Django test client, frozen clock)."""

from __future__ import annotations

import pytest

from bianmin.cases.constants import CaseState
from bianmin.cases.models import Case
from tests.cases import helpers
from tests.cases.conftest import pdf
from tests.factories import make_id_card

pytestmark = pytest.mark.django_db


def _errors(response) -> str:
    import re

    return " ".join(
        re.findall(r'class="(?:form-error|alert alert-error)"[^>]*>([^<]+)<', response.content.decode())
    )


def _login(client, user):
    client.force_login(user)
    return client


def test_apply_stepper_creates_one_case_on_double_submit(client, world):
    _login(client, world.citizen)
    page = client.get(f"/apply/{world.item.code}/")
    assert page.status_code == 200
    assert "填写信息" in page.content.decode() and "is-current" in page.content.decode()
    # inline Chinese validation from the server: a wrong ID number
    bad = client.post(
        f"/apply/{world.item.code}/",
        {"shop_name": "张三小吃店", "id_no": "440507199001011234", "idempotency_key": "k1"},
    )
    assert bad.status_code == 200
    assert "身份证号码不正确" in bad.content.decode()
    assert not Case.objects.exists()
    ok = client.post(
        f"/apply/{world.item.code}/",
        {"shop_name": "张三小吃店", "id_no": make_id_card(7), "idempotency_key": "k1"},
    )
    assert ok.status_code == 302, _errors(ok)
    case = Case.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/apply/draft/{case.pk}/materials/"
    # the same key again (a double click) gives the same draft
    client.post(
        f"/apply/{world.item.code}/", {"shop_name": "x", "id_no": make_id_card(7), "idempotency_key": "k1"}
    )
    assert Case.objects.count() == 1

    materials = client.get(f"/apply/draft/{case.pk}/materials/")
    assert materials.status_code == 200 and "申请人身份证明" in materials.content.decode()
    bad_file = client.post(
        f"/apply/draft/{case.pk}/materials/",
        {
            "material": world.id_material.pk,
            "expected_version": case.version,
            "file": pdf("x.pdf", b"not a pdf"),
        },
    )
    assert "只接受 PDF、JPEG、PNG" in bad_file.content.decode()
    for material, kwargs in (
        (world.id_material, {"file": pdf()}),
        (world.place_material, {"file": pdf("p.pdf")}),
        (world.certificate_material, {"commitment_text": "本人承诺无犯罪记录。"}),
    ):
        case.refresh_from_db()
        response = client.post(
            f"/apply/draft/{case.pk}/materials/",
            {"material": material.pk, "expected_version": case.version, **kwargs},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.materials.filter(is_current=True).count() == 3

    confirm = client.get(f"/apply/draft/{case.pk}/confirm/")
    assert confirm.status_code == 200 and "data-confirm" in confirm.content.decode()
    data = {"expected_version": case.version, "idempotency_key": "submit-1", "delivery_channel": "electronic"}
    first = client.post(f"/apply/draft/{case.pk}/confirm/", data)
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED and case.number
    assert first["Location"] == f"/my/cases/{case.number}/"
    second = client.post(f"/apply/draft/{case.pk}/confirm/", data)
    assert second.status_code == 302 and second["Location"] == f"/my/cases/{case.number}/"
    assert Case.objects.count() == 1 and case.delivery_channel == "electronic"


def test_my_cases_lists_own_only_with_pinned_queries(client, world, django_assert_max_num_queries):
    mine = [helpers.submitted(world) for _ in range(3)]
    other = helpers.submitted(world, user=world.other_citizen)
    _login(client, world.citizen)
    with django_assert_max_num_queries(12):
        response = client.get("/my/cases/")
    body = response.content.decode()
    assert response.status_code == 200
    for case in mine:
        assert case.number in body
    assert other.number not in body
    assert "等待窗口受理" in body and world.version.name in body
    assert client.get(f"/my/cases/{other.number}/").status_code == 404
    assert client.get(f"/my/cases/{mine[0].number}/").status_code == 200


def test_correction_resubmit_and_withdraw_from_my_case(client, world):
    from bianmin.cases import services

    case = helpers.submitted(world)
    case = services.case_request_correction(
        case=case,
        acting_user=world.clerk,
        problems=[{"material": world.place_material.pk, "note": "场所证明不清晰"}],
    )
    _login(client, world.citizen)
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "场所证明不清晰" in page and "重新提交" in page
    client.post(
        f"/my/cases/{case.number}/act/material/",
        {"material": world.place_material.pk, "expected_version": case.version, "file": pdf("clear.pdf")},
    )
    case.refresh_from_db()
    # a stale version is refused and shown, nothing changes
    stale = client.post(f"/my/cases/{case.number}/act/resubmit/", {"expected_version": 1}, follow=True)
    assert "已被他人修改" in stale.content.decode() or "刷新" in stale.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.AWAITING_CORRECTION
    client.post(f"/my/cases/{case.number}/act/resubmit/", {"expected_version": case.version})
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    client.post(
        f"/my/cases/{case.number}/act/withdraw/", {"expected_version": case.version, "reason": "不办了"}
    )
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN


def test_electronic_receipt_and_notice_pdf(client, world):
    case = helpers.concluded(world)
    _login(client, world.citizen)
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert "电子送达" in page and "行政许可决定书" in page
    pdf_response = client.get(f"/my/cases/{case.number}/notices/decision.pdf")
    assert pdf_response.status_code == 200 and pdf_response.content.startswith(b"%PDF")
    client.post(f"/my/cases/{case.number}/act/receive/", {"expected_version": case.version})
    case.refresh_from_db()
    assert case.state == CaseState.DELIVERED and case.delivery_channel == "electronic"
    other = client.get  # another applicant cannot download the notice
    client.force_login(world.other_citizen)
    assert other(f"/my/cases/{case.number}/notices/decision.pdf").status_code == 404


def test_a_new_application_starts_with_the_applicants_own_details(client, world):
    from tests.catalog.helpers import make_published_item
    from tests.factories import CitizenFactory

    item = make_published_item(
        department=world.lead,
        form_fields=[
            {"key": "applicant_name", "label": "申请人姓名", "kind": "text"},
            {"key": "id_card_no", "label": "公民身份号码", "kind": "id_card"},
            {"key": "contact_mobile", "label": "联系电话", "kind": "mobile"},
            {"key": "partner_id_card_no", "label": "对方公民身份号码", "kind": "id_card", "required": False},
        ],
    )
    citizen = CitizenFactory(full_name="王五", id_card_no=make_id_card(11), mobile="13800138011")
    form = _login(client, citizen).get(f"/apply/{item.code}/").context["form"]
    assert form["applicant_name"].value() == "王五"
    assert form["id_card_no"].value() == make_id_card(11)
    assert form["contact_mobile"].value() == "13800138011"
    assert not form["partner_id_card_no"].value()  # someone else's number is never guessed
