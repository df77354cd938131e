"""Demo data: request categories (Open311 services), the smart guide's FAQ, and a few requests in each state."""

from __future__ import annotations

from bianmin.hotline.faq_data import CATEGORIES, CATEGORY_ATTRIBUTES, FAQ, NO_LOCATION


def seed(*, today) -> str:
    from bianmin.accounts.models import User
    from bianmin.catalog.models import ServiceItem
    from bianmin.hotline import services
    from bianmin.hotline.models import CategoryAttribute, FaqEntry, RequestCategory, ServiceRequest
    from bianmin.organisations.models import Department

    departments = {d.short_name: d for d in Department.objects.all()}
    for order, (code, name, group, kind, dept, keywords, description, public) in enumerate(CATEGORIES):
        category, _created = RequestCategory.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "default_kind": kind,
                "department": departments.get(dept),
                "keywords": keywords,
                "description": description,
                "is_public": public,
                "requires_location": code not in NO_LOCATION,
                "sort_order": order,
            },
        )
        for position, spec in enumerate(CATEGORY_ATTRIBUTES.get(code, []), start=1):
            CategoryAttribute.objects.update_or_create(
                category=category,
                code=spec["code"],
                defaults={
                    "datatype": spec["datatype"],
                    "is_variable": spec.get("variable", True),
                    "is_required": spec.get("required", False),
                    "description": spec["description"],
                    "datatype_description": spec.get("datatype_description", ""),
                    "order": position,
                    "values": spec.get("values", []),
                    "values_source": spec.get("values_source", ""),
                    "role": spec.get("role", ""),
                },
            )
    items = {
        item.current_version.name: item
        for item in ServiceItem.objects.filter(current_version__isnull=False).select_related(
            "current_version"
        )
    }
    created = 0
    for code, question, answer, keywords, item_name in FAQ:
        entry = FaqEntry.objects.filter(code=code).first()
        item = items.get(item_name) if item_name else None
        if (
            entry is not None
            and entry.question == question
            and entry.answer == answer
            and entry.item_id == (item.pk if item else None)
            and entry.keywords == keywords
        ):
            continue
        services.faq_save(
            acting_user=None,
            entry=entry,
            code=code,
            question=question,
            answer=answer,
            keywords=keywords,
            item=item,
            department=item.department if item else None,
            is_published=True,
        )
        created += 1
    requests = 0
    citizen = User.objects.filter(username="citizen").first()
    hotline = User.objects.filter(username="hotline").first()
    scj = departments.get("区市监局")
    if citizen and hotline and scj and not ServiceRequest.objects.filter(requester=citizen).exists():
        answered = services.request_create(
            acting_user=citizen,
            kind="complaint",
            title="金霞街道某小吃店卫生差",
            content="金霞街道金新路一家小吃店后厨卫生很差，餐具不消毒，请相关部门检查。",
            category=RequestCategory.objects.get(code="food-safety"),
        )
        services.request_dispatch(request=answered, acting_user=hotline, department=scj)
        consultation = services.request_create(
            acting_user=citizen,
            kind="consultation",
            title="开奶茶店需要哪些材料",
            content="我想在龙湖区开一家奶茶店，请问需要办理哪些证照，要带什么材料？",
        )
        services.request_dispatch(request=consultation, acting_user=hotline, department=scj)
        services.request_create(
            acting_user=hotline,
            channel="phone",
            kind="report",
            is_anonymous=True,
            title="某工地夜间施工",
            content="新津街道某工地连续多晚深夜施工，噪音很大，怀疑未办夜间施工许可。",
        )
        requests = 3
    return f"{len(CATEGORIES)} categories, {created} FAQ entries written, {requests} demo requests"
