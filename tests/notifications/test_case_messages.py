"""Every step of a case leaves a message for its applicant (the member, for an enterprise), none on rollback;
deadline warnings reach reviewers and heads in their message centre."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from bianmin.cases import services
from bianmin.cases.tasks import send_deadline_warnings
from bianmin.core.exceptions import ApplicationError
from bianmin.notifications.models import Message
from bianmin.notifications.senders import MemorySmsSender
from tests.cases import helpers
from tests.cases.conftest import at

pytestmark = pytest.mark.django_db


def titles(user, category: str = "case") -> list[str]:
    rows = Message.objects.filter(recipient=user, category=category).order_by("id")
    return list(rows.values_list("title", flat=True))


def test_each_step_of_a_case_tells_the_applicant(world, django_capture_on_commit_callbacks):
    item = world.version.name
    with django_capture_on_commit_callbacks(execute=True):
        case = helpers.submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_request_correction(
            case=case,
            acting_user=world.clerk,
            problems=[{"material": world.id_material.pk, "note": "不清晰"}],
        )
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_resubmit(case=case, acting_user=world.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_accept(case=case, acting_user=world.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_start_review(case=case, acting_user=world.reviewer)
        services.case_suspend(
            case=case, acting_user=world.reviewer, procedure="expert_review", reason="需论证"
        )
        case = services.case_resume(case=case, acting_user=world.reviewer)
        case = services.case_extend(case=case, acting_user=world.head, days=5, reason="情况复杂")
        services.case_review(case=case, acting_user=world.reviewer, task=case.tasks.get(), opinion="符合")
        case = services.case_conclude(case=case, acting_user=world.head, decision="approved")
        case = services.case_deliver(case=case, acting_user=world.clerk, channel="pickup", recipient="张三")
    assert titles(world.citizen) == [
        f"{title} · {item}"
        for title in (
            "申请已提交",
            "请补正材料",
            "补正材料已提交",
            "申请已受理",
            "办件审查中",
            "特别程序告知",
            "恢复计时",
            "办理期限延长",
            "办件已办结",
            "办理结果已送达",
        )
    ]
    messages = list(Message.objects.filter(recipient=world.citizen, category="case"))
    assert {(m.category, m.target_kind, m.target_ref, m.link) for m in messages} == {
        ("case", "case", case.number, f"/my/cases/{case.number}/")
    }
    accepted = Message.objects.get(recipient=world.citizen, title__startswith="申请已受理")
    assert case.number in accepted.body and "2026-03-16" in accepted.body
    concluded = Message.objects.get(recipient=world.citizen, title__startswith="办件已办结")
    assert "准予" in concluded.body
    # The delivered case invites its applicant to rate it (好差评), in the message centre too.
    invite = Message.objects.get(recipient=world.citizen, category="evaluation")
    assert invite.title.startswith("请您评价") and invite.link.startswith("/rate/")
    # Staff who acted hear nothing of the applicant's messages.
    assert not Message.objects.filter(recipient__in=[world.clerk, world.reviewer, world.head]).exists()
    # SMS only for the steps that ask something or settle the case (not 审查中, 恢复计时, 补正已提交).
    sms = [m["text"] for m in MemorySmsSender.outbox if m["mobile"] == world.citizen.mobile]
    sms = [t for t in sms if "评价" not in t]
    assert len(sms) == 7 and not any("已进入审查" in t or "恢复计时" in t for t in sms)


def test_a_declined_application_is_announced(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = helpers.submitted(world)
        services.case_decline(
            case=case, acting_user=world.clerk, reason="不属于本部门职权", legal_basis="第三十二条"
        )
    assert titles(world.citizen)[-1].startswith("不予受理")


def test_an_enterprise_case_tells_the_member_who_applied(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = helpers.accepted(world, user=world.company_member, enterprise=world.enterprise)
    assert [t.split(" · ")[0] for t in titles(world.company_member)] == ["申请已提交", "申请已受理"]
    assert Message.objects.filter(target_ref=case.number).count() == 2
    assert not Message.objects.filter(recipient=world.citizen).exists()


def test_a_rolled_back_step_tells_nobody(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = helpers.submitted(world)
    before = Message.objects.count()
    MemorySmsSender.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.case_accept(case=case, acting_user=world.clerk)
            raise RuntimeError("something after the acceptance failed")
    assert Message.objects.count() == before
    assert MemorySmsSender.outbox == []


def test_a_refused_action_tells_nobody(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = helpers.submitted(world)
    before = Message.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
        services.case_conclude(case=case, acting_user=world.head, decision="approved")  # not accepted yet
    assert Message.objects.count() == before


def test_a_window_applicant_without_an_account_gets_the_sms_only(world, django_capture_on_commit_callbacks):
    from tests.factories import make_id_card

    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_save_draft(
            acting_user=world.clerk,
            item=world.item,
            form_data=helpers.FORM,
            applicant={"kind": "person", "name": "王五", "id_no": make_id_card(901), "mobile": "13712345678"},
        )
        assert case.applicant is None
        services.case_material_add(
            case=case, acting_user=world.clerk, material=world.id_material, upload=helpers.pdf()
        )
        services.case_material_add(
            case=case, acting_user=world.clerk, material=world.place_material, upload=helpers.pdf("p.pdf")
        )
        services.case_material_add(
            case=case,
            acting_user=world.clerk,
            material=world.certificate_material,
            commitment_text="本人承诺。",
        )
        case = services.case_submit(
            case=services.case_save_draft(case=case, acting_user=world.clerk), acting_user=world.clerk
        )
    assert Message.objects.filter(target_ref=case.number).count() == 0
    assert any(m["mobile"] == "13712345678" and case.number in m["text"] for m in MemorySmsSender.outbox)


def test_deadline_warnings_land_in_the_message_centre(world, clock):
    helpers.accepted(world)  # due 16 March
    clock.move_to(at(dt.date(2026, 3, 18)))
    world.head.mobile = ""
    world.head.save(update_fields=["mobile"])
    assert send_deadline_warnings(today=dt.date(2026, 3, 18)) == 2
    for person in (world.reviewer, world.head):
        message = Message.objects.get(recipient=person)
        assert message.category == "case" and message.link == "/workbench/cases/"
        assert "1件办件已超期" in message.body
    # the head has no mobile: the message centre only
    assert [m["mobile"] for m in MemorySmsSender.outbox] == [world.reviewer.mobile]
    assert not Message.objects.filter(recipient=world.stranger_reviewer).exists()


def test_with_mail_turned_on_the_applicant_is_mailed_too(world, settings, django_capture_on_commit_callbacks):
    from django.core import mail

    settings.NOTIFICATIONS_EMAIL = True
    world.citizen.email = "zhangsan@example.cn"
    world.citizen.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        case = helpers.submitted(world)
    assert [m.to for m in mail.outbox] == [["zhangsan@example.cn"]]
    assert case.number in mail.outbox[0].body and f"/my/cases/{case.number}/" in mail.outbox[0].body


def test_a_step_recorded_as_of_an_earlier_moment_dates_its_message_there(
    world, django_capture_on_commit_callbacks
):
    """Demo data and imports record steps as of the past: the applicant's message carries that moment."""
    earlier = at(dt.date(2026, 2, 24), 9)
    with django_capture_on_commit_callbacks(execute=True):
        case = helpers.submitted(world)
    with django_capture_on_commit_callbacks(execute=True), services.acting_as_of(earlier):
        services.case_accept(case=case, acting_user=world.clerk)
    accepted = Message.objects.get(recipient=world.citizen, title__startswith="申请已受理")
    submitted = Message.objects.get(recipient=world.citizen, title__startswith="申请已提交")
    assert accepted.created_at == earlier
    assert submitted.created_at != earlier  # an ordinary step is dated when it happens
