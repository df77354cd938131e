"""Building catalog data for tests through the services (so every row is valid and audited)."""

from __future__ import annotations

import itertools

from bianmin.catalog import services
from bianmin.catalog.constants import CertificateState
from bianmin.catalog.models import Certificate
from tests.factories import DepartmentFactory, StaffFactory

_seq = itertools.count(1)


def catalog_code(n: int | None = None) -> str:
    return f"000{(n or next(_seq)):06d}000"


def implementation_code(department, code: str, level: str = "4") -> str:
    return f"{department.uscc}{level}{code}"


def version_data(**overrides) -> dict:
    data = {
        "name": "食品经营许可",
        "aliases": ["食品许可证", "食品店许可"],
        "item_type": "01",
        "exercise_level": "4",
        "service_objects": ["1", "2"],
        "conditions": "有与经营的食品品种、数量相适应的经营场所。",
        "process_steps": ["申请", "受理", "审查", "决定", "送达"],
        "legal_bases": [
            {
                "law": "《中华人民共和国食品安全法》",
                "article": "第三十五条",
                "text": "从事食品销售应当取得许可。",
            }
        ],
        "statutory_limit": 20,
        "statutory_limit_unit": "working_day",
        "promised_limit": 10,
        "promised_limit_unit": "working_day",
        "handle_kind": "2",
        "handling_forms": ["1", "2"],
        "visits_required": 1,
        "online_depth": ["1", "2", "3", "4"],
        "universal_scope": "4",
        "is_free": True,
        "result_name": "食品经营许可证",
        "result_type": "licence",
        "consultation_phone": "0754-88000000",
    }
    data.update(overrides)
    return data


def material_rows(n: int = 2) -> list[dict]:
    return [
        {"name": f"申请材料{i}", "necessity": "1" if i % 2 else "3", "original_count": 1, "copy_count": i}
        for i in range(1, n + 1)
    ]


def admin_user():
    return StaffFactory(platform_admin=True)


def editor_for(department):
    return StaffFactory(catalog_editor=True, department=department)


def make_item(*, department=None, editor=None, materials=None, form_fields=None, code_n=None, **overrides):
    department = department or DepartmentFactory()
    editor = editor or editor_for(department)
    code = catalog_code(code_n)
    return services.item_create(
        acting_user=editor,
        department=department,
        implementation_code=implementation_code(department, code, overrides.get("exercise_level", "4")),
        catalog_code=code,
        version_data=version_data(**overrides),
        materials=material_rows() if materials is None else materials,
        form_fields=form_fields
        if form_fields is not None
        else [
            {"key": "shop_name", "label": "店铺名称", "kind": "text"},
            {"key": "id_no", "label": "身份证号", "kind": "id_card"},
        ],
    )


def publish_latest(item, *, editor=None, admin=None):
    editor = editor or editor_for(item.department)
    admin = admin or admin_user()
    version = item.versions.order_by("-number").first()
    services.version_submit_for_review(version=version, acting_user=editor)
    return services.version_publish(version=version, acting_user=admin)


def make_published_item(**kwargs):
    item = make_item(**kwargs)
    publish_latest(item)
    item.refresh_from_db()
    return item


def make_certificate(*, department=None, state=CertificateState.PUBLISHED, admin=None) -> Certificate:
    admin = admin or admin_user()
    certificate = services.certificate_create(
        acting_user=admin,
        data={
            "name": "无犯罪记录证明",
            "legal_basis": "《中华人民共和国××法》第×条",
            "requesting_department": department or DepartmentFactory(),
            "issuing_unit": "公安派出所",
            "commitment_allowed": True,
            "alternative": "部门核验",
        },
    )
    if state == CertificateState.PUBLISHED:
        certificate = services.certificate_publish(certificate=certificate, acting_user=admin)
    return certificate
