"""The work queue and the applicant's case list cost a constant number of queries per page (#4 point 11).

Each page is loaded with a few cases, then again after more cases in every queue-relevant state (online
and window, person and enterprise, partner tasks) were added: the number of queries must not change.
Their speed with 1,000,000 cases is measured in bench/bench_cases.py, not here.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bianmin.cases import selectors, services
from bianmin.cases.constants import CaseState
from bianmin.cases.models import ReviewTask
from tests.cases import helpers
from tests.cases.conftest import build_world

pytestmark = pytest.mark.django_db

# (who, path): the pages whose query count is pinned (PINNED below: what each costs, whatever the rows).
PAGES = {
    "reviewer queue page": ("reviewer", "/workbench/cases/"),
    "clerk queue page": ("clerk", "/workbench/cases/"),
    "reviewer queue API": ("reviewer", "/api/v1/cases/queue/"),
    "partner queue API": ("partner_reviewer", "/api/v1/cases/queue/"),
    "citizen case list page": ("citizen", "/my/cases/"),
    "enterprise member case list page": ("company_member", "/my/cases/"),
    "citizen case list API": ("citizen", "/api/v1/cases/?mine=1"),
    "enterprise member case list API": ("company_member", "/api/v1/cases/?mine=1"),
}


@pytest.fixture
def joint_world(clock):
    return build_world(joint=True)


def _grow(w) -> None:
    """One more case in each state the queue and the lists show, for the person and the enterprise."""
    helpers.submitted(w)
    helpers.submitted(w, user=w.company_member, enterprise=w.enterprise)
    helpers.accepted(w)
    case = helpers.in_review(w, user=w.company_member, enterprise=w.enterprise)
    partner_task = case.tasks.get(is_lead=False)
    services.case_review(case=case, task=partner_task, acting_user=w.partner_reviewer, opinion="同意。")
    helpers.in_review(w)
    helpers.draft(w)


def _queries(client, user, path: str) -> tuple[int, bytes]:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured), response.content


def test_queue_and_applicant_lists_cost_the_same_queries_as_cases_grow(client, joint_world):
    w = joint_world
    _grow(w)
    small = {name: _queries(client, getattr(w, who), path)[0] for name, (who, path) in PAGES.items()}
    for _ in range(3):
        _grow(w)
    large = {}
    for name, (who, path) in PAGES.items():
        large[name], content = _queries(client, getattr(w, who), path)
        assert content  # a page, not an empty answer
    assert small == PINNED
    assert large == PINNED
    # the lists did grow: what the counts were taken over
    assert w.item.cases.filter(state=CaseState.IN_REVIEW).count() == 8
    assert w.item.cases.filter(enterprise=w.enterprise).count() == 8


def test_partner_queue_is_the_same_with_inline_ids_or_a_subquery(joint_world, monkeypatch):
    """The partner department's queue: in-review cases with an open task of theirs, however it is filtered."""
    w = joint_world
    _grow(w)
    _grow(w)
    open_partner = set(
        ReviewTask.objects.filter(department=w.partner, state="open").values_list("case_id", flat=True)
    )
    inline = list(selectors.work_queue(user=w.partner_reviewer).values_list("pk", flat=True))
    monkeypatch.setattr(selectors, "PARTNER_IDS_INLINE", 0)
    by_subquery = list(selectors.work_queue(user=w.partner_reviewer).values_list("pk", flat=True))
    assert len(open_partner) == 2  # the citizen's in-review cases; the enterprise's were reviewed
    assert set(inline) == open_partner and inline == by_subquery
    # the lead department's reviewer sees its accepted and in-review cases, partner reviews done or not
    lead = set(selectors.work_queue(user=w.reviewer).values_list("pk", flat=True))
    assert lead == set(
        w.item.cases.filter(state__in=[CaseState.ACCEPTED, CaseState.IN_REVIEW]).values_list("pk", flat=True)
    )


PINNED = {
    "reviewer queue page": 8,
    "clerk queue page": 7,
    "reviewer queue API": 7,
    "partner queue API": 7,
    "citizen case list page": 9,
    "enterprise member case list page": 9,
    "citizen case list API": 8,
    "enterprise member case list API": 8,
}


def test_list_pages_come_in_the_order_of_the_whole_list(joint_world):
    """Pages are read by key first (selectors.ListQuerySet): each slice is that part of the ordered list."""
    w = joint_world
    _grow(w)
    _grow(w)
    for qs in (
        selectors.work_queue(user=w.reviewer),
        selectors.work_queue(user=w.clerk),
        selectors.case_list(user=w.citizen, filters={"mine": "1"}),
    ):
        order = list(qs.values_list("pk", flat=True))
        assert len(order) >= 4
        pages = [qs[0:2], qs[2:4], qs[4:]]
        assert [case.pk for page in pages for case in page] == order
        assert all(isinstance(case.item_version.name, str) for case in pages[0])
        assert qs[len(order) : len(order) + 5] == []
        assert qs[1].pk == order[1]  # a single row is read directly
