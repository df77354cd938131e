"""Licence tests: the case world of tests/cases plus a seal and a licence type produced by its item."""

from __future__ import annotations

import pytest

from bianmin.documents import services as seal_services
from bianmin.licences.models import LicenceType
from tests.cases.conftest import api, build_world, clock  # noqa: F401  (fixtures)
from tests.factories import StaffFactory

DEFINER_USCC = "11100000MB0143028R"  # 国家市场监督管理总局 (format-valid)

FIELDS = [
    {"key": "shop_name", "label": "经营场所名称", "kind": "text"},
    {
        "key": "business_scope",
        "label": "经营项目",
        "kind": "text",
        "default": "预包装食品（含冷藏冷冻食品）销售",
    },
]


def make_licence_type(department, *, item=None, code_suffix: str = "001", **overrides) -> LicenceType:
    licence_type = LicenceType.objects.create(
        code=f"{DEFINER_USCC}{code_suffix}",
        name=overrides.pop("name", "食品经营许可证"),
        definer_name="国家市场监督管理总局",
        issuing_department=department,
        number_prefix="JY3440507",
        fields=overrides.pop("fields", FIELDS),
        validity_years=overrides.pop("validity_years", 5),
        **overrides,
    )
    if item is not None:
        licence_type.items.add(item)
    return licence_type


@pytest.fixture
def admin():
    return StaffFactory(platform_admin=True)


@pytest.fixture
def world(clock, admin):  # noqa: F811  (clock is the imported fixture)
    w = build_world()
    w.admin = admin
    w.seal = seal_services.seal_create(department=w.lead, acting_user=admin)
    w.licence_type = make_licence_type(w.lead, item=w.item)
    return w
