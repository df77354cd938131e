"""Catalog API: public items and certificates, the editing API, permissions and pinned query counts."""

import pytest
from rest_framework.test import APIClient

from bianmin.catalog import services
from bianmin.catalog.constants import VersionState
from bianmin.catalog.models import ItemVersion
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


@pytest.fixture
def client():
    return APIClient()


def test_public_list_shows_published_items_with_flags_and_limits(client):
    published = make_published_item(handle_kind="1", promised_limit=0, online_depth=["4"], visits_required=0)
    make_item()  # a draft never shows
    response = client.get("/api/v1/items/")
    assert response.status_code == 200
    assert response.data["count"] == 1
    row = response.data["results"][0]
    assert row["code"] == published.code and row["implementation_code"] == published.implementation_code
    assert row["name"] == "食品经营许可" and row["type"] == "01" and row["type_label"] == "行政许可"
    assert row["promised_limit_days"] == 0 and row["statutory_limit_days"] == 20
    assert row["department"]["short_code"] == published.department.short_code
    assert (row["is_instant"], row["is_online"], row["is_nearby"], row["is_one_visit"]) == (
        True,
        True,
        True,
        True,
    )


def test_public_list_filters(client):
    dept = DepartmentFactory()
    a = make_published_item(
        department=dept, service_objects=["1"], online_depth=["1"], visits_required=2, universal_scope="5"
    )
    b = make_published_item(item_type="20", service_objects=["2"], online_depth=["5"], legal_bases=[])
    from bianmin.catalog.models import Theme

    version = services.version_create_draft(item=b, acting_user=editor_for(b.department))
    services.version_update(
        version=version, acting_user=editor_for(b.department), data={"themes": ["establishment_change"]}
    )
    services.version_submit_for_review(version=version, acting_user=editor_for(b.department))
    services.version_publish(version=version, acting_user=admin_user())
    assert Theme.objects.filter(code="establishment_change").exists()

    def codes(query):
        response = client.get(f"/api/v1/items/?{query}")
        assert response.status_code == 200, response.data
        return {r["code"] for r in response.data["results"]}

    assert codes(f"department={dept.short_code}") == {a.code}
    assert codes(f"department={dept.pk}") == {a.code}  # not 4 characters: a database id
    assert codes("department=abc") == set()
    assert codes("type=20") == {b.code}
    assert codes("target=natural") == {a.code}
    assert codes("target=legal") == {b.code}
    assert codes("online=1") == {b.code}
    assert codes("one_visit=1") == {b.code}
    assert codes("nearby=1") == {b.code}
    assert codes("theme=establishment_change") == {b.code}
    assert codes("q=食品") == {a.code, b.code}
    assert codes("q=不存在的事项") == set()
    assert client.get("/api/v1/items/?target=alien").status_code == 400


def test_public_detail_by_code_with_materials_and_form_fields(client):
    certificate = make_certificate()
    item = make_published_item(
        materials=[
            {"name": "身份证"},
            {"name": "无犯罪记录证明", "certificate": certificate.pk, "necessity": "3"},
        ]
    )
    response = client.get(f"/api/v1/items/{item.code}/")
    assert response.status_code == 200
    data = response.data
    assert [m["name"] for m in data["materials"]] == ["身份证", "无犯罪记录证明"]
    assert data["materials"][1]["certificate"]["name"] == "无犯罪记录证明"
    assert data["materials"][1]["necessity_label"] == "容缺后补"
    assert [f["key"] for f in data["form_fields"]] == ["shop_name", "id_no"]
    assert data["form_fields"][1]["kind"] == "id_card"
    assert data["promised_limit"] == {
        "number": 10,
        "unit": "working_day",
        "unit_label": "工作日",
        "explanation": "",
    }
    assert data["legal_bases"][0]["law"] == "《中华人民共和国食品安全法》"
    assert data["accepts_applications"] is True


def test_detail_of_unpublished_or_unknown_item_is_404(client):
    item = make_item()
    assert client.get(f"/api/v1/items/{item.code}/").status_code == 404
    response = client.get("/api/v1/items/NOPE/")
    assert response.status_code == 404 and response.data["code"] == "not_found"


def test_handle_item_code_in_url(client):
    department = DepartmentFactory()
    code = catalog_code()
    item = services.item_create(
        acting_user=editor_for(department),
        department=department,
        implementation_code=implementation_code(department, code),
        handle_item_code="A01",
        catalog_code=code,
        version_data={
            "name": "情形一",
            "item_type": "07",
            "exercise_level": "4",
            "service_objects": ["1"],
            "handle_kind": "2",
            "visits_required": 1,
            "promised_limit": 5,
            "legal_bases": [{"law": "某法"}],
        },
    )
    from tests.catalog.helpers import publish_latest

    publish_latest(item)
    response = client.get(f"/api/v1/items/{item.code}/")
    assert response.status_code == 200 and response.data["handle_item_code"] == "A01"


def _grow(n, department):
    for _ in range(n):
        make_published_item(department=department, materials=[{"name": f"材料{i}"} for i in range(3)])


def test_list_query_count_does_not_grow_with_items(client, django_assert_max_num_queries):
    department = DepartmentFactory()
    _grow(2, department)
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/items/").status_code == 200
    _grow(6, department)
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/items/?online=1")
    assert response.data["count"] == 8


def test_detail_query_count_does_not_grow_with_materials(client, django_assert_max_num_queries):
    small = make_published_item(materials=[{"name": "甲"}])
    big = make_published_item(
        materials=[{"name": f"材料{i}", "certificate": make_certificate().pk} for i in range(12)]
    )
    for item in (small, big):
        with django_assert_max_num_queries(8):
            assert client.get(f"/api/v1/items/{item.code}/").status_code == 200


def test_certificates_are_public_only_when_published(client, django_assert_max_num_queries):
    published = make_certificate()
    make_certificate(state="draft")
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/certificates/")
    assert [c["id"] for c in response.data["results"]] == [published.pk]
    assert client.get(f"/api/v1/certificates/{published.pk}/").status_code == 200
    assert client.get(f"/api/v1/certificates/{published.pk + 1}/").status_code == 404


# --- editing API --------------------------------------------------------------------------------


def test_editing_api_full_cycle(client):
    department = DepartmentFactory()
    editor, admin = editor_for(department), admin_user()
    code = catalog_code()
    client.force_authenticate(editor)
    response = client.post(
        "/api/v1/item-versions/new-item/",
        {
            "department": department.short_code,
            "implementation_code": implementation_code(department, code),
            "catalog_code": code,
            "name": "排水许可",
            "item_type": "01",
            "exercise_level": "4",
            "service_objects": ["2"],
            "handle_kind": "2",
            "visits_required": 1,
            "statutory_limit": 20,
            "promised_limit": 7,
            "legal_bases": [{"law": "《城镇排水与污水处理条例》", "article": "第二十一条"}],
            "materials": [{"name": "排水许可申请表"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    version_id = response.data["id"]
    assert response.data["state"] == "draft" and response.data["materials"][0]["name"] == "排水许可申请表"

    response = client.patch(f"/api/v1/item-versions/{version_id}/", {"promised_limit": 30}, format="json")
    assert response.status_code == 400 and response.data["code"] == "catalog_invalid"
    assert "promised_limit" in response.data["fields"]
    response = client.patch(
        f"/api/v1/item-versions/{version_id}/", {"promised_limit": 5, "aliases": ["排水证"]}, format="json"
    )
    assert response.status_code == 200 and response.data["promised_limit"] == 5

    assert client.post(f"/api/v1/item-versions/{version_id}/submit/").status_code == 200
    response = client.patch(f"/api/v1/item-versions/{version_id}/", {"name": "改"}, format="json")
    assert response.status_code == 409
    assert client.post(f"/api/v1/item-versions/{version_id}/publish/").status_code == 403

    client.force_authenticate(admin)
    response = client.post(f"/api/v1/item-versions/{version_id}/return/", {}, format="json")
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/item-versions/{version_id}/return/", {"comments": "请补充材料"}, format="json"
    )
    assert response.status_code == 200 and response.data["state"] == "draft"
    client.force_authenticate(editor)
    client.post(f"/api/v1/item-versions/{version_id}/submit/")
    client.force_authenticate(admin)
    response = client.post(f"/api/v1/item-versions/{version_id}/publish/")
    assert response.status_code == 200 and response.data["state"] == "published"
    item_code = response.data["item_code"]
    assert client.get(f"/api/v1/items/{item_code}/").status_code == 200

    client.force_authenticate(editor)
    response = client.post("/api/v1/item-versions/", {"item": item_code}, format="json")
    assert response.status_code == 201 and response.data["number"] == 2
    new_id = response.data["id"]
    client.patch(f"/api/v1/item-versions/{new_id}/", {"visits_required": 0}, format="json")
    response = client.get(f"/api/v1/item-versions/{new_id}/diff/")
    assert response.status_code == 200
    assert {"field": "到现场次数", "old": "1", "new": "0"} in response.data["changes"]
    assert (
        client.patch(f"/api/v1/item-versions/{version_id}/", {"name": "改"}, format="json").status_code == 409
    )


def test_editing_api_refuses_citizens_anonymous_and_other_departments(client):
    item = make_item()
    version = item.versions.get()
    assert client.get("/api/v1/item-versions/").status_code in (401, 403)
    client.force_authenticate(CitizenFactory())
    assert client.get("/api/v1/item-versions/").status_code == 403
    assert (
        client.patch(f"/api/v1/item-versions/{version.pk}/", {"name": "x"}, format="json").status_code == 403
    )
    client.force_authenticate(editor_for(DepartmentFactory()))
    assert client.get(f"/api/v1/item-versions/{version.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/item-versions/{version.pk}/", {"name": "x"}, format="json").status_code == 404
    )
    assert client.post(f"/api/v1/item-versions/{version.pk}/submit/").status_code == 404
    assert client.post("/api/v1/item-versions/", {"item": item.code}, format="json").status_code == 404
    listed = client.get("/api/v1/item-versions/").data
    assert listed["count"] == 0
    assert ItemVersion.objects.get(pk=version.pk).state == VersionState.DRAFT


def test_editing_api_bad_code_is_400_and_writes_nothing(client):
    department = DepartmentFactory()
    client.force_authenticate(editor_for(department))
    response = client.post(
        "/api/v1/item-versions/new-item/",
        {
            "department": department.short_code,
            "implementation_code": "1" * 31,
            "catalog_code": "000000000000",
            "name": "x",
            "item_type": "01",
            "exercise_level": "4",
            "service_objects": ["1"],
            "handle_kind": "2",
            "visits_required": 1,
        },
        format="json",
    )
    assert response.status_code == 400 and "implementation_code" in response.data["fields"]
    assert not ItemVersion.objects.exists()


def test_version_list_query_count(client, django_assert_max_num_queries):
    admin = admin_user()
    for _ in range(5):
        make_item()
    client.force_authenticate(admin)
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/item-versions/")
    assert response.data["count"] == 5


def test_certificate_editing_api(client):
    department = DepartmentFactory()
    editor, admin = editor_for(department), admin_user()
    payload = {
        "name": "亲属关系证明",
        "legal_basis": "《××条例》第×条",
        "requesting_department": department.short_code,
        "issuing_unit": "户籍所在地村（居）委会",
        "commitment_allowed": True,
    }
    assert client.post("/api/v1/certificates/", payload, format="json").status_code in (401, 403)
    client.force_authenticate(CitizenFactory())
    assert client.post("/api/v1/certificates/", payload, format="json").status_code == 403
    client.force_authenticate(editor_for(DepartmentFactory()))
    assert client.post("/api/v1/certificates/", payload, format="json").status_code == 403

    client.force_authenticate(editor)
    response = client.post("/api/v1/certificates/", payload, format="json")
    assert response.status_code == 201 and response.data["state"] == "draft"
    pk = response.data["id"]
    assert client.get(f"/api/v1/certificates/{pk}/").status_code == 200  # its editor sees the draft
    response = client.patch(f"/api/v1/certificates/{pk}/", {"guide": "携带户口簿到村委会开具"}, format="json")
    assert response.status_code == 200 and response.data["guide"] == "携带户口簿到村委会开具"
    assert client.post(f"/api/v1/certificates/{pk}/publish/").status_code == 403

    client.force_authenticate(None)
    assert client.get(f"/api/v1/certificates/{pk}/").status_code == 404  # drafts are not public

    client.force_authenticate(admin)
    assert client.post(f"/api/v1/certificates/{pk}/publish/").status_code == 200
    assert client.post(f"/api/v1/certificates/{pk}/publish/").status_code == 409
    client.force_authenticate(None)
    assert client.get(f"/api/v1/certificates/{pk}/").status_code == 200
    client.force_authenticate(admin)
    response = client.post(f"/api/v1/certificates/{pk}/retire/", {"reason": "已取消"}, format="json")
    assert response.status_code == 200 and response.data["state"] == "retired"
    client.force_authenticate(None)
    assert client.get("/api/v1/certificates/").data["count"] == 0
