"""Notices as PDF with a QR code to the public status page, the public lookup page, applicant SMS."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from bianmin.cases import notices, services
from bianmin.notifications.senders import MemorySmsSender
from tests.cases import helpers

pytestmark = pytest.mark.django_db


def test_acceptance_notice_pdf_with_qr_to_the_status_page(world, api):
    case = helpers.accepted(world, tolerant=True)
    html = notices.render_notice_html(case, "acceptance")
    assert "受理通知书" in html and case.number in html and "经营场所使用证明" in html
    assert "<svg" in html and "<?xml" not in html
    assert notices.status_url(case).endswith(f"/cases/lookup/?number={case.number}")
    links = api(world.citizen).get(f"/api/v1/cases/{case.number}/").data["notices"]
    assert links == [
        {
            "kind": "acceptance",
            "title": "受理通知书",
            "url": f"/api/v1/cases/{case.number}/notices/acceptance/",
        }
    ]
    response = api(world.citizen).get(f"/api/v1/cases/{case.number}/notices/acceptance/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    # a notice that does not exist yet, and a stranger
    assert api(world.citizen).get(f"/api/v1/cases/{case.number}/notices/decision/").status_code == 409
    assert api(world.citizen).get(f"/api/v1/cases/{case.number}/notices/nonsense/").status_code == 404
    assert api(world.other_citizen).get(f"/api/v1/cases/{case.number}/notices/acceptance/").status_code == 404


def test_every_notice_kind_renders_when_its_step_happened(world):
    case = helpers.submitted(world)
    case = services.case_request_correction(
        case=case,
        acting_user=world.clerk,
        problems=[{"material": world.id_material.pk, "note": "复印件不清晰"}],
    )
    assert "复印件不清晰" in notices.render_notice_html(case, "correction")
    case = services.case_resubmit(case=case, acting_user=world.citizen)
    case = services.case_accept(case=case, acting_user=world.clerk)
    case = services.case_start_review(case=case, acting_user=world.reviewer)
    services.case_suspend(
        case=case, acting_user=world.reviewer, procedure="expert_review", reason="需专家论证"
    )
    case = services.case_resume(case=case, acting_user=world.reviewer)
    case = services.case_extend(case=case, acting_user=world.head, days=5, reason="情况复杂")
    services.case_review(case=case, acting_user=world.reviewer, task=case.tasks.get(), opinion="不符合")
    case = services.case_conclude(
        case=case, acting_user=world.head, decision="denied", reasons="场所不符合要求"
    )
    case = services.case_deliver(case=case, acting_user=world.clerk, channel="pickup", recipient="张三")
    assert notices.available_notices(case) == [
        "acceptance",
        "correction",
        "special_procedure",
        "extension",
        "decision",
        "delivery_receipt",
    ]
    assert "专家评审" in notices.render_notice_html(case, "special_procedure")
    assert "情况复杂" in notices.render_notice_html(case, "extension")
    decision = notices.render_notice_html(case, "decision")
    assert "不予许可" in decision and "场所不符合要求" in decision and "行政复议" in decision
    assert "张三" in notices.render_notice_html(case, "delivery_receipt")
    assert notices.render_notice_pdf(case, "decision").startswith(b"%PDF-")

    declined = helpers.submitted(world, user=world.other_citizen)
    declined = services.case_decline(
        case=declined, acting_user=world.clerk, reason="非本部门事项", legal_basis="第三十二条"
    )
    assert "非本部门事项" in notices.render_notice_html(declined, "decline")


def test_public_lookup_page(world):
    cache.clear()
    case = helpers.accepted(world)
    client = Client()
    page = client.get(f"/cases/lookup/?number={case.number}")
    assert page.status_code == 200 and case.number in page.content.decode()
    found = client.post("/cases/lookup/", {"number": case.number, "name_or_phone_tail": "张三"})
    text = found.content.decode()
    assert found.status_code == 200 and "已受理" in text and world.item.current_version.name in text
    assert (
        world.citizen.id_card_no not in text
        and "张三" not in text.split("<main", 1)[-1].split("</form>", 1)[-1]
    )
    missed = client.post("/cases/lookup/", {"number": case.number, "name_or_phone_tail": "李四"})
    assert "未找到匹配的办件" in missed.content.decode()
    bad = client.post("/cases/lookup/", {"number": "123", "name_or_phone_tail": "张三"})
    assert "23位数字" in bad.content.decode()


def test_public_lookup_is_rate_limited(world):
    cache.clear()
    case = helpers.accepted(world)
    client = Client()
    for _ in range(30):
        client.post("/cases/lookup/", {"number": case.number, "name_or_phone_tail": "0000"})
    blocked = client.post("/cases/lookup/", {"number": case.number, "name_or_phone_tail": "张三"})
    assert "查询过于频繁" in blocked.content.decode()
    cache.clear()


def test_applicant_receives_an_sms_at_each_step(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = helpers.submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(case=case, acting_user=world.clerk)
    texts = [m["text"] for m in MemorySmsSender.outbox if m["mobile"] == world.citizen.mobile]
    assert texts[0].startswith("【龙湖政务】") and case.number in texts[0]
    assert "已受理" in texts[1] and "2026-03-16" in texts[1]
