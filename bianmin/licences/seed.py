"""Demo seals and licences: one approval seal (行政审批专用章) per department, the licence types the demo
items produce (营业执照, 食品经营许可证, 建筑工程施工许可证), and the licences of the demo cases already
approved (the cases seed runs first, before any licence type existed). Idempotent."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from bianmin.cases.models import Case
from bianmin.core.validators import uscc_check_char
from bianmin.documents import services as seal_services
from bianmin.documents.models import Seal
from bianmin.licences import services
from bianmin.licences.models import Licence, LicenceType
from bianmin.organisations.models import Department

SCJ = "汕头市龙湖区市场监督管理局"
ZJJ = "汕头市龙湖区住房和城乡建设局"
SAMR = "11100000MB0143028"  # 国家市场监督管理总局 (first 17; the check character is computed)
MOHURD = "11100000000013338"  # 住房和城乡建设部


def _uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


# Field labels are stored in Chinese (the licence's own language); pages show them through gettext
# (services.labelled_fields), so they are marked for the English catalog.
TYPES = [
    {
        "code": _uscc(SAMR) + "001",
        "local_code": "BUSINESS_LICENCE",
        "name": "营业执照",
        "definer_name": "国家市场监督管理总局",
        "department": SCJ,
        "items": ["企业设立登记", "个体工商户设立登记"],
        "number_prefix": "",
        "validity_years": 0,
        "fields": [
            {"key": "legal_representative", "label": gettext_noop("法定代表人（经营者）"), "kind": "text"},
            {"key": "premises", "label": gettext_noop("住所（经营场所）"), "kind": "text"},
            {
                "key": "business_scope",
                "label": gettext_noop("经营范围"),
                "kind": "text",
                "default": "一般项目：食品销售（仅销售预包装食品）。",
            },
        ],
    },
    {
        "code": _uscc(SAMR) + "002",
        "local_code": "FOOD_BUSINESS_LICENCE",
        "name": "食品经营许可证",
        "definer_name": "国家市场监督管理总局",
        "department": SCJ,
        "items": ["食品经营许可（新办）"],
        "number_prefix": "JY3440507",
        "validity_years": 5,
        "fields": [
            {"key": "premises", "label": gettext_noop("经营场所"), "kind": "text"},
            {
                "key": "entity_kind",
                "label": gettext_noop("主体业态"),
                "kind": "text",
                "default": "餐饮服务经营者（小型餐馆）",
            },
            {
                "key": "business_scope",
                "label": gettext_noop("经营项目"),
                "kind": "text",
                "default": "热食类食品制售",
            },
            {
                "key": "supervisor",
                "label": gettext_noop("日常监督管理机构"),
                "kind": "text",
                "default": "龙湖区市场监督管理局金霞市场监督管理所",
            },
            {
                "key": "complaint_phone",
                "label": gettext_noop("投诉举报电话"),
                "kind": "text",
                "default": "12315",
            },
        ],
    },
    {
        "code": _uscc(MOHURD) + "050",
        "local_code": "CONSTRUCTION_PERMIT",
        "name": "建筑工程施工许可证",
        "definer_name": "住房和城乡建设部",
        "department": ZJJ,
        "items": ["建筑工程施工许可证核发"],
        "number_prefix": "440507",
        "validity_years": 0,
        "fields": [
            {
                "key": "project_name",
                "label": gettext_noop("工程名称"),
                "kind": "text",
                "default": "龙湖区示范工程",
            },
            {"key": "premises", "label": gettext_noop("建设地址"), "kind": "text"},
        ],
    },
]


def _actor():
    from bianmin.catalog.seed import seed_actor

    return seed_actor()


def seed(*, today) -> str:
    actor = _actor()
    if actor is None:
        return "skipped (no platform administrator)"
    from bianmin.catalog.models import ServiceItem

    seals = 0
    for department in Department.objects.filter(is_active=True).order_by("pk"):
        if not Seal.objects.filter(department=department).exists():
            seal_services.seal_create(
                department=department, acting_user=actor, valid_from=today.replace(month=1, day=1)
            )
            seals += 1
    types = 0
    departments = {d.name: d for d in Department.objects.filter(name__in={SCJ, ZJJ})}
    for spec in TYPES:
        department = departments.get(spec["department"])
        if department is None:
            continue
        licence_type, created = LicenceType.objects.get_or_create(
            code=spec["code"],
            defaults={
                "local_code": spec["local_code"],
                "name": spec["name"],
                "definer_name": spec["definer_name"],
                "issuing_department": department,
                "number_prefix": spec["number_prefix"],
                "validity_years": spec["validity_years"],
                "fields": spec["fields"],
            },
        )
        types += created
        items = ServiceItem.objects.filter(current_version__name__in=spec["items"], department=department)
        licence_type.items.add(*items)
    issued = 0
    approved = (
        Case.objects.filter(decision="approved")
        .select_related("item", "concluded_by")
        .order_by("concluded_at")
    )
    for case in approved:
        for licence_type in LicenceType.objects.filter(items=case.item):
            if Licence.objects.filter(case=case, licence_type=licence_type).exists():
                continue
            if services.licence_issue_for_case(
                case=case, licence_type=licence_type, acting_user=case.concluded_by
            ):
                issued += 1
    return f"{seals} seals, {types} licence types, {issued} licences"
