"""A delivered case invites its applicant to rate it (an after-transition handler of the case spine)."""

from __future__ import annotations

import pytest

from bianmin.cases import services as cases
from bianmin.evaluation.models import EvaluationInvitation
from tests.cases.conftest import build_world
from tests.cases.helpers import concluded

pytestmark = pytest.mark.django_db


def test_delivery_invites_the_applicant_and_nothing_before(
    clock, settings, django_capture_on_commit_callbacks
):
    settings.SMS_SENDER = "bianmin.notifications.senders.MemorySmsSender"
    w = build_world()
    with django_capture_on_commit_callbacks(execute=True):
        case = concluded(w)
    assert not EvaluationInvitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        cases.case_deliver(case=case, acting_user=w.clerk, channel="pickup", recipient="张三")
    invitation = EvaluationInvitation.objects.get(case=case)
    assert (invitation.subject, invitation.person, invitation.department, invitation.item) == (
        "case",
        w.citizen,
        w.lead,
        w.item,
    )
    assert case.number in invitation.label
