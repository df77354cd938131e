"""Two staff acting on the same case at once: exactly one wins, the other gets a 409 and nothing changes."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from bianmin.cases import services
from bianmin.cases.exceptions import CaseStaleVersion
from bianmin.cases.models import Case, CaseEvent
from bianmin.core.exceptions import StateConflict
from tests.cases import helpers
from tests.cases.conftest import build_world

ACCEPT_OR_DECLINE = (
    lambda case_pk, w: services.case_accept(case=case_pk, acting_user=w.clerk),
    lambda case_pk, w: services.case_decline(
        case=case_pk, acting_user=w.other_clerk, reason="材料不齐", legal_basis="《行政许可法》第三十二条"
    ),
)


def _race(case_pk, w, actions):
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            action(case_pk, w)
            outcomes[index] = "won"
        except StateConflict as refused:
            outcomes[index] = refused.http_status
        except Exception as unexpected:  # anything else fails the test below
            outcomes[index] = repr(unexpected)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_conflicting_intake_decisions_in_two_threads_exactly_one_wins(clock):
    """PostgreSQL: real threads with their own connections; the row lock serialises them and the second
    finds the state changed. SQLite: two sessions holding the same version; the compare-and-set refuses
    the second."""
    w = build_world()
    case = helpers.submitted(w)
    if connection.vendor == "postgresql":
        outcomes = _race(case.pk, w, ACCEPT_OR_DECLINE)
    else:
        # the SQLite test database lives in shared-cache memory, where a second writer gets "table is
        # locked" instead of waiting; interleave the two sessions instead: both loaded the same version
        first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
        outcomes = []
        for session, action in ((first, "accept"), (second, "decline")):
            try:
                if action == "accept":
                    services.case_accept(case=session, acting_user=w.clerk, expected_version=session.version)
                else:
                    services.case_decline(
                        case=session,
                        acting_user=w.other_clerk,
                        reason="材料不齐",
                        legal_basis="《行政许可法》第三十二条",
                        expected_version=session.version,
                    )
                outcomes.append("won")
            except StateConflict as refused:
                outcomes.append(refused.http_status)
    assert sorted(map(str, outcomes)) == ["409", "won"]
    case = Case.objects.get(pk=case.pk)
    assert case.state in ("accepted", "declined")
    decisions = CaseEvent.objects.filter(case=case, kind__in=["accept", "decline"]).count()
    assert decisions == 1


@pytest.mark.django_db
def test_compare_and_set_refuses_a_writer_whose_row_moved_on(clock):
    """The version check inside the write itself: even without a row lock (SQLite), a stale writer fails."""
    w = build_world()
    case = helpers.submitted(w)
    stale = Case.objects.get(pk=case.pk)
    services.case_accept(case=case, acting_user=w.clerk)
    stale.state = "declined"
    with pytest.raises(CaseStaleVersion):
        services._write(stale, ["state"])
    assert Case.objects.get(pk=case.pk).state == "accepted"


@pytest.mark.django_db
def test_two_reviewers_with_the_same_form_one_is_told_to_reload(clock):
    w = build_world(joint=True)
    case = helpers.in_review(w)
    loaded = Case.objects.get(pk=case.pk).version
    services.case_extend(case=case, acting_user=w.head, days=3, reason="复杂", expected_version=loaded)
    with pytest.raises(CaseStaleVersion):
        services.case_suspend(
            case=case, acting_user=w.reviewer, procedure="hearing", reason="听证", expected_version=loaded
        )
    assert not Case.objects.get(pk=case.pk).is_suspended
