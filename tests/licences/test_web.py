import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bianmin.licences import services
from tests.licences.helpers import issue

pytestmark = pytest.mark.django_db


def test_public_verify_page_and_form(world, client):
    licence = issue(world)
    page = client.get(f"/licences/verify/{licence.identifier}/")
    html = page.content.decode()
    assert page.status_code == 200 and "证照真实有效" in html and licence.licence_no in html
    assert world.citizen.id_card_no not in html and licence.holder_code_masked in html
    form = client.post("/licences/verify/", {"identifier": licence.identifier})
    assert 'data-outcome="valid"' in form.content.decode()
    flipped = bytearray(services.licence_file_bytes(licence))
    flipped[40] ^= 1
    upload = SimpleUploadedFile("l.json", bytes(flipped), content_type="application/json")
    assert 'data-outcome="tampered"' in client.post("/licences/verify/", {"file": upload}).content.decode()
    assert "请输入电子证照标识" in client.post("/licences/verify/", {}).content.decode()


def test_wallet_lists_downloads_and_shares_for_holder_only(world, client, django_assert_max_num_queries):
    licence = issue(world)
    issue(world, holder=world.other_citizen)
    assert client.get("/my/licences/").status_code == 302
    client.force_login(world.citizen)
    with django_assert_max_num_queries(20):
        page = client.get("/my/licences/")
    html = page.content.decode()
    assert licence.licence_no in html and html.count("/pdf/") == 1
    pdf = client.get(f"/my/licences/{licence.identifier}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    data = client.get(f"/my/licences/{licence.identifier}/file/")
    assert data.status_code == 200 and data.content == services.licence_file_bytes(licence)
    shared = client.post(f"/my/licences/{licence.identifier}/share/", {"days": 2})
    assert "/licences/s/" in shared.content.decode()
    client.force_login(world.other_citizen)
    for suffix in ("", "pdf/", "file/"):
        assert client.get(f"/my/licences/{licence.identifier}/{suffix}").status_code == 404
    assert client.post(f"/my/licences/{licence.identifier}/share/", {"days": 2}).status_code == 404


def test_enterprise_member_sees_enterprise_licences(world, client):
    licence = services.licence_issue(
        licence_type=world.licence_type,
        acting_user=world.head,
        holder_name=world.enterprise.name,
        holder_code=world.enterprise.uscc,
        fields={"shop_name": "门店"},
    )
    client.force_login(world.company_member)
    assert licence.licence_no in client.get("/my/licences/").content.decode()
