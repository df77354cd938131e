"""Notices sealed with the department's approval seal (documents app): seal picture, SM2 signature,
stored once per content, verifiable; an unsealed fallback where the department has no seal."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from bianmin.cases import notices, services
from bianmin.cases.models import CaseNotice
from bianmin.documents import services as seals
from tests.cases import helpers
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed_world(world):
    world.seal = seals.seal_create(department=world.lead, acting_user=StaffFactory(platform_admin=True))
    return world


def _denied(w):
    case = helpers.in_review(w)
    services.case_review(case=case, acting_user=w.reviewer, task=case.tasks.get(), opinion="不符合")
    return services.case_conclude(case=case, acting_user=w.head, decision="denied", reasons="场所不符合要求")


def test_decision_notice_is_sealed_signed_stored_and_verifiable(sealed_world):
    w = sealed_world
    case = _denied(w)
    pdf = notices.render_notice_pdf(case, "decision")
    assert pdf.startswith(b"%PDF-")
    notice = CaseNotice.objects.get(case=case, kind="decision")
    assert notice.seal == w.seal and notice.key_version == 1
    assert notice.key_fingerprint == w.seal.keys.get().fingerprint
    data = json.loads(notice.canonical_json)
    assert data["case_number"] == case.number and data["kind"] == "decision"
    assert data["seal_code"] == w.seal.code and data["notice_id"] == str(notice.pk)
    assert seals.verify(
        data=notice.canonical_json.encode(),
        signature=bytes.fromhex(notice.signature),
        fingerprint=notice.key_fingerprint,
    )
    assert notices.notice_verify(notice)
    assert notices.notice_for_pdf(pdf) == notice
    from bianmin.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="cases.notice_issue")
    assert entry.changes["key_fingerprint"] == notice.key_fingerprint and entry.changes["kind"] == "decision"
    assert notices.notice_for_pdf(pdf + b"%tampered\n") is None
    # the seal picture and the verification address are in the document
    html = notices.render_notice_html(
        case, "decision", sealed=True, seal=w.seal, notice=notice, verify_url=notices.verify_url(notice)
    )
    assert "行政审批专用章" in html and notice.key_fingerprint in html and "未加盖电子印章" not in html
    assert "<h1>不予行政许可决定书</h1>" in html
    assert f"/cases/notices/verify/{notice.pk}/" in html
    # asked again: the same stored PDF, no second notice
    assert notices.render_notice_pdf(case, "decision") == pdf
    assert CaseNotice.objects.filter(case=case).count() == 1


def test_each_extension_step_issues_its_own_notice(sealed_world):
    w = sealed_world
    case = helpers.in_review(w)
    case = services.case_extend(case=case, acting_user=w.head, days=3, reason="情况复杂")
    first = notices.render_notice_pdf(case, "extension")
    case = services.case_extend(case=case, acting_user=w.head, days=2, reason="需补充核查")
    second = notices.render_notice_pdf(case, "extension")
    assert first != second
    assert CaseNotice.objects.filter(case=case, kind="extension").count() == 2


def test_tampering_with_the_signed_data_or_the_file_fails_verification(sealed_world):
    w = sealed_world
    case = helpers.accepted(w)
    notices.render_notice_pdf(case, "acceptance")
    notice = CaseNotice.objects.get(case=case)
    assert notices.notice_verify(notice)
    forged = json.loads(notice.canonical_json)
    forged["applicant_name"] = "王五"
    CaseNotice.objects.filter(pk=notice.pk).update(
        canonical_json=json.dumps(forged, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    )
    notice.refresh_from_db()
    assert not notices.notice_verify(notice)
    page = Client().get(f"/cases/notices/verify/{notice.pk}/")
    assert page.status_code == 200 and "核验未通过" in page.content.decode()


def test_public_verify_page_shows_the_notice_and_nothing_personal(sealed_world):
    w = sealed_world
    case = helpers.accepted(w)
    notices.render_notice_pdf(case, "acceptance")
    notice = CaseNotice.objects.get(case=case)
    body = Client().get(f"/cases/notices/verify/{notice.pk}/").content.decode()
    assert "核验通过" in body and "受理通知书" in body and case.number in body
    assert w.seal.code in body and case.applicant_name not in body
    assert Client().get("/cases/notices/verify/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_without_a_seal_the_notice_is_stored_marked_unsealed(world):
    case = _denied(world)
    notice = notices.notice_issue(case, "decision")
    assert notice.seal is None and not notice.is_sealed and notice.signature == ""
    pdf = notices.render_notice_pdf(case, "decision")
    assert pdf.startswith(b"%PDF-") and notices.notice_for_pdf(pdf) == notice
    assert CaseNotice.objects.filter(case=case).count() == 1
    html = notices.render_notice_html(
        case, "decision", unsealed=True, notice=notice, verify_url=notices.verify_url(notice)
    )
    assert "未加盖电子印章" in html and "行政审批专用章" not in html
    assert f"/cases/notices/verify/{notice.pk}/" in html
    check = notices.notice_check(notice)
    assert check.intact and not check.sealed and not check.valid


def test_an_expired_or_stopped_seal_issues_an_unsealed_notice(sealed_world):
    w = sealed_world
    case = helpers.accepted(w)
    w.seal.is_active = False
    w.seal.save(update_fields=["is_active"])
    notice = notices.notice_issue(case, "acceptance")
    assert notice.seal is None
    assert notices.render_notice_pdf(case, "acceptance") == notices.notice_read(notice)
    # a seal configured later does not rewrite the notice that was issued
    w.seal.is_active = True
    w.seal.save(update_fields=["is_active"])
    assert notices.notice_issue(case, "acceptance") == notice


def test_applicant_download_is_the_sealed_notice(sealed_world, api):
    w = sealed_world
    case = helpers.accepted(w)
    response = api(w.citizen).get(f"/api/v1/cases/{case.number}/notices/acceptance/")
    assert response.status_code == 200
    notice = CaseNotice.objects.get(case=case, kind="acceptance")
    assert notices.notice_for_pdf(response.content) == notice
    client = Client()
    client.force_login(w.citizen)
    page = client.get(f"/my/cases/{case.number}/notices/acceptance.pdf")
    assert page.status_code == 200 and page.content == response.content


def test_api_verifies_a_sealed_notice_publicly(sealed_world, api):
    w = sealed_world
    case = helpers.accepted(w)
    notices.render_notice_pdf(case, "acceptance")
    notice = CaseNotice.objects.get(case=case)
    response = api().get(f"/api/v1/cases/notices/{notice.pk}/verify/")
    assert response.status_code == 200
    assert response.data["valid"] is True and response.data["case_number"] == case.number
    assert response.data["seal_code"] == w.seal.code and response.data["title"] == "受理通知书"
    assert case.applicant_name not in str(response.data)
    CaseNotice.objects.filter(pk=notice.pk).update(signature="00" + notice.signature[2:])
    assert api().get(f"/api/v1/cases/notices/{notice.pk}/verify/").data["valid"] is False
    missing = api().get("/api/v1/cases/notices/00000000-0000-0000-0000-000000000000/verify/")
    assert missing.status_code == 404


def test_a_notice_is_dated_by_its_step_not_by_the_download(sealed_world, clock):
    import datetime as dt

    from tests.cases.conftest import BEIJING

    w = sealed_world
    case = _denied(w)  # concluded on Monday 2 March
    clock.move_to(dt.datetime(2026, 3, 9, 10, 0, tzinfo=BEIJING))
    notices.render_notice_pdf(case, "decision")
    notice = CaseNotice.objects.get(case=case, kind="decision")
    html = notices.render_notice_html(case, "decision", sealed=True, seal=w.seal, notice=notice)
    assert "<div>2026年3月2日</div>" in html and "2026年3月9日" not in html
    assert notice.issued_at.date() == dt.date(2026, 3, 9)  # when it was sealed is recorded apart


def test_acceptance_notice_keeps_what_was_said_at_acceptance(sealed_world, clock):
    import datetime as dt

    from tests.cases.conftest import BEIJING, pdf

    w = sealed_world
    case = helpers.accepted(w, tolerant=True)
    first = notices.render_notice_pdf(case, "acceptance")
    html = notices.render_notice_html(case, "acceptance")
    promised = case.deadline_on
    assert f"{promised.year}年{promised.month}月{promised.day}日" in html and "经营场所使用证明" in html
    # the clock stops for three working days and the owed material comes in: the deadline moves,
    # but the acceptance notice is the one issued on the day, not a rewritten one
    case = services.case_start_review(case=case, acting_user=w.reviewer)
    services.case_suspend(case=case, acting_user=w.reviewer, procedure="inspection", reason="需检测")
    clock.move_to(dt.datetime(2026, 3, 5, 10, 0, tzinfo=BEIJING))
    case = services.case_resume(case=case, acting_user=w.reviewer)
    services.case_supplement(case=case, acting_user=w.citizen, material=w.place_material, upload=pdf())
    case.refresh_from_db()
    assert case.deadline_on != promised
    assert notices.render_notice_pdf(case, "acceptance") == first
    assert CaseNotice.objects.filter(case=case, kind="acceptance").count() == 1


def test_staff_page_says_when_notices_will_be_unsealed(client, world):
    case = helpers.accepted(world)
    client.force_login(world.clerk)
    assert "未加盖电子印章" in client.get(f"/workbench/cases/{case.number}/").content.decode()
    seals.seal_create(department=world.lead, acting_user=StaffFactory(platform_admin=True))
    assert "未加盖电子印章" not in client.get(f"/workbench/cases/{case.number}/").content.decode()
