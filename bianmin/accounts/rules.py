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
    return {
        a.department_id
        for a in _assignments(user)
        if a.department_id and (wanted is None or a.role in wanted)
    }


def hall_ids(user, role: str | Iterable[str] | None = None) -> set[int]:
    wanted = None if role is None else ({role} if isinstance(role, str) else set(role))
    return {a.hall_id for a in _assignments(user) if a.hall_id and (wanted is None or a.role in wanted)}


def is_platform_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.PLATFORM_ADMIN)


def is_supervisor(user) -> bool:
    return has_role(user, Role.SUPERVISOR)


def is_staff_member(user) -> bool:
    return (
        getattr(user, "is_authenticated", False) and user.kind == UserKind.STAFF and bool(_assignments(user))
    )


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


def can_manage_enterprise(user, enterprise) -> bool:
    """The enterprise's administrator (an active admin membership)."""
    enterprise_id = getattr(enterprise, "pk", enterprise)
    return enterprise_id in enterprise_ids(user, admin_only=True)


def can_act_for_enterprise(user, enterprise) -> bool:
    return getattr(enterprise, "pk", enterprise) in enterprise_ids(user)


# Role predicates with their scope. department/hall may be a model instance or a primary key; None = "any".


def can_edit_catalog(user, department=None) -> bool:
    return is_platform_admin(user) or has_role(user, Role.CATALOG_EDITOR, department=department)


def can_review(user, department=None) -> bool:
    return has_role(user, (Role.REVIEWER, Role.HEAD), department=department)


def can_decide(user, department=None) -> bool:
    """Department head: concludes, extends, voids, approves catalog versions."""
    return has_role(user, Role.HEAD, department=department)


def can_intake(user, hall=None) -> bool:
    """Window clerk (一窗受理) at the hall."""
    return has_role(user, Role.WINDOW_CLERK, hall=hall)


def can_manage_hall(user, hall=None) -> bool:
    return is_platform_admin(user) or has_role(user, Role.HALL_MANAGER, hall=hall)


def can_handle_requests(user) -> bool:
    """Hotline operators answer 诉求 (consultations, complaints, …)."""
    return has_role(user, Role.HOTLINE_OPERATOR)


def can_view_kpi(user) -> bool:
    return is_platform_admin(user) or has_role(user, (Role.SUPERVISOR, Role.HEAD, Role.HALL_MANAGER))


def can_manage_organisations(user) -> bool:
    return is_platform_admin(user)


def can_grant_roles(user) -> bool:
    return is_platform_admin(user)


def permissions_of(user) -> list[str]:
    """Capability names for the UI and /api/v1/me/ (the server still checks each object with the predicates)."""
    checks = [
        ("apply", is_applicant(user)),
        ("enterprise.manage", bool(enterprise_ids(user, admin_only=True)) if is_applicant(user) else False),
        ("catalog.edit", can_edit_catalog(user)),
        ("cases.intake", can_intake(user)),
        ("cases.review", can_review(user)),
        ("cases.decide", can_decide(user)),
        ("halls.manage", can_manage_hall(user)),
        ("hotline.handle", can_handle_requests(user)),
        ("kpi.view", can_view_kpi(user)),
        ("audit.view", is_platform_admin(user) or is_supervisor(user)),
        ("organisations.manage", can_manage_organisations(user)),
        ("roles.grant", can_grant_roles(user)),
    ]
    return [name for name, ok in checks if ok]
