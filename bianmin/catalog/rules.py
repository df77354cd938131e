"""Who may do what in the catalog. Services and selectors ask these; nobody else reads roles for the catalog."""

from __future__ import annotations

from bianmin.accounts import rules as account_rules
from bianmin.accounts.constants import Role


def can_edit_department(user, department) -> bool:
    """Department catalog editors edit their own department's items; platform admins edit any."""
    return account_rules.is_platform_admin(user) or account_rules.has_role(
        user, Role.CATALOG_EDITOR, department=department
    )


def can_edit_item(user, item) -> bool:
    return can_edit_department(user, item.department_id)


def can_review(user) -> bool:
    """Platform administrators review and publish versions and certificates."""
    return account_rules.is_platform_admin(user)


def can_see_versions(user, item) -> bool:
    return can_edit_item(user, item) or can_review(user)


def editable_department_ids(user) -> set[int] | None:
    """Departments whose items the user edits; None means all (platform admin)."""
    if account_rules.is_platform_admin(user):
        return None
    return account_rules.department_ids(user, Role.CATALOG_EDITOR)


def is_catalog_staff(user) -> bool:
    return account_rules.is_platform_admin(user) or bool(
        account_rules.department_ids(user, Role.CATALOG_EDITOR)
    )


def can_edit_certificate(user, certificate=None, *, department=None) -> bool:
    dept = department if department is not None else getattr(certificate, "requesting_department_id", None)
    return can_edit_department(user, dept) if dept is not None else account_rules.is_platform_admin(user)
