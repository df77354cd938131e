"""通知方式: a person may decline SMS (and email) for the notices they may decline; the message centre always
gets every message, and the notices the law requires (a case's 受理、不予受理、补正、决定、送达 …) still go by SMS.
The choice is made on the account page, on its own page and through /api/v1/messages/preferences/."""

from __future__ import annotations

import pytest
from django.core import mail

from bianmin.audit.models import AuditEntry
from bianmin.notifications import services
from bianmin.notifications.constants import Category
from bianmin.notifications.models import Message, NotificationPreference
from bianmin.notifications.senders import MemorySmsSender
from tests.cases import helpers
from tests.factories import CitizenFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _notify(user=None, **kwargs):
    data = {
        "user": user,
        "category": Category.SYSTEM,
        "title": "提醒",
        "body": "正文",
        "sms_text": "短信正文",
    }
    data.update(kwargs)
    services.notify(**data)


def _decline_sms(user):
    services.preference_update(acting_user=user, sms_enabled=False)


# --- notify() honours the choice ------------------------------------------------------------------


def test_by_default_a_notice_with_sms_text_goes_by_sms(django_capture_on_commit_callbacks):
    user = CitizenFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user)
    assert not NotificationPreference.objects.exists()
    assert [m["mobile"] for m in MemorySmsSender.outbox] == [user.mobile]


def test_who_declined_sms_gets_the_message_but_no_sms(django_capture_on_commit_callbacks):
    user = CitizenFactory()
    _decline_sms(user)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user)
        _notify(user, mobile="13900000001")  # the number left on a case or a request is theirs too
    assert Message.objects.filter(recipient=user).count() == 2
    assert MemorySmsSender.outbox == []


def test_a_mandatory_notice_goes_by_sms_whatever_the_choice(django_capture_on_commit_callbacks):
    user = CitizenFactory()
    _decline_sms(user)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user, mandatory=True)
        _notify(user, mobile="13900000001", mandatory=True)
    assert [m["mobile"] for m in MemorySmsSender.outbox] == [user.mobile, "13900000001"]


def test_the_choice_is_read_at_delivery_and_costs_the_calling_request_no_query(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    user = CitizenFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with django_assert_num_queries(0):
            _notify(user)
    _decline_sms(user)  # before the commit delivers it
    for callback in callbacks:
        callback()
    assert Message.objects.filter(recipient=user).count() == 1
    assert MemorySmsSender.outbox == []


def test_a_caller_without_an_account_still_gets_the_sms(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(None, mobile="13900000002")
    assert [m["mobile"] for m in MemorySmsSender.outbox] == ["13900000002"]


def test_a_broadcast_skips_only_those_who_declined(django_capture_on_commit_callbacks):
    keen, quiet = StaffFactory(mobile="13700000001"), StaffFactory(mobile="13700000002")
    _decline_sms(quiet)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(users=[keen, quiet])
    assert [m["mobile"] for m in MemorySmsSender.outbox] == ["13700000001"]
    assert Message.objects.filter(recipient__in=[keen, quiet]).count() == 2


def test_email_follows_the_choice_even_for_a_mandatory_notice(settings, django_capture_on_commit_callbacks):
    """Email is an extra the person accepts (electronic delivery needs consent); SMS carries the legal notice."""
    settings.NOTIFICATIONS_EMAIL = True
    mailed = CitizenFactory(email="zhang@example.cn")
    declined = CitizenFactory(email="li@example.cn")
    services.preference_update(acting_user=declined, email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(users=[mailed, declined], email=True, mandatory=True)
    assert [m.to for m in mail.outbox] == [["zhang@example.cn"]]
    assert len(MemorySmsSender.outbox) == 2


def test_a_case_tells_by_sms_only_its_legally_required_steps_to_who_declined_sms(
    world, django_capture_on_commit_callbacks
):
    _decline_sms(world.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        case = helpers.submitted(world)  # 申请已提交: may be declined
    assert MemorySmsSender.outbox == []
    from bianmin.cases import services as case_services

    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_accept(case=case, acting_user=world.clerk)  # 受理: required
    assert len(MemorySmsSender.outbox) == 1
    assert case.number in MemorySmsSender.outbox[0]["text"] and "受理" in MemorySmsSender.outbox[0]["text"]
    titles = list(Message.objects.filter(recipient=world.citizen).values_list("title", flat=True))
    assert len(titles) == 2  # both steps are in the message centre


# --- the service ------------------------------------------------------------------------------------


def test_preference_update_saves_and_audits_only_a_change():
    user = CitizenFactory()
    services.preference_update(acting_user=user, sms_enabled=False)
    services.preference_update(acting_user=user, sms_enabled=False)  # no change: no second entry
    preference = NotificationPreference.objects.get(user=user)
    assert (preference.sms_enabled, preference.email_enabled) == (False, True)
    entries = AuditEntry.objects.filter(action="notification_preference.update")
    assert entries.count() == 1
    assert entries.get().actor_id == user.pk


# --- the API ---------------------------------------------------------------------------------------


def test_api_reads_the_defaults_and_saves_a_change(api):
    user = CitizenFactory()
    client = api(user)
    body = client.get("/api/v1/messages/preferences/").json()
    assert body["sms_enabled"] is True and body["email_enabled"] is True
    assert body["email_available"] is False and body["mandatory_sms"]
    response = client.patch("/api/v1/messages/preferences/", {"sms_enabled": False}, format="json")
    assert response.status_code == 200 and response.json()["sms_enabled"] is False
    assert NotificationPreference.objects.get(user=user).sms_enabled is False
    assert client.get("/api/v1/messages/preferences/").json()["sms_enabled"] is False


def test_api_refuses_bad_input_and_anonymous_callers(api):
    user = CitizenFactory()
    response = api(user).patch("/api/v1/messages/preferences/", {"sms_enabled": "maybe"}, format="json")
    assert response.status_code == 400 and "sms_enabled" in response.json()["fields"]
    assert not NotificationPreference.objects.exists()
    assert api().get("/api/v1/messages/preferences/").status_code in (401, 403)
    assert api().patch(
        "/api/v1/messages/preferences/", {"sms_enabled": False}, format="json"
    ).status_code in (
        401,
        403,
    )


def test_the_schema_describes_the_preferences(api):
    schema = api().get("/api/schema/?format=json").json()
    operations = schema["paths"]["/api/v1/messages/preferences/"]
    assert set(operations) >= {"get", "patch"}


# --- the pages --------------------------------------------------------------------------------------


def test_the_account_page_shows_the_choice_and_saves_it(client):
    user = CitizenFactory()
    client.force_login(user)
    html = client.get("/accounts/profile/").content.decode()
    assert 'name="sms_enabled" value="1" checked' in html
    assert 'name="email_enabled"' not in html  # the deployment does not mail
    response = client.post("/my/messages/preferences/", {"next": "/accounts/profile/"})  # box unticked
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    assert NotificationPreference.objects.get(user=user).sms_enabled is False
    html = client.get("/accounts/profile/").content.decode()
    assert 'name="sms_enabled" value="1">' in html  # now unticked
    assert "通知方式已保存" in html


def test_the_preferences_page_offers_email_where_the_deployment_mails(client, settings):
    settings.NOTIFICATIONS_EMAIL = True
    staff = StaffFactory(email="wang@example.cn")
    client.force_login(staff)
    html = client.get("/my/messages/preferences/").content.decode()
    assert 'name="email_enabled" value="1" checked' in html and "wang@example.cn" in html
    client.post("/my/messages/preferences/", {"sms_enabled": "1"})
    preference = NotificationPreference.objects.get(user=staff)
    assert (preference.sms_enabled, preference.email_enabled) == (True, False)


def test_the_preferences_page_needs_a_sign_in_and_ignores_a_foreign_next(client):
    response = client.get("/my/messages/preferences/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(CitizenFactory())
    response = client.post("/my/messages/preferences/", {"sms_enabled": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/my/messages/preferences/"


def test_staff_choose_in_the_workbench_and_citizens_may_not(client):
    staff = StaffFactory(reviewer=True)
    client.force_login(staff)
    html = client.get("/workbench/messages/").content.decode()
    assert 'href="/workbench/messages/preferences/"' in html
    page = client.get("/workbench/messages/preferences/").content.decode()
    assert 'action="/workbench/messages/preferences/"' in page
    response = client.post("/workbench/messages/preferences/", {})
    assert response["Location"] == "/workbench/messages/preferences/"
    assert NotificationPreference.objects.get(user=staff).sms_enabled is False
    client.force_login(CitizenFactory())
    assert client.get("/workbench/messages/preferences/").status_code == 403
