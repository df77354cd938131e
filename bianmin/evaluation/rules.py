from __future__ import annotations

from bianmin.accounts import rules
from bianmin.accounts.constants import Role

DEPARTMENT_STAFF = (Role.REVIEWER, Role.HEAD)


def is_department_staff(user, department_id) -> bool:
    return department_id is not None and rules.has_role(user, DEPARTMENT_STAFF, department=department_id)


def can_call_back(user, department_id) -> bool:
    """The responsible department or the hotline desk call the rater back."""
    return is_department_staff(user, department_id) or rules.can_handle_requests(user)


def is_supervisor(user) -> bool:
    return rules.is_supervisor(user) or rules.is_platform_admin(user)
