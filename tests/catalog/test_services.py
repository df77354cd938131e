"""Catalog services: validation rules, the version lifecycle, permissions, immutability."""

import pytest

from bianmin.audit.models import AuditEntry
from bianmin.catalog import services
from bianmin.catalog.constants import CertificateState, ItemStatus, VersionState
from bianmin.catalog.exceptions import (
    CatalogPermissionDenied,
    CatalogValidationError,
    PublicationRefused,
    VersionStateConflict,
)
from bianmin.catalog.models import ItemVersion, Material, ServiceItem
from bianmin.core.exceptions import StateConflict
from tests.catalog.helpers import (
    admin_user,
    catalog_code,
    editor_for,
    implementation_code,
    make_certificate,
    make_item,
    make_published_item,
    publish_latest,
    version_data,
)
from tests.factories import DepartmentFactory, StaffFactory

pytestmark = pytest.mark.django_db


# --- creation and codes -----------------------------------------------------------------------


def test_item_create_makes_first_draft_with_materials_fields_and_audit():
    item = make_item()
    version = item.versions.get()
    assert item.code == item.implementation_code and len(item.code) == 31
    assert item.codes_valid is True and item.code_problems == []
    assert version.number == 1 and version.state == VersionState.DRAFT
    assert [m.name for m in version.materials.all()] == ["申请材料1", "申请材料2"]
    assert [f.key for f in version.form_fields.all()] == ["shop_name", "id_no"]
    assert AuditEntry.objects.filter(action="catalog.item_create", object_id=str(item.pk)).exists()


def test_handle_item_code_makes_the_public_code():
    department = DepartmentFactory()
    code = catalog_code()
    item = services.item_create(
        acting_user=editor_for(department),
        department=department,
        implementation_code=implementation_code(department, code),
        handle_item_code="01",
        catalog_code=code,
        version_data=version_data(),
    )
    assert item.code == f"{item.implementation_code}-01"


@pytest.mark.parametrize("handle", ["01/02", "01 02", "事项", "x" * 51])
def test_handle_item_code_that_cannot_be_part_of_a_url_is_refused(handle):
    department = DepartmentFactory()
    code = catalog_code()
    with pytest.raises(CatalogValidationError) as raised:
        services.item_create(
            acting_user=editor_for(department),
            department=department,
            implementation_code=implementation_code(department, code),
            handle_item_code=handle,
            catalog_code=code,
            version_data=version_data(),
        )
    assert "业务办理项编码" in str(raised.value.fields["handle_item_code"])
    assert not ServiceItem.objects.filter(catalog_code=code).exists()


@pytest.mark.parametrize(
    "mangle, message",
    [
        (lambda d, c: f"{d.uscc}4{c}"[:30], "31位"),
        (lambda d, c: f"{d.uscc[:17]}{'0' if d.uscc[17] != '0' else '1'}4{c}", "统一社会信用代码"),
        (lambda d, c: f"{d.uscc}7{c}", "行使层级"),
        (lambda d, c: f"{d.uscc}4{'000999999000'}", "基本编码不一致"),
        (lambda d, c: f"{d.uscc}3{c}", "行使层级"),
    ],
)
def test_bad_implementation_code_is_refused_and_nothing_is_written(mangle, message):
    department = DepartmentFactory()
    code = catalog_code()
    with pytest.raises(CatalogValidationError) as exc:
        services.item_create(
            acting_user=editor_for(department),
            department=department,
            implementation_code=mangle(department, code),
            catalog_code=code,
            version_data=version_data(),
        )
    assert message in " ".join(exc.value.fields["implementation_code"])
    assert not ServiceItem.objects.exists() and not ItemVersion.objects.exists()


def test_code_of_another_departments_uscc_is_refused():
    department, other = DepartmentFactory(), DepartmentFactory()
    code = catalog_code()
    with pytest.raises(CatalogValidationError) as exc:
        services.item_create(
            acting_user=editor_for(department),
            department=department,
            implementation_code=implementation_code(other, code),
            catalog_code=code,
            version_data=version_data(),
        )
    assert "实施主体" in exc.value.message


def test_imported_item_with_bad_codes_is_a_flagged_draft_that_cannot_be_published_until_fixed():
    department = DepartmentFactory()
    editor, admin = editor_for(department), admin_user()
    code = catalog_code()
    bad = f"{department.uscc}9{code}"
    item = services.item_create(
        acting_user=editor,
        department=department,
        implementation_code=bad,
        catalog_code=code,
        version_data=version_data(),
        allow_invalid_codes=True,
        import_notes="第3行",
    )
    version = item.versions.get()
    assert item.codes_valid is False and version.needs_correction is True
    with pytest.raises(PublicationRefused) as exc:
        services.version_submit_for_review(version=version, acting_user=editor)
    assert "行使层级" in exc.value.message
    services.item_update_codes(
        item=item,
        acting_user=editor,
        implementation_code=implementation_code(department, code),
        catalog_code=code,
    )
    item.refresh_from_db()
    version.refresh_from_db()
    assert item.codes_valid and not version.needs_correction
    services.version_submit_for_review(version=version, acting_user=editor)
    services.version_publish(version=version, acting_user=admin)
    item.refresh_from_db()
    assert item.current_version_id == version.pk


def test_duplicate_identity_is_refused():
    item = make_item()
    with pytest.raises(CatalogValidationError):
        services.item_create(
            acting_user=admin_user(),
            department=item.department,
            implementation_code=item.implementation_code,
            catalog_code=item.catalog_code,
            version_data=version_data(),
        )


# --- limits ---------------------------------------------------------------------------------------


def test_promised_limit_over_statutory_is_refused_in_working_days():
    with pytest.raises(CatalogValidationError) as exc:
        make_item(statutory_limit=10, promised_limit=15)
    assert "不能超过法定办结时限" in exc.value.message
    assert not ServiceItem.objects.exists()


def test_promised_over_statutory_in_other_units_is_shown_not_compared():
    item = make_item(statutory_limit=1, statutory_limit_unit="month", promised_limit=15)
    assert item.versions.get().promised_limit == 15


def test_instant_item_must_promise_zero():
    with pytest.raises(CatalogValidationError) as exc:
        make_item(handle_kind="1", promised_limit=1)
    assert "即办件" in exc.value.message
    item = make_item(handle_kind="1", promised_limit=0)
    assert item.versions.get().is_instant is True


def test_update_with_bad_limits_changes_nothing():
    item = make_item()
    version = item.versions.get()
    with pytest.raises(CatalogValidationError):
        services.version_update(
            version=version,
            acting_user=editor_for(item.department),
            data={"name": "新名称", "promised_limit": 99},
        )
    version.refresh_from_db()
    assert version.name == "食品经营许可" and version.promised_limit == 10


@pytest.mark.parametrize(
    "field, value",
    [
        ("service_objects", ["7"]),
        ("item_type", "02"),
        ("online_depth", ["9"]),
        ("handle_kind", "3"),
        ("legal_bases", [{"article": "第一条"}]),
        ("fees", [{"name": "工本费"}]),
        ("visits_required", -1),
    ],
)
def test_invalid_enumerations_are_refused(field, value):
    with pytest.raises(CatalogValidationError) as exc:
        make_item(**{field: value})
    assert field in exc.value.fields


def test_form_fields_validate_kind_keys_and_choices():
    with pytest.raises(CatalogValidationError):
        make_item(form_fields=[{"key": "a", "label": "A"}, {"key": "a", "label": "B"}])
    with pytest.raises(CatalogValidationError):
        make_item(form_fields=[{"key": "kind", "label": "类别", "kind": "choice", "choices": []}])
    with pytest.raises(CatalogValidationError):
        make_item(form_fields=[{"key": "x", "label": "X", "kind": "colour"}])


# --- certificates -------------------------------------------------------------------------------


def test_material_that_is_an_unlisted_certificate_blocks_publication_with_its_name():
    item = make_item(materials=[{"name": "居住证明", "is_certificate": True}])
    with pytest.raises(PublicationRefused) as exc:
        services.version_submit_for_review(
            version=item.versions.get(), acting_user=editor_for(item.department)
        )
    assert "居住证明" in exc.value.message and "证明事项清单" in exc.value.message
    assert item.versions.get().state == VersionState.DRAFT


def test_material_pointing_at_an_unpublished_certificate_blocks_publication():
    certificate = make_certificate(state=CertificateState.DRAFT)
    item = make_item(materials=[{"name": "无犯罪记录证明", "certificate": certificate.pk}])
    version = item.versions.get()
    with pytest.raises(PublicationRefused) as exc:
        services.version_submit_for_review(version=version, acting_user=editor_for(item.department))
    assert "未在证明事项清单中公布" in exc.value.message


def test_certificate_retired_between_submit_and_publish_blocks_publication():
    admin = admin_user()
    certificate = make_certificate(admin=admin)
    item = make_item(materials=[{"name": "无犯罪记录证明", "certificate": certificate.pk}])
    version = item.versions.get()
    services.version_submit_for_review(version=version, acting_user=editor_for(item.department))
    services.certificate_retire(certificate=certificate, acting_user=admin)
    with pytest.raises(PublicationRefused):
        services.version_publish(version=version, acting_user=admin)
    version.refresh_from_db()
    assert version.state == VersionState.IN_REVIEW


def test_material_pointing_at_a_published_certificate_publishes():
    certificate = make_certificate()
    item = make_published_item(materials=[{"name": "无犯罪记录证明", "certificate": certificate.pk}])
    material = item.current_version.materials.get()
    assert material.certificate == certificate and material.is_certificate


def test_certificate_lifecycle_and_permissions():
    department = DepartmentFactory()
    editor = editor_for(department)
    certificate = services.certificate_create(
        acting_user=editor,
        data={
            "name": "亲属关系证明",
            "legal_basis": "依据",
            "requesting_department": department,
            "issuing_unit": "村委会",
        },
    )
    assert certificate.state == CertificateState.DRAFT
    with pytest.raises(CatalogPermissionDenied):
        services.certificate_publish(certificate=certificate, acting_user=editor)
    with pytest.raises(CatalogPermissionDenied):
        services.certificate_update(
            certificate=certificate, acting_user=editor_for(DepartmentFactory()), data={"name": "x"}
        )
    services.certificate_update(certificate=certificate, acting_user=editor, data={"guide": "到村委会开具"})
    admin = admin_user()
    services.certificate_publish(certificate=certificate, acting_user=admin)
    with pytest.raises(VersionStateConflict):
        services.certificate_publish(certificate=certificate, acting_user=admin)
    with pytest.raises(CatalogValidationError):
        services.certificate_create(acting_user=admin, data={"name": "", "requesting_department": department})


# --- lifecycle --------------------------------------------------------------------------------------


def test_full_lifecycle_publish_replace_and_retire():
    item = make_item()
    editor, admin = editor_for(item.department), admin_user()
    v1 = item.versions.get()
    services.version_submit_for_review(version=v1, acting_user=editor)
    services.version_return_to_draft(version=v1, acting_user=admin, comments="请补充收费依据")
    v1.refresh_from_db()
    assert v1.state == VersionState.DRAFT and v1.review_comments == "请补充收费依据"
    services.version_submit_for_review(version=v1, acting_user=editor)
    services.version_publish(version=v1, acting_user=admin)
    item.refresh_from_db()
    assert item.current_version_id == v1.pk and item.search_text

    v2 = services.version_create_draft(item=item, acting_user=editor)
    assert v2.number == 2 and v2.name == v1.name
    assert [m.name for m in v2.materials.all()] == [m.name for m in v1.materials.all()]
    assert [f.key for f in v2.form_fields.all()] == [f.key for f in v1.form_fields.all()]
    assert set(v2.materials.values_list("pk", flat=True)).isdisjoint(
        v1.materials.values_list("pk", flat=True)
    )
    services.version_update(
        version=v2, acting_user=editor, data={"status": ItemStatus.SUSPENDED, "promised_limit": 5}
    )
    services.version_submit_for_review(version=v2, acting_user=editor)
    services.version_publish(version=v2, acting_user=admin)
    v1.refresh_from_db()
    item.refresh_from_db()
    assert v1.state == VersionState.RETIRED and v1.retired_by == admin
    assert item.current_version_id == v2.pk
    assert item.current_version.accepts_applications is False  # 暂停 stops new applications

    services.version_retire(version=v2, acting_user=admin, reason="事项取消")
    item.refresh_from_db()
    assert item.current_version is None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"catalog.version_publish", "catalog.version_return", "catalog.version_retire"} <= actions


def test_wrong_state_transitions_are_conflicts():
    item = make_item()
    editor, admin = editor_for(item.department), admin_user()
    version = item.versions.get()
    with pytest.raises(VersionStateConflict):
        services.version_publish(version=version, acting_user=admin)  # draft, not reviewed
    with pytest.raises(VersionStateConflict):
        services.version_return_to_draft(version=version, acting_user=admin, comments="x")
    services.version_submit_for_review(version=version, acting_user=editor)
    with pytest.raises(VersionStateConflict):
        services.version_submit_for_review(version=version, acting_user=editor)
    with pytest.raises(CatalogValidationError):
        services.version_return_to_draft(version=version, acting_user=admin, comments="  ")
    with pytest.raises(VersionStateConflict):
        services.version_create_draft(item=item, acting_user=editor)  # one open version at a time


def test_nobody_edits_a_published_or_in_review_version():
    item = make_published_item()
    version = item.current_version
    admin = admin_user()
    for user in (editor_for(item.department), admin):
        with pytest.raises(VersionStateConflict) as exc:
            services.version_update(version=version, acting_user=user, data={"name": "改名"})
        assert exc.value.http_status == 409
    version.refresh_from_db()
    assert version.name == "食品经营许可"


def test_model_refuses_to_save_a_published_version_or_its_materials():
    item = make_published_item()
    version = ItemVersion.objects.get(pk=item.current_version_id)
    version.name = "偷偷改名"
    with pytest.raises(StateConflict):
        version.save()
    material = Material.objects.select_related("version").filter(version=version).first()
    material.name = "改"
    with pytest.raises(StateConflict):
        material.save()
    with pytest.raises(StateConflict):
        material.delete()
    assert ItemVersion.objects.get(pk=version.pk).name == "食品经营许可"


# --- permissions ------------------------------------------------------------------------------------


def test_editor_of_another_department_is_refused():
    item = make_item()
    stranger = editor_for(DepartmentFactory())
    version = item.versions.get()
    with pytest.raises(CatalogPermissionDenied):
        services.version_update(version=version, acting_user=stranger, data={"name": "x"})
    with pytest.raises(CatalogPermissionDenied):
        services.version_submit_for_review(version=version, acting_user=stranger)
    with pytest.raises(CatalogPermissionDenied):
        services.item_create(
            acting_user=stranger,
            department=item.department,
            implementation_code=implementation_code(item.department, catalog_code()),
            catalog_code=catalog_code(),
            version_data=version_data(),
        )


def test_editors_and_reviewers_of_a_department_cannot_publish():
    item = make_item()
    editor = editor_for(item.department)
    reviewer = StaffFactory(reviewer=True, department=item.department)
    version = item.versions.get()
    services.version_submit_for_review(version=version, acting_user=editor)
    for user in (editor, reviewer):
        with pytest.raises(CatalogPermissionDenied):
            services.version_publish(version=version, acting_user=user)
    with pytest.raises(CatalogPermissionDenied):
        services.version_update(version=version, acting_user=reviewer, data={})


def test_publish_requires_promised_limit_and_legal_basis():
    item = make_item(promised_limit=None, legal_bases=[])
    with pytest.raises(PublicationRefused) as exc:
        publish_latest(item)
    assert {"promised_limit", "legal_bases"} <= set(exc.value.fields)


def test_update_replaces_materials_keeping_ids_and_form_fields():
    item = make_item()
    editor = editor_for(item.department)
    version = item.versions.get()
    first, second = version.materials.all()
    services.version_update(
        version=version,
        acting_user=editor,
        materials=[{"id": second.pk, "name": "身份证", "order": 1}, {"name": "营业执照", "order": 2}],
        form_fields=[{"key": "shop_name", "label": "门店名称"}],
    )
    names = list(version.materials.values_list("name", flat=True))
    assert names == ["身份证", "营业执照"]
    assert (
        version.materials.filter(pk=second.pk).exists() and not version.materials.filter(pk=first.pk).exists()
    )
    assert list(version.form_fields.values_list("label", flat=True)) == ["门店名称"]


def test_stale_instance_of_a_since_published_version_cannot_be_saved():
    item = make_item()
    stale = ItemVersion.objects.get(pk=item.versions.get().pk)  # loaded while still a draft
    publish_latest(item)
    stale.name = "过期实例改名"
    with pytest.raises(StateConflict):
        stale.save()
    assert ItemVersion.objects.get(pk=stale.pk).name == "食品经营许可"


def test_parent_with_published_sub_items_is_not_applied_for():
    parent = make_published_item()
    department = parent.department
    code = catalog_code()
    sub = services.item_create(
        acting_user=editor_for(department),
        department=department,
        implementation_code=implementation_code(department, code),
        catalog_code=code,
        parent=parent,
        version_data=version_data(name="食品经营许可（新办）"),
    )
    parent.refresh_from_db()
    assert parent.accepts_applications() is True  # the sub-item is not published yet
    publish_latest(sub)
    parent = ServiceItem.objects.get(pk=parent.pk)
    sub = ServiceItem.objects.get(pk=sub.pk)
    assert parent.accepts_applications() is False and sub.accepts_applications() is True
    other = DepartmentFactory()
    with pytest.raises(CatalogValidationError) as exc:
        services.item_create(
            acting_user=admin_user(),
            department=other,
            implementation_code=implementation_code(other, catalog_code()),
            catalog_code=catalog_code(),
            parent=parent,
            version_data=version_data(),
        )
    assert "parent" in exc.value.fields


def test_audit_entries_carry_the_acting_role():
    item = make_published_item()
    roles = dict(
        AuditEntry.objects.filter(object_type="catalog.itemversion").values_list("action", "actor_role")
    )
    assert roles["catalog.version_submit"] == "catalog_editor"
    assert roles["catalog.version_publish"] == "platform_admin"
    assert item.current_version is not None
