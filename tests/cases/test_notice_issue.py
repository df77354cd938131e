"""Notices issued at their step (a background task scheduled on commit), stored once, served as stored;
the decision notice as the result document of electronic delivery; unsealed notices stored and verifiable."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import translation

from bianmin.cases import notices, services
from bianmin.cases.models import CaseNotice
from bianmin.documents import services as seals
from tests.cases import helpers
from tests.cases.conftest import BEIJING
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed_world(world):
    world.seal = seals.seal_create(department=world.lead, acting_user=StaffFactory(platform_admin=True))
    return world


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _reviewed(w, **kwargs):
    case = helpers.in_review(w, **kwargs)
    services.case_review(case=case, acting_user=w.reviewer, task=case.tasks.get(), opinion="符合条件。")
    return case


def test_the_step_issues_its_notice_on_commit_without_any_download(
    sealed_world, django_capture_on_commit_callbacks
):
    w = sealed_world
    case = helpers.submitted(w)
    with django_capture_on_commit_callbacks() as callbacks:
        case = services.case_accept(case=case, acting_user=w.clerk)
        # nothing is rendered inside the step's transaction
        assert not CaseNotice.objects.filter(case=case).exists()
    for callback in callbacks:
        callback()
    notice = CaseNotice.objects.get(case=case)
    assert notice.kind == "acceptance" and notice.event == case.events.get(kind="accept")
    assert notice.is_sealed and notices.notice_verify(notice)


def test_each_step_with_a_notice_issues_it(sealed_world, django_capture_on_commit_callbacks):
    w = sealed_world
    with django_capture_on_commit_callbacks(execute=True):
        case = helpers.submitted(w)
        case = services.case_request_correction(
            case=case, acting_user=w.clerk, problems=[{"material": w.id_material.pk, "note": "复印件不清晰"}]
        )
        case = services.case_resubmit(case=case, acting_user=w.citizen)
        case = services.case_accept(case=case, acting_user=w.clerk)
        case = services.case_start_review(case=case, acting_user=w.reviewer)
        case = services.case_suspend(
            case=case, acting_user=w.reviewer, procedure="inspection", reason="需检测"
        )
        case = services.case_resume(case=case, acting_user=w.reviewer)
        case = services.case_extend(case=case, acting_user=w.head, days=3, reason="情况复杂")
        services.case_review(case=case, acting_user=w.reviewer, task=case.tasks.get(), opinion="符合")
        case = services.case_conclude(case=case, acting_user=w.head, decision="approved")
        case = services.case_deliver(case=case, acting_user=w.citizen, channel="electronic")
    issued = dict(CaseNotice.objects.filter(case=case).values_list("kind", "event__kind"))
    assert issued == {
        "correction": "request_correction",
        "acceptance": "accept",
        "special_procedure": "suspend",
        "extension": "extend",
        "decision": "conclude",
        "delivery_receipt": "deliver",
    }
    # the delivery receipt names the decision notice it delivered
    receipt = CaseNotice.objects.get(case=case, kind="delivery_receipt")
    decision = CaseNotice.objects.get(case=case, kind="decision")
    html = notices.render_notice_html(case, "delivery_receipt", receipt.event)
    assert str(decision.pk) in html


def test_downloads_give_the_same_stored_bytes_whenever_asked(
    sealed_world, django_capture_on_commit_callbacks, clock, api
):
    w = sealed_world
    with django_capture_on_commit_callbacks(execute=True):
        case = helpers.accepted(w, tolerant=True)
    stored = notices.notice_read(CaseNotice.objects.get(case=case, kind="acceptance"))
    first = api(w.citizen).get(f"/api/v1/cases/{case.number}/notices/acceptance/").content
    # later steps move the deadline and bring the owed material; a week later the notice is the same file
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_start_review(case=case, acting_user=w.reviewer)
        services.case_suspend(case=case, acting_user=w.reviewer, procedure="inspection", reason="需检测")
    clock.move_to(dt.datetime(2026, 3, 9, 10, 0, tzinfo=BEIJING))
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_resume(case=case, acting_user=w.reviewer)
    second = api(w.citizen).get(f"/api/v1/cases/{case.number}/notices/acceptance/").content
    page = _client(w.clerk).get(f"/workbench/cases/{case.number}/notices/acceptance.pdf").content
    assert first == second == page == stored
    assert CaseNotice.objects.filter(case=case, kind="acceptance").count() == 1


def test_a_late_download_issues_the_notice_as_of_its_step(sealed_world, clock):
    """The task did not run (no commit callbacks here): the first download issues it, dated and worded as
    on the day of the step, not of the download."""
    w = sealed_world
    case = helpers.in_review(w)
    services.case_suspend(case=case, acting_user=w.reviewer, procedure="expert_review", reason="需专家论证")
    clock.move_to(dt.datetime(2026, 3, 9, 10, 0, tzinfo=BEIJING))
    case = services.case_resume(case=case, acting_user=w.reviewer)
    case = services.case_extend(case=case, acting_user=w.head, days=3, reason="情况复杂")
    first_deadline = case.deadline_on
    case = services.case_extend(case=case, acting_user=w.head, days=2, reason="需补充核查")
    clock.move_to(dt.datetime(2026, 3, 16, 10, 0, tzinfo=BEIJING))

    procedure = notices.notice_issue(case, "special_procedure")
    html = notices.render_notice_html(case, "special_procedure", procedure.event)
    assert "<div>2026年3月2日</div>" in html and "进行中" in html and "2026年3月9日" not in html
    # the first extension's notice, issued late by its task, speaks of that extension and its deadline
    first_extend = case.events.filter(kind="extend").order_by("at", "pk").first()
    notice = notices.notice_issue(case, "extension", event=first_extend)
    html = notices.render_notice_html(case, "extension", first_extend)
    assert "情况复杂" in html and "需补充核查" not in html
    assert f"{first_deadline.year}年{first_deadline.month}月{first_deadline.day}日" in html
    assert notice.event == first_extend and notice.issued_at.date() == dt.date(2026, 3, 16)
    # the download serves the latest extension's notice
    latest = notices.notice_issue(case, "extension")
    assert (
        latest != notice and latest.event == case.events.filter(kind="extend").order_by("-at", "-pk").first()
    )


def test_notices_are_written_in_the_site_language_whoever_issues_them(sealed_world):
    w = sealed_world
    case = helpers.accepted(w)
    with translation.override("en"):
        notice = notices.notice_issue(case, "acceptance")
    assert CaseNotice.objects.get(pk=notice.pk).content_sm3 == notices.content_digest(case, "acceptance")


def test_electronic_delivery_hands_over_the_stored_decision(
    sealed_world, django_capture_on_commit_callbacks, api
):
    w = sealed_world
    with django_capture_on_commit_callbacks(execute=True):
        case = _reviewed(w)
        case = services.case_conclude(
            case=case, acting_user=w.head, decision="denied", reasons="场所不符合要求"
        )
    decision = CaseNotice.objects.get(case=case, kind="decision")
    assert notices.result_document(case) == decision
    client = _client(w.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/my/cases/{case.number}/act/receive/", {"expected_version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "delivered" and case.delivery_channel == "electronic"
    page = client.get(f"/my/cases/{case.number}/").content.decode()
    assert f"/my/cases/{case.number}/result.pdf" in page
    download = client.get(f"/my/cases/{case.number}/result.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content == notices.notice_read(decision)
    assert notices.notice_for_pdf(download.content) == decision and notices.notice_verify(decision)
    body = api(w.citizen).get(f"/api/v1/cases/{case.number}/").data
    assert body["result_document"]["url"] == f"/api/v1/cases/{case.number}/result-document/"
    assert body["result_document"]["title"] == "不予行政许可决定书"
    response = api(w.citizen).get(body["result_document"]["url"])
    assert response.status_code == 200 and response.content == download.content
    staff = _client(w.head).get(f"/workbench/cases/{case.number}/result.pdf")
    assert staff.status_code == 200 and staff.content == download.content


def test_the_result_document_only_for_those_who_may_see_the_case(sealed_world, api):
    w = sealed_world
    case = services.case_conclude(case=_reviewed(w), acting_user=w.head, decision="approved")
    assert api(w.other_citizen).get(f"/api/v1/cases/{case.number}/result-document/").status_code == 404
    assert api(w.stranger_reviewer).get(f"/api/v1/cases/{case.number}/result-document/").status_code == 404
    assert api().get(f"/api/v1/cases/{case.number}/result-document/").status_code in (401, 403)
    assert _client(w.other_citizen).get(f"/my/cases/{case.number}/result.pdf").status_code == 404
    assert Client().get(f"/my/cases/{case.number}/result.pdf").status_code in (302, 404)
    assert not CaseNotice.objects.filter(case=case).exists()  # refusals issued nothing
    # before the conclusion there is none
    open_case = helpers.accepted(w, user=w.other_citizen)
    assert api(w.other_citizen).get(f"/api/v1/cases/{open_case.number}/result-document/").status_code == 404
    assert api(w.other_citizen).get(f"/api/v1/cases/{open_case.number}/").data["result_document"] is None


def test_an_unsealed_notice_is_stored_and_verifies_as_unsealed(
    world, django_capture_on_commit_callbacks, api
):
    with django_capture_on_commit_callbacks(execute=True):
        case = helpers.accepted(world)
    notice = CaseNotice.objects.get(case=case, kind="acceptance")
    assert not notice.is_sealed and notice.key_fingerprint == "" and notice.key_version is None
    download = api(world.citizen).get(f"/api/v1/cases/{case.number}/notices/acceptance/").content
    assert download == notices.notice_read(notice)
    page = Client().get(f"/cases/notices/verify/{notice.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "未加盖电子印章" in body and "核验通过" not in body
    assert case.number in body and "受理通知书" in body
    assert case.applicant_name not in body and case.applicant_id_masked not in body
    data = api().get(f"/api/v1/cases/notices/{notice.pk}/verify/").data
    assert data["sealed"] is False and data["valid"] is False and data["intact"] is True
    assert data["seal_code"] is None and data["case_number"] == case.number
    assert case.applicant_name not in str(data)
    # a replaced file is caught, sealed or not
    with notice.pdf.open("wb") as handle:
        handle.write(b"%PDF-1.4 forged")
    data = api().get(f"/api/v1/cases/notices/{notice.pk}/verify/").data
    assert data["intact"] is False
    assert "核验未通过" in Client().get(f"/cases/notices/verify/{notice.pk}/").content.decode()


def test_notices_issued_before_steps_were_recorded_are_linked_to_their_step(sealed_world):
    """The data migration: a notice issued on download (no step recorded) becomes the notice of its step."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("bianmin.cases.migrations.0008_link_notices_to_steps")
    w = sealed_world
    case = helpers.accepted(w)
    notice = notices.notice_issue(case, "acceptance")
    CaseNotice.objects.filter(pk=notice.pk).update(event=None)
    migration.link(apps, None)
    notice.refresh_from_db()
    assert notice.event == case.events.get(kind="accept")
    assert notices.notice_issue(case, "acceptance") == notice


def test_the_task_issues_once_and_skips_a_vanished_step(sealed_world):
    from bianmin.cases.tasks import notice_issue_task

    w = sealed_world
    case = helpers.accepted(w)
    event = case.events.get(kind="accept")
    notice_issue_task(str(case.pk), "acceptance", event.pk)
    notice_issue_task(str(case.pk), "acceptance", event.pk)  # a retry or a second consumer: still one notice
    assert list(CaseNotice.objects.filter(case=case).values_list("kind", "event")) == [
        ("acceptance", event.pk)
    ]
    notice_issue_task(str(case.pk), "acceptance", 10**9)
    assert CaseNotice.objects.filter(case=case).count() == 1


def test_a_receipt_issued_first_still_names_the_decision_it_delivered(sealed_world):
    w = sealed_world
    case = services.case_conclude(case=_reviewed(w), acting_user=w.head, decision="approved")
    case = services.case_deliver(case=case, acting_user=w.citizen, channel="electronic")
    receipt = notices.notice_issue(case, "delivery_receipt")
    decision = CaseNotice.objects.get(case=case, kind="decision")
    assert str(decision.pk) in notices.render_notice_html(case, "delivery_receipt", receipt.event)
    assert json.loads(receipt.canonical_json)["content_sm3"] == notices.content_digest(
        case, "delivery_receipt"
    )
