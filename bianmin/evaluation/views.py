"""Pages: the rate page (phone and hall tablet), public figures, and the staff workbench of rectifications."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bianmin.core.exceptions import ApplicationError, NotFound
from bianmin.evaluation import conf, rules, selectors, services
from bianmin.evaluation.constants import Channel, Level, Outcome
from bianmin.web.views import staff_required

DEVICE_CHANNELS = {Channel.HALL_TABLET, Channel.HALL_TERMINAL, Channel.QR, Channel.SMS}


def _found(fn, **kwargs):
    try:
        return fn(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _channel(request: HttpRequest) -> str:
    wanted = request.GET.get("channel") or request.POST.get("channel") or ""
    if wanted in DEVICE_CHANNELS:
        return wanted
    agent = request.headers.get("User-Agent", "")
    return Channel.MOBILE if any(m in agent for m in ("Mobile", "Android", "iPhone")) else Channel.PC


def rate(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _found(selectors.invitation_get, token=token)
    channel = _channel(request)
    if request.method == "POST":
        try:
            services.evaluation_submit(
                invitation=invitation,
                acting_user=request.user,
                level=request.POST.get("level"),
                tags=request.POST.getlist("tags"),
                comment=request.POST.get("comment", ""),
                channel=channel,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("感谢您的评价！"))
        return redirect(f"{request.path}?channel={channel}")
    given = list(invitation.evaluations.order_by("created_at"))
    return render(
        request,
        "evaluation/rate.html",
        {
            "invitation": invitation,
            "given": given,
            "can_rate": len(given) < 2,
            "is_follow_up": len(given) == 1,
            "levels": Level.choices,
            "tags": conf.tags_for(invitation.service_mode),
            "channel": channel,
            "is_tablet": channel in (Channel.HALL_TABLET, Channel.HALL_TERMINAL),
        },
    )


def ratings(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_rectifications(), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/ratings.html",
        {
            "totals": selectors.totals(),
            "departments": selectors.figures(by="department"),
            "items": selectors.figures(by="item")[:20],
            "halls": selectors.figures(by="hall"),
            "page": page,
        },
    )


@staff_required
def workbench(request: HttpRequest) -> HttpResponse:
    rows = selectors.rectification_list_for_user(user=request.user)[:100]
    return render(
        request,
        "evaluation/workbench.html",
        {
            "rows": rows,
            "appeals": selectors.appeals_pending() if rules.is_supervisor(request.user) else [],
            "is_supervisor": rules.is_supervisor(request.user),
        },
    )


@staff_required
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = _found(selectors.rectification_get_for_user, user=request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "respond":
                services.rectification_respond(
                    rectification=rectification,
                    acting_user=request.user,
                    verification=request.POST.get("verification", ""),
                    measures=request.POST.get("measures", ""),
                )
            elif action == "callback":
                services.rectification_callback(
                    rectification=rectification, acting_user=request.user, note=request.POST.get("note", "")
                )
            elif action == "complete":
                services.rectification_complete(
                    rectification=rectification,
                    acting_user=request.user,
                    outcome=request.POST.get("outcome", ""),
                    note=request.POST.get("note", ""),
                )
            elif action == "appeal":
                services.appeal_file(
                    evaluation=rectification.evaluation,
                    acting_user=request.user,
                    reason=request.POST.get("reason", ""),
                )
            elif action == "decide":
                appeal = selectors.appeal_get_for_supervisor(
                    user=request.user, pk=int(request.POST.get("appeal") or 0)
                )
                services.appeal_decide(
                    appeal=appeal,
                    acting_user=request.user,
                    upheld=request.POST.get("upheld") == "1",
                    note=request.POST.get("note", ""),
                )
            else:
                raise PermissionDenied
            messages.success(request, _("已保存。"))
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("evaluation:workbench-rectification", pk=pk)
    evaluation = rectification.evaluation
    return render(
        request,
        "evaluation/rectification.html",
        {
            "r": rectification,
            "evaluation": evaluation,
            "comment": rules.shown_comment(request.user, evaluation),
            "callback_note": rules.shown_callback_note(request.user, rectification),
            "appeal": getattr(evaluation, "appeal", None),
            "is_department": rules.handles_rectification(request.user, rectification),
            "can_call_back": rules.can_call_back(request.user, rectification),
            "is_supervisor": rules.is_supervisor(request.user),
            "outcomes": [c for c in Outcome.choices if c[0] != Outcome.APPEAL_UPHELD],
        },
    )
