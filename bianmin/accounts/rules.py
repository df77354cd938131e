"""Who may do what: role predicates with their scope. Every app asks these; none reads RoleAssignment itself.

The active assignments of a user are loaded once per request object and cached on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bianmin.accounts.constants import Role, UserKind


def _assignments(user) -> list:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_role_assignments_cache", None)
    if cached is None:
        cached = list(user.role_assignments.filter(is_active=True).select_related("department", "hall"))
        user._role_assignments_cache = cached
    return cached


def clear_cache(user) -> None:
    if hasattr(user, "_role_assignments_cache"):
        del user._role_assignments_cache


def roles_of(user) -> set[str]:
    return {a.role for a in _assignments(user)}


def has_role(user, role: str | Iterable[str], *, department=None, hall=None) -> bool:
    """True if the user holds the role (any of the roles), within the department or hall when one is given."""
    wanted = {role} if isinstance(role, str) else set(role)
    for a in _assignments(user):
        if a.role not in wanted:
            continue
        if department is not None and a.department_id != getattr(department, "pk", department):
            continue
        if hall is not None and a.hall_id != getattr(hall, "pk", hall):
            continue
        return True
    return False


def department_ids(user, role: str | Iterable[str] | None = None) -> set[int]:
    wanted = None if role is None else ({role} if isinstance(role, str) else set(role))
    return {a.department_id for a in _assignments(user) if a.department_id and (wanted is None or a.role in wanted)}


def hall_ids(user, role: str | Iterable[str] | None = None) -> set[int]:
    wanted = None if role is None else ({role} if isinstance(role, str) else set(role))
    return {a.hall_id for a in _assignments(user) if a.hall_id and (wanted is None or a.role in wanted)}


def is_platform_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.PLATFORM_ADMIN)


def is_supervisor(user) -> bool:
    return has_role(user, Role.SUPERVISOR)


def is_staff_member(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.kind == UserKind.STAFF and bool(_assignments(user))


def is_applicant(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.kind in (UserKind.CITIZEN, UserKind.ENTERPRISE)


def enterprise_ids(user, *, admin_only: bool = False) -> set[int]:
    """Enterprises the user acts for (active memberships)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    qs = user.memberships.filter(is_active=True)
    if admin_only:
        qs = qs.filter(is_admin=True)
    return set(qs.values_list("enterprise_id", flat=True))
