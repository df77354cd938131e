"""Workbench pages: editing a draft with its materials and form fields, review, history, certificates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bianmin.catalog.constants import CertificateState, VersionState
from bianmin.catalog.forms import MaterialFormSet
from bianmin.catalog.models import Certificate, ItemVersion, Material, ServiceItem
from tests.catalog.helpers import (
    admin_user,
    catalog_code,
    editor_for,
    implementation_code,
    make_certificate,
    make_item,
    make_published_item,
)
from tests.factories import CitizenFactory, DepartmentFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _edit_payload(version, **overrides):
    data = {
        "status": "1",
        "name": version.name,
        "aliases": "食品许可证\n食品店许可",
        "item_type": version.item_type,
        "exercise_level": version.exercise_level,
        "service_objects": ["1", "2"],
        "conditions": "条件",
        "process_steps": "申请\n受理\n决定",
        "legal_bases": "《中华人民共和国食品安全法》 | 第三十五条 | 从事食品销售应当取得许可",
        "statutory_limit": "20",
        "statutory_limit_unit": "working_day",
        "promised_limit": "8",
        "promised_limit_unit": "working_day",
        "special_steps": "现场核查 | 5 | working_day | 否",
        "handle_kind": "2",
        "handling_forms": ["1", "2"],
        "visits_required": "1",
        "online_depth": ["1", "4"],
        "universal_scope": "4",
        "is_free": "on",
        "fees": "",
        "result_name": "食品经营许可证",
        "result_type": "licence",
        "consultation_phone": "0754-1",
        "materials-TOTAL_FORMS": "2",
        "materials-INITIAL_FORMS": "0",
        "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "1000",
        "materials-0-name": "身份证",
        "materials-0-necessity": "1",
        "materials-0-form": "3",
        "materials-0-original_count": "1",
        "materials-0-copy_count": "1",
        "materials-0-source": "10",
        "materials-1-name": "食品经营许可申请书",
        "materials-1-necessity": "1",
        "materials-1-form": "1",
        "materials-1-original_count": "1",
        "materials-1-copy_count": "0",
        "materials-1-source": "10",
        "materials-1-blank_form": SimpleUploadedFile("申请书.pdf", PDF, content_type="application/pdf"),
        "fields-TOTAL_FORMS": "1",
        "fields-INITIAL_FORMS": "0",
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "1000",
        "fields-0-key": "shop_name",
        "fields-0-label": "店铺名称",
        "fields-0-kind": "text",
        "fields-0-required": "on",
    }
    data.update(overrides)
    return data


def test_editor_edits_a_draft_with_materials_upload_and_form_fields(client):
    item = make_item(materials=[], form_fields=[])
    editor = editor_for(item.department)
    version = item.versions.get()
    client.force_login(editor)
    page = client.get(f"/workbench/catalog/versions/{version.pk}/edit/")
    assert page.status_code == 200 and "编辑草稿" in page.content.decode()
    # The form's cards are spaced (they touched one another).
    assert 'enctype="multipart/form-data" class="stack"' in page.content.decode()
    response = client.post(f"/workbench/catalog/versions/{version.pk}/edit/", _edit_payload(version))
    assert response.status_code == 302, response.content.decode()[:3000]
    version.refresh_from_db()
    assert version.promised_limit == 8 and version.aliases == ["食品许可证", "食品店许可"]
    assert version.legal_bases[0]["article"] == "第三十五条"
    assert version.special_steps == [
        {"name": "现场核查", "duration": 5, "unit": "working_day", "counted": False}
    ]
    assert version.is_online is True
    names = list(version.materials.values_list("name", flat=True))
    assert names == ["身份证", "食品经营许可申请书"]
    material = version.materials.get(name="食品经营许可申请书")
    assert material.blank_form.name.endswith(".pdf")
    assert list(version.form_fields.values_list("key", flat=True)) == ["shop_name"]
    # The draft's file is visible to its editor but not to the public yet.
    assert client.get(f"/catalog/materials/{material.pk}/blank_form/").status_code == 200
    client.logout()
    assert client.get(f"/catalog/materials/{material.pk}/blank_form/").status_code == 404


def test_edit_with_bad_limits_shows_the_message_and_changes_nothing(client):
    item = make_item()
    version = item.versions.get()
    client.force_login(editor_for(item.department))
    response = client.post(
        f"/workbench/catalog/versions/{version.pk}/edit/", _edit_payload(version, promised_limit="30")
    )
    assert response.status_code == 200
    assert "不能超过法定办结时限" in response.content.decode()
    version.refresh_from_db()
    assert version.promised_limit == 10


def test_upload_with_a_false_extension_is_refused(client):
    item = make_item(materials=[], form_fields=[])
    version = item.versions.get()
    client.force_login(editor_for(item.department))
    payload = _edit_payload(
        version,
        **{
            "materials-1-blank_form": SimpleUploadedFile(
                "表.pdf", b"MZ\x90\x00evil", content_type="application/pdf"
            )
        },
    )
    response = client.post(f"/workbench/catalog/versions/{version.pk}/edit/", payload)
    assert response.status_code == 200 and "文件内容须与扩展名一致" in response.content.decode()
    assert not Material.objects.filter(version=version).exists()


def test_submit_review_return_publish_and_history_pages(client):
    item = make_item()
    editor, admin = editor_for(item.department), admin_user()
    version = item.versions.get()
    client.force_login(editor)
    assert client.get("/workbench/catalog/").status_code == 200
    assert client.post(f"/workbench/catalog/versions/{version.pk}/submit/").status_code == 302
    version.refresh_from_db()
    assert version.state == VersionState.IN_REVIEW
    assert client.get("/workbench/catalog/review/").status_code == 403
    client.post(f"/workbench/catalog/versions/{version.pk}/publish/")
    version.refresh_from_db()
    assert version.state == VersionState.IN_REVIEW

    client.force_login(admin)
    queue = client.get("/workbench/catalog/review/")
    assert queue.status_code == 200 and version.name in queue.content.decode()
    client.post(f"/workbench/catalog/versions/{version.pk}/return/", {"comments": "请补充设定依据条文"})
    version.refresh_from_db()
    assert version.state == VersionState.DRAFT and version.review_comments == "请补充设定依据条文"

    client.force_login(editor)
    page = client.get(f"/workbench/catalog/versions/{version.pk}/")
    assert "请补充设定依据条文" in page.content.decode()
    client.post(f"/workbench/catalog/versions/{version.pk}/submit/")
    client.force_login(admin)
    client.post(f"/workbench/catalog/versions/{version.pk}/publish/")
    item.refresh_from_db()
    assert item.current_version_id == version.pk

    client.force_login(editor)
    response = client.post(f"/workbench/catalog/items/{item.pk}/new-draft/")
    draft = ItemVersion.objects.get(item=item, number=2)
    assert response.status_code == 302 and response["Location"].endswith(f"/versions/{draft.pk}/edit/")
    client.post(f"/workbench/catalog/versions/{draft.pk}/edit/", _edit_payload(draft, promised_limit="6"))
    page = client.get(f"/workbench/catalog/versions/{draft.pk}/").content.decode()
    assert "版本对比" in page and "承诺办结时限" in page and "6工作日" in page
    assert "badge-online" in page and "badge-nearby" in page and "badge-instant" not in page
    history = client.get(f"/workbench/catalog/items/{item.pk}/").content.decode()
    assert "第1版" in history and "第2版" in history
    # A published version cannot be edited through the page either.
    response = client.post(
        f"/workbench/catalog/versions/{version.pk}/edit/", _edit_payload(version, name="改名")
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.name == "食品经营许可"


def test_create_item_page(client):
    department = DepartmentFactory()
    client.force_login(editor_for(department))
    code = catalog_code()
    response = client.post(
        "/workbench/catalog/new/",
        {
            "department": department.pk,
            "catalog_code": code,
            "implementation_code": implementation_code(department, code),
            "name": "户外广告设置许可",
            "item_type": "01",
            "exercise_level": "4",
            "service_objects": ["2"],
            "handle_kind": "2",
            "visits_required": "1",
        },
    )
    assert response.status_code == 302
    assert ServiceItem.objects.get(catalog_code=code).versions.get().name == "户外广告设置许可"
    bad = client.post(
        "/workbench/catalog/new/",
        {
            "department": department.pk,
            "catalog_code": catalog_code(),
            "implementation_code": "X" * 31,
            "name": "坏编码",
            "item_type": "01",
            "exercise_level": "4",
            "service_objects": ["2"],
            "handle_kind": "2",
            "visits_required": "1",
        },
    )
    assert bad.status_code == 200 and "实施编码" in bad.content.decode()
    assert not ServiceItem.objects.filter(versions__name="坏编码").exists()


def test_other_department_and_citizens_are_kept_out(client):
    item = make_item()
    version = item.versions.get()
    client.force_login(editor_for(DepartmentFactory()))
    assert client.get(f"/workbench/catalog/versions/{version.pk}/").status_code == 404
    assert client.get(f"/workbench/catalog/items/{item.pk}/").status_code == 404
    assert client.post(f"/workbench/catalog/versions/{version.pk}/submit/").status_code == 404
    assert item.code not in client.get("/workbench/catalog/").content.decode()
    client.force_login(CitizenFactory())
    assert client.get("/workbench/catalog/").status_code == 403
    client.logout()
    assert client.get("/workbench/catalog/").status_code == 302  # to login


def test_item_list_page_query_count_is_constant(client, django_assert_max_num_queries):
    department = DepartmentFactory()
    editor = editor_for(department)
    for _ in range(3):
        make_published_item(department=department)
    client.force_login(editor)
    client.get("/workbench/catalog/")
    with django_assert_max_num_queries(12) as few:
        client.get("/workbench/catalog/")
    for _ in range(6):
        make_item(department=department)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/workbench/catalog/").status_code == 200


def test_certificate_pages(client):
    department = DepartmentFactory()
    editor, admin = editor_for(department), admin_user()
    client.force_login(editor)
    response = client.post(
        "/workbench/catalog/certificates/new/",
        {
            "name": "居住证明",
            "legal_basis": "《居住证暂行条例》",
            "requesting_department": department.pk,
            "issuing_unit": "社区居委会",
            "commitment_allowed": "on",
        },
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get(name="居住证明")
    assert certificate.state == CertificateState.DRAFT and certificate.commitment_allowed
    client.post(f"/workbench/catalog/certificates/{certificate.pk}/publish/")
    certificate.refresh_from_db()
    assert certificate.state == CertificateState.DRAFT  # editors do not publish
    client.force_login(admin)
    client.post(f"/workbench/catalog/certificates/{certificate.pk}/publish/")
    certificate.refresh_from_db()
    assert certificate.state == CertificateState.PUBLISHED
    listing = client.get("/workbench/catalog/certificates/").content.decode()
    assert "居住证明" in listing
    make_certificate(state="draft", department=DepartmentFactory())
    client.force_login(editor)
    assert client.get("/workbench/catalog/certificates/").status_code == 200


def test_public_download_of_a_published_blank_form(client):
    item = make_item(materials=[], form_fields=[])
    editor = editor_for(item.department)
    version = item.versions.get()
    client.force_login(editor)
    client.post(f"/workbench/catalog/versions/{version.pk}/edit/", _edit_payload(version))
    client.post(f"/workbench/catalog/versions/{version.pk}/submit/")
    client.force_login(admin_user())
    client.post(f"/workbench/catalog/versions/{version.pk}/publish/")
    client.logout()
    material = Material.objects.get(version=version, name="食品经营许可申请书")
    response = client.get(f"/catalog/materials/{material.pk}/blank_form/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/catalog/materials/{material.pk}/sample/").status_code == 404


def test_codes_of_an_imported_item_are_corrected_on_the_workbench(client):
    from bianmin.catalog import services
    from tests.catalog.helpers import version_data

    department = DepartmentFactory()
    editor = editor_for(department)
    code = catalog_code()
    item = services.item_create(
        acting_user=editor,
        department=department,
        implementation_code=f"TEMP{code}",
        catalog_code=code,
        version_data=version_data(),
        allow_invalid_codes=True,
    )
    client.force_login(editor)
    page = client.get(f"/workbench/catalog/items/{item.pk}/").content.decode()
    assert "更正编码" in page and "不符合国家规则" in page
    response = client.post(
        f"/workbench/catalog/items/{item.pk}/codes/",
        {"catalog_code": code, "implementation_code": f"{department.uscc}5{code}"},
    )
    assert response.status_code == 200 and "行使层级" in response.content.decode()
    response = client.post(
        f"/workbench/catalog/items/{item.pk}/codes/",
        {"catalog_code": code, "implementation_code": implementation_code(department, code)},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.codes_valid and not item.versions.get().needs_correction


def test_saving_a_draft_with_its_blank_rows_untouched_succeeds(client):
    """A browser posts the blank 新增材料 and form-field rows with their selects on the first option."""
    item = make_item(materials=[], form_fields=[])
    version = item.versions.get()
    client.force_login(editor_for(item.department))
    data = _edit_payload(version)
    rendered_blank = MaterialFormSet(prefix="materials").forms[0]
    n = int(data["materials-TOTAL_FORMS"])
    data["materials-TOTAL_FORMS"] = str(n + 1)
    data.update(
        {
            f"materials-{n}-necessity": "1",
            f"materials-{n}-form": rendered_blank["form"].value(),
            f"materials-{n}-original_count": "0",
            f"materials-{n}-copy_count": "0",
            f"materials-{n}-source": "10",
        }
    )
    m = int(data["fields-TOTAL_FORMS"])
    data["fields-TOTAL_FORMS"] = str(m + 1)
    data.update({f"fields-{m}-kind": "text", f"fields-{m}-required": "on"})
    response = client.post(f"/workbench/catalog/versions/{version.pk}/edit/", data)
    assert response.status_code == 302
