from __future__ import annotations

from bianmin.accounts import rules
from bianmin.accounts.constants import Role

DEPARTMENT_STAFF = (Role.REVIEWER, Role.HEAD)


def is_department_staff(user, department_id) -> bool:
    return department_id is not None and rules.has_role(user, DEPARTMENT_STAFF, department=department_id)


def can_call_back(user, rectification) -> bool:
    """The responsible department (or hall) or the hotline desk call the rater back."""
    return handles_rectification(user, rectification) or rules.can_handle_requests(user)


def is_supervisor(user) -> bool:
    return rules.is_supervisor(user) or rules.is_platform_admin(user)


def handles_rectification(user, rectification) -> bool:
    """The responsible department's reviewers and heads; for a hall's own service, also its hall managers."""
    if is_department_staff(user, rectification.department_id):
        return True
    hall_id = rectification.evaluation.hall_id
    return hall_id is not None and rules.has_role(user, Role.HALL_MANAGER, hall=hall_id)
