"""Refusals that list names read naturally in English: the list separator follows the language."""

from __future__ import annotations

import pytest
from django.utils import translation

from bianmin.cases import services
from bianmin.cases.exceptions import CaseStateConflict
from tests.cases import helpers
from tests.cases.conftest import build_world

pytestmark = pytest.mark.django_db


def _joint_case_with_open_tasks():
    w = build_world(joint=True)
    case = helpers.in_review(w)
    assert case.tasks.count() == 2
    return w, case


def test_open_review_departments_are_joined_with_a_comma_in_english(clock):
    w, case = _joint_case_with_open_tasks()
    with translation.override("en"), pytest.raises(CaseStateConflict) as refused:
        services.case_conclude(case=case, acting_user=w.head, decision="approved")
    message = str(refused.value.message)
    assert "市场监管, 消防" in message and "、" not in message


def test_open_review_departments_are_joined_with_the_chinese_comma_in_chinese(clock):
    w, case = _joint_case_with_open_tasks()
    with translation.override("zh-hans"), pytest.raises(CaseStateConflict) as refused:
        services.case_conclude(case=case, acting_user=w.head, decision="approved")
    assert "市场监管、消防" in str(refused.value.message)
