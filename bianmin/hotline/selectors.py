"""Reads of the request desk, scoped to the user (404 for a request one may not see)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.accounts import rules as account_rules
from bianmin.hotline import rules
from bianmin.hotline.constants import OPEN_STATES, EventKind, RequestKind, RequestState
from bianmin.hotline.exceptions import RequestNotFound
from bianmin.hotline.models import FaqEntry, RequestCategory, ServiceRequest


def _base() -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.select_related("category", "department", "suggested_department")


def request_list_for_user(*, user, filters: dict | None = None) -> QuerySet[ServiceRequest]:
    """Desk and supervisors: all; department staff: those dispatched to their departments; people: their own."""
    filters = filters or {}
    qs = _base()
    if rules.is_desk(user) or rules.is_supervisor(user):
        pass
    else:
        departments = account_rules.department_ids(user, rules.DEPARTMENT_HANDLERS)
        cond = Q(requester_id=user.pk) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
        if departments:
            cond |= Q(department_id__in=departments)
        qs = qs.filter(cond)
    if filters.get("mine"):
        qs = qs.filter(requester_id=user.pk)
    state = (filters.get("state") or "").strip()
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state in RequestState.values:
        qs = qs.filter(state=state)
    kind = (filters.get("kind") or "").strip()
    if kind in RequestKind.values:
        qs = qs.filter(kind=kind)
    if str(filters.get("overdue") or "") in ("1", "true"):
        qs = qs.filter(state__in=OPEN_STATES, due_on__lt=timezone.localdate())
    department = str(filters.get("department") or "").strip()
    if department.isdigit():
        qs = qs.filter(department_id=int(department))
    return qs.order_by("due_on", "-created_at") if state == "open" else qs.order_by("-created_at")


def request_get_for_user(*, user, number: str) -> ServiceRequest:
    request = _base().filter(number=number).first()
    if request is None or not rules.can_view(user, request):
        raise RequestNotFound()
    return request


def request_events(request: ServiceRequest):
    return request.events.select_related("actor", "department").order_by("created_at", "pk")


# Notes written from the requester's side (their confirmation, the desk's call to them).
REQUESTER_SIDE_EVENTS = (EventKind.CONFIRMED, EventKind.CALLBACK)


def request_events_for_user(request: ServiceRequest, *, user) -> list:
    """The timeline as this user may read it: for a 举报 the department concerned reads no note from the
    reporter's side and every other note redacted (the rows are not saved)."""
    events = list(request_events(request))
    if rules.sees_identity(user, request):
        return events
    for event in events:
        event.note = "" if event.kind in REQUESTER_SIDE_EVENTS else request.redact(event.note)
    return events


def request_shown(request: ServiceRequest, *, user) -> dict:
    """Title, content and callback note as this user may read them."""
    if rules.sees_identity(user, request):
        return {"title": request.title, "content": request.content, "callback_note": request.callback_note}
    return {
        "title": request.redact(request.title),
        "content": request.redact(request.content),
        "callback_note": "",
    }


def overdue_requests(*, today=None) -> QuerySet[ServiceRequest]:
    today = today or timezone.localdate()
    return _base().filter(state__in=OPEN_STATES, due_on__lt=today).order_by("due_on")


def public_categories() -> QuerySet[RequestCategory]:
    """Categories open to filing (Open311's services). A 举报 category may be one: filing a 举报 is public,
    its requests never are (public_requests)."""
    return RequestCategory.objects.filter(is_active=True, is_public=True)


def category_attributes(category: RequestCategory) -> list:
    return list(category.attributes.all())


def public_requests() -> QuerySet[ServiceRequest]:
    """What the open Open311 lists may show: never a 举报, never one of a non-public category."""
    return (
        ServiceRequest.objects.exclude(kind=RequestKind.REPORT)
        .filter(Q(category__isnull=True) | Q(category__is_public=True))
        .select_related("category", "department")
    )


def faq_published() -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(is_published=True).select_related("item", "department")


def faq_get(*, pk: int) -> FaqEntry:
    from bianmin.hotline.exceptions import FaqNotFound

    entry = faq_published().filter(pk=pk).first()
    if entry is None:
        raise FaqNotFound(_("未找到该问题。"))
    return entry
