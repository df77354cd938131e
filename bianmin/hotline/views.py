"""Pages of the request desk: the smart guide, filing a request, my requests, the staff workbench, FAQ upkeep."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.catalog.models import ServiceItem
from bianmin.core.exceptions import ApplicationError, NotFound
from bianmin.hotline import guide, rules, selectors, services
from bianmin.hotline.constants import OPEN_STATES, RequestChannel, RequestKind, RequestState
from bianmin.hotline.models import FaqEntry, RequestCategory
from bianmin.organisations.models import Department
from bianmin.web.views import applicant_login_required, staff_required


def _get(user, number: str):
    try:
        return selectors.request_get_for_user(user=user, number=number)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def guide_page(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    result = guide.answer(q) if q else None
    return render(request, "hotline/guide.html", {"q": q, "result": result})


def request_new(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind") or request.GET.get("kind") or RequestKind.CONSULTATION
    if request.method == "POST":
        anonymous = request.POST.get("is_anonymous") == "1"
        if not request.user.is_authenticated and not anonymous:
            messages.error(request, _("请先登录；举报可以选择匿名提出。"))
        else:
            category = selectors.public_categories().filter(code=request.POST.get("category", "")).first()
            try:
                obj = services.request_create(
                    acting_user=request.user,
                    kind=kind,
                    title=request.POST.get("title", ""),
                    content=request.POST.get("content", ""),
                    category=category,
                    is_anonymous=anonymous,
                    requester_mobile=request.POST.get("requester_mobile", ""),
                    address=request.POST.get("address", ""),
                    idempotency_key=request.POST.get("idempotency_key", ""),
                )
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                if obj.is_anonymous:
                    return render(request, "hotline/request_filed.html", {"obj": obj})
                messages.success(
                    request,
                    _("已登记，编号 %(number)s，答复期限 %(due)s。")
                    % {"number": obj.number, "due": obj.due_on},
                )
                return redirect("hotline:my-request", number=obj.number)
    return render(
        request,
        "hotline/request_new.html",
        {
            "kinds": RequestKind.choices,
            "kind": kind,
            "categories": selectors.public_categories(),
            "post": request.POST,
            "idempotency_key": timezone.now().strftime("%Y%m%d%H%M%S%f"),
        },
    )


@applicant_login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    rows = selectors.request_list_for_user(user=request.user, filters={"mine": True})[:50]
    return render(request, "hotline/my_requests.html", {"rows": rows})


@applicant_login_required
def my_request(request: HttpRequest, number: str) -> HttpResponse:
    obj = _get(request.user, number)
    if not rules.is_requester(request.user, obj):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.request_confirm(
                request=obj,
                acting_user=request.user,
                is_satisfied=request.POST.get("is_satisfied", "1") == "1",
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("已确认办结，感谢您的反馈。"))
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("hotline:my-request", number=number)
    invitation_url = _rating_url(obj)
    return render(
        request,
        "hotline/my_request.html",
        {"obj": obj, "events": selectors.request_events(obj), "rating_url": invitation_url},
    )


def _rating_url(obj) -> str:
    """The rating page of a closed request, when the evaluation app invited one (looked up, never imported)."""
    from django.apps import apps

    if obj.state != RequestState.CLOSED or not apps.is_installed("bianmin.evaluation"):
        return ""
    from importlib import import_module

    try:
        return import_module("bianmin.evaluation.selectors").rating_url_for_request(obj)
    except (ImportError, AttributeError):
        return ""


@staff_required
def workbench(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab") or "open"
    filters = {"state": "open"} if tab == "open" else {"overdue": "1"} if tab == "overdue" else {}
    if tab == "answered":
        filters = {"state": RequestState.ANSWERED}
    qs = selectors.request_list_for_user(user=request.user, filters=filters)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    sees_all = rules.is_desk(request.user) or rules.is_supervisor(request.user)
    for row in page:
        hidden = (
            not sees_all and row.hides_identity_from_department and not rules.is_requester(request.user, row)
        )
        row.shown_title = row.redact(row.title) if hidden else row.title
    return render(
        request,
        "hotline/workbench.html",
        {
            "page": page,
            "tab": tab,
            "today": timezone.localdate(),
            "is_desk": rules.is_desk(request.user),
            "is_supervisor": rules.is_supervisor(request.user),
        },
    )


@staff_required
def workbench_intake(request: HttpRequest) -> HttpResponse:
    if not rules.is_desk(request.user):
        raise PermissionDenied(_("只有热线坐席可以登记电话诉求。"))
    if request.method == "POST":
        try:
            obj = services.request_create(
                acting_user=request.user,
                channel=RequestChannel.PHONE,
                kind=request.POST.get("kind", ""),
                category=RequestCategory.objects.filter(
                    code=request.POST.get("category", ""), is_active=True
                ).first(),
                title=request.POST.get("title", ""),
                content=request.POST.get("content", ""),
                is_anonymous=request.POST.get("is_anonymous") == "1",
                requester_name=request.POST.get("requester_name", ""),
                requester_mobile=request.POST.get("requester_mobile", ""),
                address=request.POST.get("address", ""),
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已登记诉求 %(number)s。") % {"number": obj.number})
            return redirect("hotline:workbench-request", number=obj.number)
    return render(
        request,
        "hotline/intake.html",
        {
            "kinds": RequestKind.choices,
            "categories": RequestCategory.objects.filter(is_active=True),
            "post": request.POST,
        },
    )


@staff_required
def workbench_request(request: HttpRequest, number: str) -> HttpResponse:
    obj = _get(request.user, number)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "classify":
                code = request.POST.get("category", "")
                services.request_classify(
                    request=obj,
                    acting_user=request.user,
                    kind=request.POST.get("kind", ""),
                    category=RequestCategory.objects.filter(code=code, is_active=True).first()
                    if code
                    else None,
                )
            elif action == "dispatch":
                department = Department.objects.filter(pk=request.POST.get("department") or 0).first()
                services.request_dispatch(
                    request=obj,
                    acting_user=request.user,
                    department=department,
                    reason=request.POST.get("reason", ""),
                )
            elif action == "return":
                services.request_return(
                    request=obj, acting_user=request.user, reason=request.POST.get("reason", "")
                )
            elif action == "answer":
                services.request_answer(
                    request=obj, acting_user=request.user, answer=request.POST.get("answer", "")
                )
            elif action == "callback":
                satisfied = {"1": True, "0": False}.get(request.POST.get("is_satisfied", ""))
                services.request_callback_record(
                    request=obj,
                    acting_user=request.user,
                    note=request.POST.get("note", ""),
                    is_satisfied=satisfied,
                )
            elif action == "review":
                services.request_review_close(
                    request=obj, acting_user=request.user, note=request.POST.get("note", "")
                )
            else:
                raise PermissionDenied
            messages.success(request, _("已保存。"))
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("hotline:workbench-request", number=number)
    sees = rules.sees_identity(request.user, obj)
    return render(
        request,
        "hotline/workbench_request.html",
        {
            "obj": obj,
            "events": selectors.request_events_for_user(obj, user=request.user),
            "sees_identity": sees,
            "shown": selectors.request_shown(obj, user=request.user),
            "is_desk": rules.is_desk(request.user),
            "is_supervisor": rules.is_supervisor(request.user),
            "handles": rules.handles_for_department(request.user, obj.department_id),
            "departments": Department.objects.filter(is_active=True).order_by("sort_order", "name"),
            "kinds": RequestKind.choices,
            "categories": RequestCategory.objects.filter(is_active=True),
            "attribute_rows": _attribute_rows(obj),
            "is_open": obj.state in OPEN_STATES,
        },
    )


def _attribute_rows(obj) -> list[tuple[str, str]]:
    if not obj.attributes or obj.category is None:
        return []
    from bianmin.hotline.attributes import labelled

    return labelled(obj.category.attributes.all(), obj.attributes)


def _faq_editor(user) -> bool:
    from bianmin.accounts.rules import can_edit_catalog

    return rules.is_desk(user) or can_edit_catalog(user)


@staff_required
def faq_list(request: HttpRequest) -> HttpResponse:
    if not _faq_editor(request.user):
        raise PermissionDenied
    rows = FaqEntry.objects.select_related("item__current_version", "department").order_by("code")
    return render(request, "hotline/faq_list.html", {"rows": rows})


@staff_required
def faq_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not _faq_editor(request.user):
        raise PermissionDenied
    entry = get_object_or_404(FaqEntry, pk=pk) if pk else None
    if request.method == "POST":
        item_code = request.POST.get("item_code", "").strip()
        try:
            services.faq_save(
                acting_user=request.user,
                entry=entry,
                code=request.POST.get("code", "").strip(),
                question=request.POST.get("question", "").strip(),
                answer=request.POST.get("answer", "").strip(),
                keywords=request.POST.get("keywords", "").strip(),
                item=ServiceItem.objects.filter(code=item_code).first() if item_code else None,
                is_published=request.POST.get("is_published") == "1",
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("常见问题已保存。"))
            return redirect("hotline:faq-list")
    return render(request, "hotline/faq_edit.html", {"entry": entry, "post": request.POST})
