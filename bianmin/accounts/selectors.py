"""Account reads, scoped to the asking user. Lists carry only masked personal numbers (see serializers)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from bianmin.accounts import rules
from bianmin.accounts.constants import UserKind
from bianmin.accounts.models import Enterprise, EnterpriseMembership, RoleAssignment, User


def role_assignments_of(user) -> list[RoleAssignment]:
    return list(
        user.role_assignments.filter(is_active=True)
        .select_related("department", "hall")
        .order_by("role", "pk")
    )


def memberships_of(user) -> list[EnterpriseMembership]:
    return list(
        user.memberships.filter(is_active=True).select_related("enterprise").order_by("enterprise__name")
    )


def enterprise_get_for_user(*, user, uscc: str) -> Enterprise:
    """404 unless the user is an active member (no existence leak)."""
    return get_object_or_404(Enterprise, uscc=(uscc or "").upper(), pk__in=rules.enterprise_ids(user))


def enterprise_members(*, enterprise: Enterprise) -> QuerySet[EnterpriseMembership]:
    return (
        EnterpriseMembership.objects.filter(enterprise=enterprise, is_active=True)
        .select_related("user")
        .order_by("-is_admin", "created_at")
    )


def role_assignment_list(*, user) -> QuerySet[RoleAssignment]:
    if not rules.can_grant_roles(user):
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.select_related("user", "department", "hall", "granted_by").order_by(
        "-created_at"
    )


def staff_list(*, user) -> QuerySet[User]:
    """Staff accounts, for platform admins and supervisors."""
    if not (rules.is_platform_admin(user) or rules.is_supervisor(user)):
        return User.objects.none()
    return User.objects.filter(kind=UserKind.STAFF).order_by("username")
