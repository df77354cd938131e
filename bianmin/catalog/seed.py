"""The demo catalog of Longhu district: the certificate list and ~55 published items.

Everything goes through the catalog services (validated, audited, published through the normal
draft → in review → published path) acting as the demo platform administrator. Idempotent: items
are found by their public code and certificates by (name, requesting unit); existing rows are left
alone, so a second run creates nothing.
"""

from __future__ import annotations

import functools
import importlib
import io
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Q

from bianmin.accounts.constants import Role
from bianmin.catalog import services
from bianmin.catalog.constants import CertificateState, VersionState
from bianmin.catalog.models import Certificate, ServiceItem, Theme, build_item_code
from bianmin.catalog.seed_data.certificates import CERTIFICATES
from bianmin.catalog.seed_data.items import DEPARTMENTS, ITEMS
from bianmin.organisations.models import Department

VERSION_KEYS = set(services.VERSION_SCALAR_FIELDS) | {"themes", "partner_departments"}


def seed_actor():
    """The demo platform administrator (accounts seed), or any active superuser / platform admin."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(role_assignments__role=Role.PLATFORM_ADMIN, role_assignments__is_active=True)
        )
        .order_by("-is_superuser", "pk")
        .first()
    )


def find_departments() -> dict[str, Department]:
    """Department keys of seed_data.items → Department rows (exact name first, then keywords)."""
    rows = list(Department.objects.all())
    by_name = {d.name: d for d in rows}
    found: dict[str, Department] = {}
    for key, (name, keywords) in DEPARTMENTS.items():
        dept = by_name.get(name)
        if dept is None:
            dept = next((d for d in rows for kw in keywords if kw in d.name), None)
        if dept is not None:
            found[key] = dept
    return found


@functools.lru_cache(maxsize=256)
def _xlsx(title: str, rows: tuple[tuple[str, str], ...]) -> bytes:
    """A small spreadsheet: a blank application form (label, empty box) or a filled-in sample."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "表格"
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:B1")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 48
    for index, (label, value) in enumerate(rows, start=3):
        ws.cell(row=index, column=1, value=label).alignment = Alignment(vertical="top")
        ws.cell(row=index, column=2, value=value)
    ws.cell(row=len(rows) + 4, column=1, value="申请人（签名/盖章）：")
    ws.cell(row=len(rows) + 5, column=1, value="日期：    年    月    日")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


SAMPLE_VALUES = {
    "text": "陈小明",
    "textarea": "（按实际情况填写）",
    "number": "100",
    "date": "2026-01-15",
    "choice": "",
    "id_card": "440507199001011234（示例）",
    "uscc": "91440507MA5XXXXXXX（示例）",
    "mobile": "13800000000",
    "address": "汕头市龙湖区金霞街道金新路28号",
}


def _material_rows(spec: dict, certificates: dict[str, Certificate]) -> list[dict[str, Any]]:
    rows = []
    fields = spec.get("form_fields") or []
    for order, m in enumerate(spec.get("materials") or [], start=1):
        row = {k: v for k, v in m.items() if k not in ("cert", "blank", "sample") and v not in (None, "")}
        row["order"] = order
        if m.get("cert"):
            row["certificate"] = certificates[m["cert"]]
            row["is_certificate"] = True
        if m.get("blank"):
            blank = tuple((f["label"], "") for f in fields) or (("内容", ""),)
            row["blank_form"] = ContentFile(_xlsx(m["name"], blank), name=f"{spec['key']}-{order}-blank.xlsx")
        if m.get("sample"):
            sample = tuple(
                (f["label"], (f["choices"][0] if f.get("choices") else SAMPLE_VALUES.get(f["kind"], "")))
                for f in fields
            ) or (("内容", "（示例）"),)
            row["sample"] = ContentFile(
                _xlsx(m["name"] + "（示例）", sample), name=f"{spec['key']}-{order}-sample.xlsx"
            )
        rows.append(row)
    return rows


def _version_data(spec: dict, departments: dict[str, Department], themes: set[str]) -> dict[str, Any]:
    data = {k: v for k, v in spec.items() if k in VERSION_KEYS}
    # Themes are reference data of migration 0002; a flushed test database may lack them.
    data["themes"] = [t for t in spec.get("themes", []) if t in themes]
    data.setdefault("exercise_level", spec.get("level", "4"))
    data["exercise_level"] = spec.get("level", data["exercise_level"])
    data.setdefault("consultation_phone", departments[spec["dept"]].phone or "12345")
    data.setdefault("supervision_phone", "12345")
    data["partner_departments"] = [departments[k] for k in spec.get("partners", []) if k in departments]
    return data


def _publish(item: ServiceItem, actor) -> None:
    version = item.versions.order_by("-number").first()
    if version.state == VersionState.DRAFT:
        version = services.version_submit_for_review(version=version, acting_user=actor)
    if version.state == VersionState.IN_REVIEW:
        services.version_publish(version=version, acting_user=actor)


def _create_item(
    spec, *, department, actor, certificates, departments, parent=None
) -> tuple[ServiceItem, bool]:
    level = spec.get("level", "4")
    implementation_code = f"{department.uscc}{level}{spec['catalog_code']}"
    handle = spec.get("handle_item_code", "")
    handle_code = f"{implementation_code}{handle}" if handle else ""
    existing = ServiceItem.objects.filter(code=build_item_code(implementation_code, handle_code)).first()
    if existing is not None:
        if existing.current_version_id is None:
            _publish(existing, actor)
        return existing, False
    item = services.item_create(
        acting_user=actor,
        department=department,
        implementation_code=implementation_code,
        catalog_code=spec["catalog_code"],
        handle_item_code=handle_code,
        parent=parent,
        version_data=_version_data(spec, departments, set(Theme.objects.values_list("code", flat=True))),
        materials=_material_rows(spec, certificates),
        form_fields=spec.get("form_fields") or [],
    )
    _publish(item, actor)
    return item, True


def seed_certificates(*, actor, departments) -> tuple[dict[str, Certificate], int]:
    out: dict[str, Certificate] = {}
    created = 0
    for spec in CERTIFICATES:
        dept = departments.get(spec["dept"])
        if dept is None:
            continue
        cert = Certificate.objects.filter(name=spec["name"], requesting_department=dept).first()
        if cert is None:
            data = {k: v for k, v in spec.items() if k not in ("key", "dept")}
            cert = services.certificate_create(
                acting_user=actor, data={**data, "requesting_department": dept}
            )
            created += 1
        if cert.state == CertificateState.DRAFT:
            cert = services.certificate_publish(certificate=cert, acting_user=actor)
        out[spec["key"]] = cert
    return out, created


def seed_themes() -> None:
    """Themes are reference data of migration 0002; a flushed test database lacks them, so restore them."""
    from django.apps import apps as global_apps

    migration = importlib.import_module("bianmin.catalog.migrations.0002_seed_themes")
    migration.seed(global_apps, None)


def seed(*, today=None) -> str:
    seed_themes()
    actor = seed_actor()
    if actor is None:
        return "skipped: no platform administrator to act as (load the accounts seed first)"
    departments = find_departments()
    certificates, certs_created = seed_certificates(actor=actor, departments=departments)
    created = skipped = 0
    for spec in ITEMS:
        department = departments.get(spec["dept"])
        if department is None or any(
            m.get("cert") and m["cert"] not in certificates for m in spec["materials"]
        ):
            skipped += 1
            continue
        parent, was_created = _create_item(
            spec, department=department, actor=actor, certificates=certificates, departments=departments
        )
        created += was_created
        for sub in spec.get("sub_items", []):
            sub_spec = {**spec, **sub, "catalog_code": spec["catalog_code"][:9] + sub["sub"]}
            sub_spec["key"] = f"{spec['key']}-{sub['sub']}"
            sub_spec.pop("sub_items", None)
            _item, was_created = _create_item(
                sub_spec,
                department=department,
                actor=actor,
                certificates=certificates,
                departments=departments,
                parent=parent,
            )
            created += was_created
    total = ServiceItem.objects.filter(current_version__isnull=False).count()
    summary = f"{certs_created} certificates and {created} items created; {total} published items"
    if skipped:
        summary += f"; {skipped} skipped (department missing)"
    return summary
