"""并联审批: a partner department's reviewer sees its own task's review events and the case-level steps."""

from __future__ import annotations

import pytest

from bianmin.cases import services
from tests.cases import helpers
from tests.cases.conftest import build_world
from tests.factories import DepartmentFactory, StaffFactory

pytestmark = pytest.mark.django_db


def timeline(api, user, case) -> list[dict]:
    response = api(user).get(f"/api/v1/cases/{case.reference}/timeline/")
    assert response.status_code == 200, response.data
    return response.data


def review_departments(events) -> list[int]:
    return sorted(e["data"]["department"] for e in events if e["kind"] == "review")


def test_partner_sees_its_own_review_events_and_the_milestones_only(api, clock):
    w = build_world(joint=True)
    second = DepartmentFactory(name="区住房和城乡建设局", short_name="住建")
    second_reviewer = StaffFactory(reviewer=True, department=second)
    case = helpers.accepted(w)
    w.version.partner_departments.add(second)
    services.case_start_review(case=case, acting_user=w.reviewer)
    tasks = {task.department_id: task for task in case.tasks.all()}
    assert set(tasks) == {w.lead.pk, w.partner.pk, second.pk}
    services.case_review(case=case, acting_user=w.reviewer, task=tasks[w.lead.pk], opinion="符合")
    services.case_review(
        case=case, acting_user=w.partner_reviewer, task=tasks[w.partner.pk], opinion="消防符合"
    )
    services.case_review(case=case, acting_user=second_reviewer, task=tasks[second.pk], opinion="住建符合")
    services.case_conclude(case=case, acting_user=w.head, decision="approved")

    everyone = sorted([w.lead.pk, w.partner.pk, second.pk])
    # the lead department and supervisors see every review step
    for user in (w.reviewer, w.head, w.supervisor):
        assert review_departments(timeline(api, user, case)) == everyone

    # each partner sees only its own review, plus the case-level milestones
    for reviewer, department in ((w.partner_reviewer, w.partner), (second_reviewer, second)):
        events = timeline(api, reviewer, case)
        assert review_departments(events) == [department.pk]
        kinds = [e["kind"] for e in events]
        assert kinds == ["save_draft", "material", "material", "material", "submit", "accept"] + [
            "start_review",
            "review",
            "conclude",
        ]
        detail = api(reviewer).get(f"/api/v1/cases/{case.reference}/").data
        assert [task["department_id"] for task in detail["tasks"]] == [department.pk]
