import datetime as dt

import pytest

from bianmin.audit.models import AuditEntry
from bianmin.licences import services
from bianmin.licences.models import LicenceAccessLog
from tests.licences.helpers import issue

pytestmark = pytest.mark.django_db


def test_verify_api_by_identifier_file_and_upload(world, api):
    licence = issue(world)
    client = api()
    response = client.post("/api/v1/licences/verify/", {"identifier": licence.identifier}, format="json")
    assert response.status_code == 200 and response.json()["outcome"] == "valid"
    body = response.json()["licence"]
    assert body["holder_name"] == "张三" and body["holder_code_masked"] != world.citizen.id_card_no
    assert world.citizen.id_card_no not in response.content.decode()
    import json

    document = json.loads(services.licence_file_bytes(licence))
    assert (
        client.post("/api/v1/licences/verify/", {"licence_file": document}, format="json").json()["outcome"]
        == "valid"
    )
    document["data"]["holder_name"] = "王五"
    assert (
        client.post("/api/v1/licences/verify/", {"licence_file": document}, format="json").json()["outcome"]
        == "tampered"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = licence.pdf.open("rb").read()
    upload = SimpleUploadedFile("l.pdf", pdf, content_type="application/pdf")
    assert (
        client.post("/api/v1/licences/verify/", {"upload": upload}, format="multipart").json()["outcome"]
        == "valid"
    )
    assert client.post("/api/v1/licences/verify/", {}, format="json").status_code == 400


def test_seal_keys_are_public_without_private_material(world, api):
    issue(world)
    response = api().get("/api/v1/seals/keys/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "BEGIN PUBLIC KEY" in text and "PRIVATE" not in text and "sm4g" not in text


def test_wallet_api_lists_only_own_licences(world, api, django_assert_max_num_queries):
    mine = issue(world)
    issue(world, holder=world.other_citizen)
    client = api(world.citizen)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/licences/")
    assert [r["identifier"] for r in response.json()["results"]] == [mine.identifier]
    assert client.get(f"/api/v1/licences/{mine.identifier}/").status_code == 200
    theirs = api(world.other_citizen).get(f"/api/v1/licences/{mine.identifier}/")
    assert theirs.status_code == 404


def test_revoke_api_only_issuing_head(world, api):
    licence = issue(world)
    url = f"/api/v1/licences/{licence.identifier}/revoke/"
    payload = {"kind": "cancellation", "reason": "持证人申请注销"}
    assert api(world.reviewer).post(url, payload, format="json").status_code == 404
    assert api(world.citizen).post(url, payload, format="json").status_code == 403
    response = api(world.head).post(url, payload, format="json")
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert api(world.head).post(url, payload, format="json").status_code == 409
    renew = api(world.head).post(
        f"/api/v1/licences/{licence.identifier}/renew/", {"reason": "x"}, format="json"
    )
    assert renew.status_code == 409


def test_change_api_creates_new_version(world, api):
    licence = issue(world)
    response = api(world.head).post(
        f"/api/v1/licences/{licence.identifier}/change/",
        {"reason": "名称变更", "holder_name": "张三（更名）"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["version"] == 2


def test_share_api_for_holder_only(world, api):
    licence = issue(world)
    url = f"/api/v1/licences/{licence.identifier}/share/"
    assert api(world.other_citizen).post(url, {"days": 3}, format="json").status_code == 404
    response = api(world.citizen).post(url, {"days": 3}, format="json")
    assert response.status_code == 201 and "/licences/s/" in response.json()["url"]
    assert api(world.citizen).post(url, {"days": 99}, format="json").status_code == 400


def test_shared_query_is_logged_and_staff_only(world, api):
    from tests.cases import helpers as case_helpers

    case = case_helpers.submitted(world)
    licence = issue(world)
    url = "/api/v1/licences/shared/"
    params = {"holder_code": world.citizen.id_card_no, "purpose": "核验食品经营许可", "case": case.number}
    assert api(world.citizen).get(url, params).status_code == 403
    assert api(world.clerk).get(url, {**params, "purpose": ""}).status_code == 400
    response = api(world.partner_reviewer).get(url, params)
    assert response.status_code == 200 and [r["identifier"] for r in response.json()] == [licence.identifier]
    log = LicenceAccessLog.objects.get()
    assert (log.requested_by, log.purpose, log.case_number, log.result_count) == (
        world.partner_reviewer,
        "核验食品经营许可",
        case.number,
        1,
    )
    assert log.department_id == world.partner.pk
    entry = AuditEntry.objects.get(action="licences.shared_query")
    assert world.citizen.id_card_no not in str(entry.changes)
    assert api(world.clerk).get(url, {**params, "case": "44050720260302XXXX00001"}).status_code == 400


def test_expired_share_link(world, clock, client):
    licence = issue(world)
    token, expires_at = services.share_link_create(licence=licence, acting_user=world.citizen, days=1)
    response = client.get(f"/licences/s/{token}/")
    assert response.status_code == 200 and "证照真实有效" in response.content.decode()
    clock.move_to(expires_at + dt.timedelta(seconds=1))
    assert client.get(f"/licences/s/{token}/").status_code == 404
    assert client.get(f"/licences/s/{token[:-2]}xx/").status_code == 404
