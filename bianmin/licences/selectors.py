"""Reads of licences, already scoped to the caller."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bianmin.licences.constants import LicenceStatus
from bianmin.licences.exceptions import LicenceNotFound
from bianmin.licences.models import Licence
from bianmin.licences.services import holder_hashes


def wallet_list(*, user, include_history: bool = False) -> QuerySet[Licence]:
    """The licences the user holds (own ID number and enterprises acted for); current versions first."""
    qs = Licence.objects.select_related("licence_type", "issuer").filter(
        holder_code_hash__in=holder_hashes(user)
    )
    if not include_history:
        qs = qs.exclude(status=LicenceStatus.SUPERSEDED)
    return qs.order_by("-issued_on", "-pk")


def wallet_get(*, user, identifier: str) -> Licence:
    licence = (
        Licence.objects.select_related("licence_type", "issuer", "seal", "previous")
        .filter(identifier=identifier, holder_code_hash__in=holder_hashes(user))
        .first()
    )
    if licence is None:
        raise LicenceNotFound()
    return licence


def licence_get_for_manager(*, user, identifier: str) -> Licence:
    """A licence as its issuing department's head sees it (404 for others)."""
    from bianmin.licences.services import can_manage

    licence = (
        Licence.objects.select_related("licence_type", "issuer", "seal").filter(identifier=identifier).first()
    )
    if licence is None or not can_manage(user, licence):
        raise LicenceNotFound()
    return licence


def licence_history(licence: Licence) -> list[Licence]:
    """Every version with the same issuer and serial, oldest first."""
    return list(
        Licence.objects.select_related("licence_type")
        .filter(issuer_id=licence.issuer_id, serial=licence.serial)
        .order_by("version")
    )


def department_licences(*, user, q: str = "") -> QuerySet[Licence]:
    """Current licences issued by the departments the user heads (all of them for platform admins)."""
    from bianmin.accounts import rules as account_rules

    qs = Licence.objects.select_related("licence_type", "issuer").exclude(status=LicenceStatus.SUPERSEDED)
    if not account_rules.is_platform_admin(user):
        qs = qs.filter(issuer_id__in=account_rules.department_ids(user, "head"))
    if q:
        qs = qs.filter(Q(licence_no__icontains=q) | Q(holder_name__icontains=q) | Q(identifier=q))
    return qs.order_by("-issued_on", "-pk")
