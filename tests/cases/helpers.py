"""Bringing a case to a given state through the services (as the people of the world fixture)."""

from __future__ import annotations

import datetime as dt

from bianmin.cases import services
from bianmin.cases.constants import AcceptanceMode
from tests.cases.conftest import pdf
from tests.factories import make_id_card

FORM = {"shop_name": "张三小吃店", "id_no": make_id_card(7)}


def draft(w, *, user=None, enterprise=None, with_place: bool = True, **kwargs):
    user = user or w.citizen
    case = services.case_save_draft(
        acting_user=user, item=w.item, form_data=FORM, enterprise=enterprise, **kwargs
    )
    services.case_material_add(case=case, acting_user=user, material=w.id_material, upload=pdf())
    services.case_material_add(
        case=case, acting_user=user, material=w.certificate_material, commitment_text="本人承诺无犯罪记录。"
    )
    if with_place:
        services.case_material_add(
            case=case, acting_user=user, material=w.place_material, upload=pdf("place.pdf")
        )
    case.refresh_from_db()
    return case


def submitted(w, **kwargs):
    user = kwargs.get("user") or w.citizen
    case = draft(w, **kwargs)
    return services.case_submit(case=case, acting_user=user)


def accepted(w, *, tolerant: bool = False, **kwargs):
    if tolerant:
        case = submitted(w, with_place=False, **kwargs)
        due = dt.date(2026, 3, 20)
        return services.case_accept(
            case=case,
            acting_user=w.clerk,
            mode=AcceptanceMode.TOLERANT,
            missing=[{"material": w.place_material.pk, "due_on": due}],
        )
    case = submitted(w, **kwargs)
    return services.case_accept(case=case, acting_user=w.clerk)


def in_review(w, **kwargs):
    case = accepted(w, **kwargs)
    return services.case_start_review(case=case, acting_user=w.reviewer)


def concluded(w, **kwargs):
    case = in_review(w, **kwargs)
    for task in case.tasks.all():
        reviewer = w.reviewer if task.department_id == w.lead.pk else w.partner_reviewer
        services.case_review(case=case, acting_user=reviewer, task=task, opinion="符合条件。")
    return services.case_conclude(case=case, acting_user=w.head, decision="approved")
