"""Public verification pages and the holder's wallet (我的证照)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bianmin.core.exceptions import ApplicationError
from bianmin.core.ratelimit import over_limit
from bianmin.licences import selectors, services
from bianmin.licences.exceptions import LicenceNotFound, ShareLinkInvalid
from bianmin.licences.forms import ShareForm, VerifyForm
from bianmin.licences.verification import verify_any, verify_identifier

MAX_VERIFY_UPLOAD = 10 * 1024 * 1024


def _mine(request, identifier: str):
    try:
        return selectors.wallet_get(user=request.user, identifier=identifier)
    except LicenceNotFound:
        raise Http404


def _too_many(request) -> HttpResponse:
    return render(request, "licences/verify_throttled.html", status=429)


def _result(request, verification, *, status: int = 200, **extra) -> HttpResponse:
    context = {"verification": verification, "public": verification.public(), **extra}
    return render(request, "licences/verify_result.html", context, status=status)


@require_http_methods(["GET", "POST"])
def verify_form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and over_limit(request, "licence_verify"):
        return _too_many(request)
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    verification = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_VERIFY_UPLOAD:
            form.add_error("file", _("文件过大（最大10MB）。"))
        else:
            verification = verify_any(
                identifier=form.cleaned_data.get("identifier") or "",
                file_bytes=upload.read() if upload is not None else None,
            )
    return render(
        request,
        "licences/verify_form.html",
        {
            "form": form,
            "verification": verification,
            "public": verification.public() if verification else None,
        },
    )


def verify_page(request: HttpRequest, identifier: str) -> HttpResponse:
    if over_limit(request, "licence_verify"):
        return _too_many(request)
    return _result(request, verify_identifier(identifier))


def shared_link(request: HttpRequest, token: str) -> HttpResponse:
    if over_limit(request, "licence_verify"):
        return _too_many(request)
    try:
        licence = services.share_link_resolve(token)
    except ShareLinkInvalid as exc:
        return render(request, "licences/share_invalid.html", {"message": exc.message}, status=404)
    return _result(request, verify_identifier(licence.identifier), shared=True)


@login_required
def wallet(request: HttpRequest) -> HttpResponse:
    licences = list(selectors.wallet_list(user=request.user))
    return render(request, "licences/wallet.html", {"licences": licences})


@login_required
def wallet_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    licence = _mine(request, identifier)
    return render(
        request,
        "licences/wallet_detail.html",
        {
            "licence": licence,
            "fields": services.labelled_fields(licence),
            "history": selectors.licence_history(licence),
            "share_form": ShareForm(),
        },
    )


@login_required
def wallet_pdf(request: HttpRequest, identifier: str) -> FileResponse:
    licence = _mine(request, identifier)
    return FileResponse(
        licence.pdf.open("rb"),
        as_attachment=True,
        filename=f"{licence.licence_type.name}-{licence.licence_no}.pdf",
        content_type="application/pdf",
    )


@login_required
def wallet_file(request: HttpRequest, identifier: str) -> HttpResponse:
    licence = _mine(request, identifier)
    response = HttpResponse(
        services.licence_file_bytes(licence), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{licence.identifier}.json"'
    return response


@login_required
@require_POST
def wallet_share(request: HttpRequest, identifier: str) -> HttpResponse:
    licence = _mine(request, identifier)
    form = ShareForm(request.POST)
    context = {
        "licence": licence,
        "fields": services.labelled_fields(licence),
        "history": selectors.licence_history(licence),
        "share_form": form,
    }
    if form.is_valid():
        try:
            token, expires_at = services.share_link_create(
                licence=licence, acting_user=request.user, days=form.cleaned_data["days"]
            )
        except ApplicationError as exc:
            form.add_error("days", exc.message)
        else:
            context["share_url"] = request.build_absolute_uri(reverse("licences:shared", args=[token]))
            context["share_expires_at"] = expires_at
    return render(request, "licences/wallet_detail.html", context)
