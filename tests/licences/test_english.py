"""Licences in English mode: pages and API messages follow the language; the licence itself stays Chinese."""

from __future__ import annotations

import io
import re

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.utils import translation

from bianmin.licences import services
from tests.licences.helpers import issue
from tests.web.i18n_helpers import pending_english

pytestmark = pytest.mark.django_db


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_licence_pdf_is_chinese_even_when_issued_from_an_english_page(world, monkeypatch):
    rendered = []

    def fake_render(template, context):
        rendered.append(render_to_string(template, context))
        return b"%PDF-1.7 test"

    monkeypatch.setattr(services, "render_pdf", fake_render)
    with translation.override("en"):
        issue(world)
        assert translation.get_language() == "en"  # the override is only around the rendering
    html = rendered[-1]
    assert "发证机关" in html and "有效期" in html
    assert "Issuing authority" not in html and "Validity" not in html


def test_listed_face_values_keep_the_chinese_separator_in_english(world):
    with translation.override("en"):
        data = services._fields(world.licence_type, {"shop_name": ["甲店", "乙店"]})
    assert data["shop_name"] == "甲店、乙店"  # signed licence data must not depend on the reader's language


def test_face_field_labels_are_translated_on_pages_but_not_in_the_pdf(world, client, monkeypatch):
    rendered = []
    monkeypatch.setattr(
        services, "render_pdf", lambda t, c: rendered.append(render_to_string(t, c)) or b"%PDF"
    )
    licence = issue(world)
    client.force_login(world.citizen)
    url = f"/my/licences/{licence.identifier}/"
    assert "<dt>经营场所名称</dt>" in client.get(url).content.decode()
    with pending_english({"经营场所名称": "Name of business premises"}):
        en = _english(client).get(url).content.decode()
        with translation.override("en"):
            services.licence_change(
                licence=licence, acting_user=world.head, reason="变更", holder_name="张三丰"
            )
    assert "<dt>Name of business premises</dt>" in en and "经营场所名称" not in en
    assert "经营场所名称" in rendered[-1] and "Name of business premises" not in rendered[-1]


def test_revoked_verdict_reads_in_english(world, client):
    licence = issue(world)
    services.licence_revoke(licence=licence, acting_user=world.head, kind="revocation", reason="违法经营")
    zh = client.get(f"/licences/verify/{licence.identifier}/").content.decode()
    assert "吊销日期：" in zh and "；原因：违法经营" in zh
    with pending_english():
        en = _english(client).get(f"/licences/verify/{licence.identifier}/").content.decode()
    line = re.search(r"<div>([^<]*; reason: 违法经营)</div>", en)
    assert line and re.fullmatch(r"\w+ date: \d{4}-\d\d-\d\d; reason: 违法经营", line.group(1)), line


def test_share_link_notice_in_english(world, client):
    licence = issue(world)
    client.force_login(world.citizen)
    zh = client.post(f"/my/licences/{licence.identifier}/share/", {"days": 2}).content.decode()
    assert "分享链接（有效至 " in zh and "）：</div>" in zh
    with pending_english():
        en = _english(client).post(f"/my/licences/{licence.identifier}/share/", {"days": 2}).content.decode()
    assert "Share link (valid until " in en and "):</div>" in en
    assert "）：" not in en


def test_workbench_holder_in_english_brackets(world, client):
    licence = issue(world)
    client.force_login(world.head)
    url = f"/workbench/licences/{licence.identifier}/"
    assert f"{licence.holder_name}（{licence.holder_code_masked}）" in client.get(url).content.decode()
    en = _english(client).get(url).content.decode()
    assert f"{licence.holder_name} ({licence.holder_code_masked})" in en


def test_verify_api_errors_follow_the_language(world, api):
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    with pending_english():
        response = api().post(
            "/api/v1/licences/verify/", {"upload": big}, format="multipart", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "File too large (max 10 MB)." or "10 MB" in body["detail"]
    assert body["fields"]["upload"] == ["File too large."]
    big.seek(0)
    zh = api().post("/api/v1/licences/verify/", {"upload": big}, format="multipart").json()
    assert zh["detail"] == "文件过大（最大10MB）。" and zh["fields"]["upload"] == ["文件过大。"]


def test_import_command_reports_rows_in_the_active_language(world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "type_code,licence_no,holder_name,holder_code,issued_on\nNOPE,X1,,123,2023-01-05\n", encoding="utf-8"
    )
    out = io.StringIO()
    call_command("licences", "import", str(path), "--user", world.admin.username, stdout=out)
    assert "第2行：证照类型代码不存在；" in out.getvalue()
    out = io.StringIO()
    with pending_english(), translation.override("en"):
        call_command("licences", "import", str(path), "--user", world.admin.username, stdout=out)
        with pytest.raises(CommandError, match="User nobody does not exist."):
            call_command("licences", "import", str(path), "--user", "nobody", stdout=io.StringIO())
    line = out.getvalue().splitlines()[0]
    assert line.startswith("Row 2: ") and "; " in line and "；" not in line


def test_every_licences_operation_is_documented_in_english(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    operations = {
        op["operationId"]: op
        for path, item in schema["paths"].items()
        if path.startswith(("/api/v1/licences/", "/api/v1/seals/"))
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert len(operations) == 9
    for operation_id, op in operations.items():
        assert op.get("summary"), operation_id  # short Chinese label, as in the other apps
        description = op.get("description", "")
        assert len(description) > 40 and description.isascii() or "(" in description, operation_id
        latin = sum(c.isascii() for c in description)
        assert latin > 0.8 * len(description), (operation_id, description)
    verify = operations["licences_verify"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][verify.rsplit("/", 1)[1]]
    assert component["properties"]["identifier"]["description"].startswith("e-licence identifier")
