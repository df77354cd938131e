"""The transition table of a case (design.md §5): the only way a case changes state.

Each action names the states it may start from, the state it leads to (None: the state stays, e.g.
supplement, review, suspend), and the actor roles that may perform it. Services look the action up,
check the state (409 otherwise) and the actor (403 otherwise) before doing anything else.

Actor roles (resolved per case by cases.access.actor_roles):
    applicant    the case's applicant (own account, or a member of the applying enterprise)
    clerk        a window clerk (综合窗口人员) — any hall of the district (一窗通办)
    instant_clerk a clerk whom the lead department authorised for its 即办件 (InstantAuthorisation)
    lead_reviewer a reviewer or head of the lead department (the item's implementing department)
    lead_head    the head of the lead department
    task_reviewer a reviewer or head of a department with a review task on the case
"""

from __future__ import annotations

from dataclasses import dataclass

from bianmin.cases.constants import BEFORE_CONCLUDED, CaseState

APPLICANT = "applicant"
CLERK = "clerk"
INSTANT_CLERK = "instant_clerk"
LEAD_REVIEWER = "lead_reviewer"
LEAD_HEAD = "lead_head"
TASK_REVIEWER = "task_reviewer"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None
    roles: frozenset[str]
    label: str


def _t(action, sources, target, roles, label) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), label)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("save_draft", {CaseState.DRAFT}, CaseState.DRAFT, {APPLICANT, CLERK}, "保存草稿"),
        _t("submit", {CaseState.DRAFT}, CaseState.SUBMITTED, {APPLICANT, CLERK}, "提交申请"),
        _t(
            "request_correction",
            {CaseState.SUBMITTED},
            CaseState.AWAITING_CORRECTION,
            {CLERK},
            "一次性告知补正",
        ),
        _t("resubmit", {CaseState.AWAITING_CORRECTION}, CaseState.SUBMITTED, {APPLICANT, CLERK}, "重新提交"),
        _t("decline", {CaseState.SUBMITTED}, CaseState.DECLINED, {CLERK}, "不予受理"),
        _t("accept", {CaseState.SUBMITTED}, CaseState.ACCEPTED, {CLERK}, "受理"),
        _t(
            "accept_and_conclude",
            {CaseState.SUBMITTED},
            CaseState.CONCLUDED,
            {INSTANT_CLERK},
            "即办办结",
        ),
        _t(
            "supplement",
            {CaseState.ACCEPTED, CaseState.IN_REVIEW},
            None,
            {APPLICANT, CLERK},
            "补齐材料",
        ),
        _t("start_review", {CaseState.ACCEPTED}, CaseState.IN_REVIEW, {LEAD_REVIEWER}, "开始审查"),
        _t("review", {CaseState.IN_REVIEW}, None, {TASK_REVIEWER}, "审查意见"),
        _t("return_to_applicant", {CaseState.IN_REVIEW}, None, {LEAD_REVIEWER}, "退回补充材料"),
        _t("suspend", {CaseState.IN_REVIEW}, None, {LEAD_REVIEWER}, "特别程序"),
        _t("resume", {CaseState.IN_REVIEW}, None, {LEAD_REVIEWER}, "恢复计时"),
        _t("extend", {CaseState.IN_REVIEW}, None, {LEAD_HEAD}, "延期"),
        _t("conclude", {CaseState.IN_REVIEW}, CaseState.CONCLUDED, {LEAD_HEAD}, "办结"),
        _t("pay", {CaseState.CONCLUDED}, None, {APPLICANT, CLERK}, "缴费"),
        _t("deliver", {CaseState.CONCLUDED}, CaseState.DELIVERED, {CLERK, LEAD_REVIEWER, APPLICANT}, "送达"),
        _t(
            "withdraw",
            BEFORE_CONCLUDED - {CaseState.DRAFT},
            CaseState.WITHDRAWN,
            {APPLICANT},
            "撤回申请",
        ),
        _t("void", BEFORE_CONCLUDED - {CaseState.DRAFT}, CaseState.VOIDED, {LEAD_HEAD}, "作废"),
    )
}


def get(action: str) -> Transition:
    return TRANSITIONS[action]


def allowed_actions(state: str, roles: set[str]) -> list[str]:
    """Actions the table allows from `state` for an actor holding `roles` (further rules may still refuse)."""
    return [t.action for t in TRANSITIONS.values() if state in t.sources and t.roles & roles]
