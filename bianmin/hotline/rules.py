"""Who may act on a request (object level). Selectors and services both ask these."""

from __future__ import annotations

from bianmin.accounts import rules
from bianmin.accounts.constants import Role

DEPARTMENT_HANDLERS = (Role.REVIEWER, Role.HEAD)


def is_desk(user) -> bool:
    """Hotline operators run the desk: intake, dispatch, callbacks."""
    return rules.can_handle_requests(user) or rules.is_platform_admin(user)


def is_supervisor(user) -> bool:
    return rules.is_supervisor(user)


def handles_for_department(user, department_id) -> bool:
    return department_id is not None and rules.has_role(user, DEPARTMENT_HANDLERS, department=department_id)


def is_requester(user, request) -> bool:
    return bool(getattr(user, "is_authenticated", False) and request.requester_id == user.pk)


def sees_identity(user, request) -> bool:
    """The desk, supervisors and the requester see who asked; the department only when it is not a 举报."""
    if is_desk(user) or is_supervisor(user) or is_requester(user, request):
        return True
    return not request.hides_identity_from_department


def can_view(user, request) -> bool:
    return (
        is_requester(user, request)
        or is_desk(user)
        or is_supervisor(user)
        or handles_for_department(user, request.department_id)
    )
