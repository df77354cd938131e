"""Who may see a case and in which capacity they act on it (object level). Selectors filter the same way."""

from __future__ import annotations

from django.db.models import Q

from bianmin.accounts import rules as account_rules
from bianmin.accounts.constants import Role
from bianmin.cases import transitions as t
from bianmin.cases.constants import CaseState

# The account role recorded in the audit entry for each actor capacity.
AUDIT_ROLE = {
    t.APPLICANT: "",
    t.CLERK: Role.WINDOW_CLERK,
    t.INSTANT_CLERK: Role.WINDOW_CLERK,
    t.LEAD_REVIEWER: Role.REVIEWER,
    t.LEAD_HEAD: Role.HEAD,
    t.TASK_REVIEWER: Role.REVIEWER,
}


def is_case_applicant(user, case) -> bool:
    """The applicant: the linked account, a member of the applying enterprise, or the person by ID number."""
    if not getattr(user, "is_authenticated", False):
        return False
    if case.applicant_id is not None and case.applicant_id == user.pk:
        return True
    if case.enterprise_id is not None and case.enterprise_id in account_rules.enterprise_ids(user):
        return True
    return bool(
        case.applicant_kind == "person"
        and case.applicant_id_hash
        and getattr(user, "id_card_hash", "")
        and user.id_card_hash == case.applicant_id_hash
        and account_rules.is_applicant(user)
    )


def is_supervisor(user) -> bool:
    return account_rules.is_supervisor(user) or account_rules.is_platform_admin(user)


def task_department_ids(case) -> set[int]:
    return {task.department_id for task in case.tasks.all()}


def can_see(user, case) -> bool:
    """404 for everything else. Drafts: their author and applicant only."""
    if not getattr(user, "is_authenticated", False):
        return False
    if case.created_by_id == user.pk or is_case_applicant(user, case):
        return True
    if case.state == CaseState.DRAFT:
        return False
    if account_rules.can_intake(user) or is_supervisor(user):
        return True  # 一窗通办: any clerk of the district looks a case up by its number
    departments = account_rules.department_ids(user, (Role.REVIEWER, Role.HEAD))
    if not departments:
        return False
    return case.department_id in departments or bool(departments & task_department_ids(case))


def actor_roles(user, case) -> set[str]:
    """The capacities in which `user` may act on `case` (see transitions.py)."""
    roles: set[str] = set()
    if is_case_applicant(user, case) or (
        case.state == CaseState.DRAFT and case.created_by_id == user.pk and account_rules.is_applicant(user)
    ):
        roles.add(t.APPLICANT)
    if account_rules.can_intake(user):
        if case.state != CaseState.DRAFT or case.created_by_id == user.pk:
            roles.add(t.CLERK)
        from bianmin.cases.models import InstantAuthorisation

        if InstantAuthorisation.objects.filter(
            department_id=case.department_id, clerk=user, is_active=True
        ).exists():
            roles.add(t.INSTANT_CLERK)
    if account_rules.can_review(user, case.department_id):
        roles.add(t.LEAD_REVIEWER)
    if account_rules.can_decide(user, case.department_id):
        roles.add(t.LEAD_HEAD)
    departments = account_rules.department_ids(user, (Role.REVIEWER, Role.HEAD))
    if departments & task_department_ids(case):
        roles.add(t.TASK_REVIEWER)
    return roles


def visible_q(user) -> Q | None:
    """A filter over Case for list views; None means everything (supervisors)."""
    if is_supervisor(user):
        return ~Q(state=CaseState.DRAFT) | Q(created_by=user)
    q = Q(created_by=user) | Q(applicant=user)
    enterprises = account_rules.enterprise_ids(user)
    if enterprises:
        q |= Q(enterprise_id__in=enterprises)
    if account_rules.is_applicant(user) and getattr(user, "id_card_hash", ""):
        q |= Q(applicant_kind="person", applicant_id_hash=user.id_card_hash)
    halls = account_rules.hall_ids(user, Role.WINDOW_CLERK)
    if halls:
        q |= Q(hall_id__in=halls) | Q(delivery_hall_id__in=halls)
        # online applications waiting for intake belong to every front desk until one takes them in
        q |= Q(hall__isnull=True, state__in=[CaseState.SUBMITTED, CaseState.AWAITING_CORRECTION])
    departments = account_rules.department_ids(user, (Role.REVIEWER, Role.HEAD))
    if departments:
        q |= Q(department_id__in=departments) & ~Q(state=CaseState.DRAFT)
        from bianmin.cases.models import ReviewTask

        q |= Q(pk__in=ReviewTask.objects.filter(department_id__in=departments).values("case_id"))
    return q
