"""Browsing the trail: page /audit/ and GET /api/v1/audit/ for supervisors and platform admins only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from bianmin.audit.models import AuditEntry
from bianmin.audit.services import audit_record
from tests.factories import CitizenFactory, StaffFactory

pytestmark = pytest.mark.django_db

ID_CARD = "440507199001011234"  # pattern-shaped, masked before storage
MOBILE = "13912345678"
API_URL = "/api/v1/audit/"


@pytest.fixture
def entries():
    reviewer = StaffFactory(reviewer=True, username="reviewer_li")
    clerk = StaffFactory(window_clerk=True, username="clerk_wang")
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        audit_record(
            actor=clerk,
            action="cases.case_submitted",
            object_type="cases.case",
            object_id="4405072026110200010000001",
            object_repr=f"申请人 {ID_CARD}",
            changes={"applicant_id_card_no": ID_CARD, "mobile": MOBILE, "note": f"电话 {MOBILE}"},
        )
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        for n in range(3):
            audit_record(
                actor=reviewer,
                action="cases.case_reviewed",
                object_type="cases.case",
                object_id=f"44050720261120000100000{n}",
                changes={"opinion": "同意"},
            )
        audit_record(
            actor=reviewer,
            action="catalog.version_published",
            object_type="catalog.itemversion",
            object_id="7",
        )
    return {"reviewer": reviewer, "clerk": clerk}


@pytest.fixture
def supervisor():
    return StaffFactory(supervisor=True)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_changes_and_object_repr_are_masked_at_write(entries):
    entry = AuditEntry.objects.get(action="cases.case_submitted")
    assert entry.changes["applicant_id_card_no"] == "4405**********1234"
    assert entry.changes["mobile"] == "139****5678"
    assert entry.changes["note"] == "电话 139****5678"
    assert ID_CARD not in entry.object_repr and "4405**********1234" in entry.object_repr
    assert ID_CARD not in str(entry.changes) and MOBILE not in str(entry.changes)


def test_secrets_in_changes_are_blanked():
    entry = audit_record(
        actor=None,
        action="accounts.password_changed",
        object_type="accounts.user",
        object_id="1",
        changes={"password": "hunter2-Secret", "nested": {"token": "abc"}, "numbers": [13912345678, 42]},
    )
    assert entry.changes == {
        "password": "******",
        "nested": {"token": "******"},
        "numbers": ["139****5678", 42],
    }


def test_page_lists_entries_for_supervisor(client, entries, supervisor, django_assert_max_num_queries):
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "审计日志" in html
    assert "cases.case_reviewed" in html and "catalog.version_published" in html
    assert "4405**********1234" in html
    assert ID_CARD not in html and MOBILE not in html
    assert "综合窗口人员" in html  # the clerk's role, shown by its label


def test_page_query_count_does_not_grow_with_rows(client, entries, supervisor, django_assert_max_num_queries):
    client.force_login(supervisor)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("audit:list"))
    for n in range(30):
        audit_record(actor=entries["reviewer"], action="x.y", object_type="t", object_id=str(n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("audit:list"))
    assert response.content.decode().count("<tr>") > 30


def test_page_filters(client, entries, supervisor):
    client.force_login(supervisor)
    url = reverse("audit:list")
    html = client.get(url, {"action": "cases.*"}).content.decode()
    assert "cases.case_reviewed" in html and "catalog.version_published" not in html
    html = client.get(url, {"date_from": "2026-11-01", "date_to": "2026-11-10"}).content.decode()
    assert "cases.case_submitted" in html and "cases.case_reviewed" not in html
    html = client.get(url, {"actor": "clerk_wang"}).content.decode()
    assert "cases.case_submitted" in html and "cases.case_reviewed" not in html
    html = client.get(url, {"object_type": "catalog.itemversion", "object_id": "7"}).content.decode()
    assert "catalog.version_published" in html and "cases.case_" not in html
    html = client.get(url, {"date_from": "2026-11-10", "date_to": "2026-11-01"}).content.decode()
    assert "截止日期不能早于起始日期" in html


def test_page_refused_to_citizen_and_clerk(client, entries):
    client.force_login(CitizenFactory())
    assert client.get(reverse("audit:list")).status_code == 403
    client.force_login(entries["clerk"])
    assert client.get(reverse("audit:list")).status_code == 403


def test_page_needs_login(client):
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_platform_admin_may_browse(client, entries):
    client.force_login(StaffFactory(platform_admin=True))
    assert client.get(reverse("audit:list")).status_code == 200
    assert _api(StaffFactory(platform_admin=True)).get(API_URL).status_code == 200


def test_api_lists_filtered_entries_for_supervisor(entries, supervisor, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = _api(supervisor).get(API_URL, {"action": "cases.case_reviewed"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first["action"] == "cases.case_reviewed"
    assert first["actor"] == entries["reviewer"].pk
    assert first["actor_role"] == "reviewer"
    assert first["changes"] == {"opinion": "同意"}
    assert {"partition", "seq", "created_at", "ip_address", "object_type", "object_id"} <= set(first)


def test_api_masks_and_filters_by_date_and_actor(entries, supervisor):
    response = _api(supervisor).get(API_URL, {"date_to": "2026-11-02", "actor": str(entries["clerk"].pk)})
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["changes"]["mobile"] == "139****5678"
    assert MOBILE not in response.content.decode()


def test_api_query_count_is_constant(entries, supervisor, django_assert_max_num_queries):
    client = _api(supervisor)
    with django_assert_max_num_queries(5) as few:
        client.get(API_URL)
    for n in range(25):
        audit_record(actor=supervisor, action="x.y", object_type="t", object_id=str(n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(API_URL, {"page_size": 50}).status_code == 200


def test_api_refuses_citizen_and_clerk(entries):
    for user in (CitizenFactory(), entries["clerk"], entries["reviewer"]):
        response = _api(user).get(API_URL)
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    assert APIClient().get(API_URL).status_code in (401, 403)


def test_api_rejects_bad_filters(supervisor):
    response = _api(supervisor).get(API_URL, {"date_from": "2026-11-10", "date_to": "2026-11-01"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "date_to" in response.json()["fields"]


def test_admin_is_read_only(client, entries):
    from django.contrib.admin.sites import site

    from bianmin.audit.admin import AuditEntryAdmin

    superuser = StaffFactory(is_superuser=True, is_staff=True)
    admin = AuditEntryAdmin(AuditEntry, site)
    request = type("R", (), {"user": superuser})()
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)
    client.force_login(superuser)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    entry = AuditEntry.objects.first()
    response = client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
