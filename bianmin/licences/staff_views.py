"""Workbench pages of the issuing department: its licences, revocation (注销/吊销) and renewal (延续)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bianmin.accounts import rules as account_rules
from bianmin.core.exceptions import ApplicationError
from bianmin.licences import selectors, services
from bianmin.licences.constants import RevocationKind
from bianmin.licences.models import Licence


def _allowed(user) -> bool:
    return account_rules.is_platform_admin(user) or bool(account_rules.department_ids(user, "head"))


@login_required
def licence_list(request: HttpRequest) -> HttpResponse:
    if not _allowed(request.user):
        raise PermissionDenied
    q = (request.GET.get("q") or "").strip()[:64]
    licences = list(selectors.department_licences(user=request.user, q=q)[:200])
    return render(request, "licences/workbench/list.html", {"licences": licences, "q": q})


@login_required
def licence_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    if not _allowed(request.user):
        raise PermissionDenied
    licence = selectors.department_licences(user=request.user).filter(identifier=identifier).first()
    if licence is None:
        licence = (
            Licence.objects.select_related("licence_type", "issuer").filter(identifier=identifier).first()
        )
        if licence is None or not account_rules.is_platform_admin(request.user):
            raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        reason = request.POST.get("reason", "")
        try:
            if action == "revoke":
                services.licence_revoke(
                    licence=licence,
                    acting_user=request.user,
                    kind=request.POST.get("kind", ""),
                    reason=reason,
                )
                messages.success(request, _("证照已注销/吊销。"))
            elif action == "renew":
                licence = services.licence_renew(licence=licence, acting_user=request.user, reason=reason)
                messages.success(request, _("已签发延续后的新版本。"))
            else:
                raise Http404
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("licences:wb-detail", identifier=licence.identifier)
    return render(
        request,
        "licences/workbench/detail.html",
        {
            "licence": licence,
            "fields": services.labelled_fields(licence),
            "history": selectors.licence_history(licence),
            "can_manage": services.can_manage(request.user, licence),
            "kinds": RevocationKind.choices,
        },
    )
