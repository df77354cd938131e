"""Who sees which cases (lists, queue, overdue), constant query counts, uploads and downloads, public lookup."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bianmin.cases import services
from bianmin.cases.models import CaseMaterial
from bianmin.workdays.services import between
from tests.cases import helpers
from tests.cases.conftest import PNG, at, pdf
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def numbers(response) -> set[str]:
    return {row["number"] for row in response.data["results"]}


def test_lists_are_scoped_to_the_user(world, api):
    mine = helpers.accepted(world)
    theirs = helpers.submitted(world, user=world.other_citizen)  # online, not yet taken in
    company = helpers.submitted(world, user=world.company_member, enterprise=world.enterprise)
    draft = helpers.draft(world)

    assert numbers(api(world.citizen).get("/api/v1/cases/")) == {mine.number, None}
    assert {r["id"] for r in api(world.citizen).get("/api/v1/cases/?state=draft").data["results"]} == {
        str(draft.pk)
    }
    assert numbers(api(world.company_member).get("/api/v1/cases/")) == {company.number}
    # a colleague of the enterprise sees the enterprise's case too
    from tests.factories import EnterpriseMembershipFactory

    colleague = EnterpriseMembershipFactory(enterprise=world.enterprise).user
    assert numbers(api(colleague).get("/api/v1/cases/")) == {company.number}
    # the clerk: the case accepted at their hall and the online ones waiting for intake
    assert numbers(api(world.clerk).get("/api/v1/cases/")) == {mine.number, theirs.number, company.number}
    # the other hall's clerk: only the waiting ones in the list, but any case by number (一窗通办)
    assert numbers(api(world.other_clerk).get("/api/v1/cases/")) == {theirs.number, company.number}
    assert api(world.other_clerk).get(f"/api/v1/cases/{mine.number}/").status_code == 200
    # the lead department sees its cases; another department sees none
    assert mine.number in numbers(api(world.reviewer).get("/api/v1/cases/"))
    assert numbers(api(world.stranger_reviewer).get("/api/v1/cases/")) == set()
    assert api(world.stranger_reviewer).get(f"/api/v1/cases/{mine.number}/").status_code == 404
    # the supervisor sees everything but drafts
    assert numbers(api(world.supervisor).get("/api/v1/cases/")) == {
        mine.number,
        theirs.number,
        company.number,
    }
    # filters
    assert numbers(api(world.clerk).get("/api/v1/cases/?state=accepted")) == {mine.number}
    assert numbers(api(world.clerk).get(f"/api/v1/cases/?item={world.item.code}&state=submitted")) == {
        theirs.number,
        company.number,
    }
    assert numbers(api(world.citizen).get("/api/v1/cases/?mine=1&state=accepted")) == {mine.number}


def test_partner_department_sees_the_case_only_once_it_has_a_task(api, clock):
    from tests.cases.conftest import build_world

    w = build_world(joint=True)
    case = helpers.accepted(w)
    assert api(w.partner_reviewer).get(f"/api/v1/cases/{case.number}/").status_code == 404
    services.case_start_review(case=case, acting_user=w.reviewer)
    assert numbers(api(w.partner_reviewer).get("/api/v1/cases/")) == {case.number}


def test_work_queue_sorted_by_urgency_and_overdue_list(world, api, clock):
    early = helpers.accepted(world)  # due 16 March
    clock.move_to(at(dt.date(2026, 3, 4)))
    late = helpers.accepted(world, user=world.other_citizen)  # due 18 March
    waiting = helpers.submitted(world, user=world.company_member, enterprise=world.enterprise)
    queue = api(world.reviewer).get("/api/v1/cases/queue/").data["results"]
    assert [row["number"] for row in queue] == [early.number, late.number]
    clerk_queue = api(world.clerk).get("/api/v1/cases/queue/").data["results"]
    assert [row["number"] for row in clerk_queue] == [waiting.number]
    # on 17 March the first is overdue: red in lists, in the overdue list and the ?overdue filter
    clock.move_to(at(dt.date(2026, 3, 17)))
    overdue = api(world.supervisor).get("/api/v1/cases/overdue/").data["results"]
    assert [row["number"] for row in overdue] == [early.number]
    assert overdue[0]["clock"]["colour"] == "red"
    assert numbers(api(world.reviewer).get("/api/v1/cases/?overdue=1")) == {early.number}
    assert api(world.citizen).get("/api/v1/cases/overdue/").data["count"] == 1  # their own only
    assert api(world.other_citizen).get("/api/v1/cases/overdue/").data["count"] == 0


@pytest.mark.parametrize(
    ("user_attr", "path"),
    [
        ("clerk", "/api/v1/cases/"),
        ("reviewer", "/api/v1/cases/queue/"),
        ("supervisor", "/api/v1/cases/overdue/"),
        ("citizen", "/api/v1/cases/"),
    ],
)
def test_list_query_count_is_constant(world, api, clock, django_assert_max_num_queries, user_attr, path):
    def fill(count):
        for _ in range(count):
            applicant = CitizenFactory()
            case = helpers.accepted(world, user=applicant)
            case.applicant = getattr(world, user_attr) if user_attr == "citizen" else applicant
            case.save(update_fields=["applicant"])

    between(dt.date(2026, 3, 1), dt.date(2026, 3, 2))  # the calendar is loaded once per process
    fill(2)
    clock.move_to(at(dt.date(2026, 3, 20)))
    client = api(getattr(world, user_attr))
    with CaptureQueriesContext(connection) as small:
        assert client.get(path).status_code == 200
    clock.move_to(at(dt.date(2026, 3, 2)))
    fill(6)
    clock.move_to(at(dt.date(2026, 3, 20)))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(path)
    assert response.status_code == 200 and response.data["count"] >= 8


def test_detail_query_count_does_not_grow_with_materials(world, api, django_assert_max_num_queries):
    case = helpers.concluded(world)
    client = api(world.citizen)
    with CaptureQueriesContext(connection) as before:
        client.get(f"/api/v1/cases/{case.number}/")
    for _ in range(5):
        CaseMaterial.objects.create(case=case, name="附加", kind="upload", added_by=world.citizen)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(f"/api/v1/cases/{case.number}/").status_code == 200


# --- uploads -----------------------------------------------------------------------------------------


def test_upload_type_is_checked_by_content_not_by_name(world, api):
    case = services.case_save_draft(acting_user=world.citizen, item=world.item)
    client = api(world.citizen)
    base = f"/api/v1/cases/{case.pk}/materials/"
    fake = pdf("looks-like.pdf", b"MZ\x90\x00 this is an executable")
    response = client.post(base, {"material": world.id_material.pk, "file": fake}, format="multipart")
    assert response.status_code == 400 and response.data["code"] == "upload_rejected"
    html = pdf("page.pdf", b"<html><script>alert(1)</script></html>")
    assert (
        client.post(base, {"material": world.id_material.pk, "file": html}, format="multipart").status_code
        == 400
    )
    png = pdf("photo.dat", PNG)
    response = client.post(base, {"material": world.id_material.pk, "file": png}, format="multipart")
    assert response.status_code == 200, response.data
    (row,) = [m for m in response.data["materials"] if m["kind"] == "upload"]
    assert row["content_type"] == "image/png" and row["file_name"] == "photo.dat"


def test_upload_size_cap(world, api, settings):
    settings.UPLOAD_MAX_BYTES = 64
    case = services.case_save_draft(acting_user=world.citizen, item=world.item)
    big = pdf("big.pdf", b"%PDF-1.4\n" + b"0" * 100)
    response = api(world.citizen).post(
        f"/api/v1/cases/{case.pk}/materials/",
        {"material": world.id_material.pk, "file": big},
        format="multipart",
    )
    assert response.status_code == 400 and "file" in response.data["fields"]
    assert not CaseMaterial.objects.filter(case=case).exists()


def test_download_only_for_those_who_see_the_case(world, api):
    case = helpers.submitted(world)
    row = case.materials.filter(kind="upload").first()
    path = f"/api/v1/cases/{case.number}/materials/{row.pk}/file/"
    response = api(world.citizen).get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert api(world.clerk).get(path).status_code == 200
    assert api(world.other_citizen).get(path).status_code == 404
    assert api(world.stranger_reviewer).get(path).status_code == 404
    assert api().get(path).status_code in (401, 403)
    # the material of a draft is not reachable by staff
    draft = helpers.draft(world, user=world.other_citizen)
    draft_row = draft.materials.filter(kind="upload").first()
    assert api(world.clerk).get(f"/api/v1/cases/{draft.pk}/materials/{draft_row.pk}/file/").status_code == 404


# --- public progress ---------------------------------------------------------------------------------


def test_public_progress_by_number_and_name_or_phone_tail(world, api):
    case = helpers.accepted(world)
    anonymous = api()
    response = anonymous.get("/api/v1/cases/progress/", {"number": case.number, "name_or_phone_tail": "张三"})
    assert response.status_code == 200
    assert set(response.data) == {
        "number",
        "item_name",
        "department",
        "state",
        "state_label",
        "submitted_at",
        "accepted_on",
        "deadline_on",
        "concluded_at",
        "delivered_at",
    }
    tail = world.citizen.mobile[-4:]
    response = anonymous.get("/api/v1/cases/progress/", {"number": case.number, "name_or_phone_tail": tail})
    assert response.status_code == 200
    for probe in ("李四", "0000", "张"):
        response = anonymous.get(
            "/api/v1/cases/progress/", {"number": case.number, "name_or_phone_tail": probe}
        )
        assert response.status_code == 404
