"""The request desk's write path: create, dispatch, return, answer, close (confirm / callback / review), escalate."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.audit.services import audit_record
from bianmin.core.crypto import pii_hash, sm3_hex
from bianmin.core.masking import mask_text
from bianmin.core.validators import validate_mobile
from bianmin.hotline import conf, notify, rules
from bianmin.hotline.attributes import check as attribute_check
from bianmin.hotline.classify import suggest_department
from bianmin.hotline.constants import (
    ANONYMOUS_KINDS,
    OPEN_STATES,
    CloseReason,
    EventKind,
    RequestChannel,
    RequestKind,
    RequestState,
)
from bianmin.hotline.exceptions import RequestForbidden, RequestInvalid, RequestNotFound, RequestStateError
from bianmin.hotline.models import ApiKey, FaqEntry, RequestCategory, RequestEvent, ServiceRequest
from bianmin.hotline.registries import RequestClosed, publish_request_closed
from bianmin.organisations.models import Department
from bianmin.web.text import clause_separator, join_list
from bianmin.workdays.services import add as workdays_add


def _event(request, kind, actor=None, *, department=None, note: str = "") -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        department=department,
        note=note,
    )


def _new_number(today) -> str:
    return f"{today:%Y%m%d}{secrets.randbelow(10**6):06d}"


def _lock(request: ServiceRequest) -> ServiceRequest:
    locked = ServiceRequest.objects.select_for_update().filter(pk=request.pk).first()
    if locked is None:
        raise RequestNotFound()
    if locked.version != request.version:
        raise RequestStateError(_("该诉求已被他人处理，请刷新后重试。"))
    return locked


def _save(request: ServiceRequest, fields: list[str]) -> None:
    """Compare-and-set on the version column (SQLite ignores select_for_update)."""
    old = request.version
    request.version = old + 1
    values = {}
    for f in fields:
        field = ServiceRequest._meta.get_field(f)
        values[field.attname] = getattr(request, field.attname)
    values["version"] = request.version
    values["updated_at"] = timezone.now()
    updated = ServiceRequest.objects.filter(pk=request.pk, version=old).update(**values)
    if not updated:
        raise RequestStateError(_("该诉求已被他人处理，请刷新后重试。"))


def _notify_requester(request: ServiceRequest, text: str) -> None:
    notify.requester(request, text)  # message centre + SMS, on commit


@transaction.atomic
def request_create(
    *,
    acting_user=None,
    kind: str,
    title: str = "",
    content: str,
    channel: str = RequestChannel.WEB,
    category: RequestCategory | None = None,
    is_anonymous: bool = False,
    requester_name: str = "",
    requester_mobile: str = "",
    address: str = "",
    latitude=None,
    longitude=None,
    media_url: str = "",
    api_key: ApiKey | None = None,
    idempotency_key: str = "",
    attributes: dict | None = None,
) -> ServiceRequest:
    """Register a request. Web: the signed-in person (or anonymous for 举报); phone: an operator enters it.

    attributes: answers to the category's extra questions ({code: value or [values]}), checked against its
    definitions (required ones too); None where a face does not ask them (the web form, phone intake).
    """
    if category is not None and category.default_kind == RequestKind.REPORT:
        kind = RequestKind.REPORT  # filed under a 举报 category, it is a 举报 and its filer is protected
    if kind not in RequestKind.values:
        raise RequestInvalid(_("请选择诉求类型。"), fields={"kind": [_("无效的诉求类型。")]})
    content = (content or "").strip()
    if len(content) < 5:
        raise RequestInvalid(_("请详细描述您的诉求（至少5个字）。"), fields={"content": [_("内容过短。")]})
    answers = None
    if attributes is not None and category is not None:
        answers, errors = attribute_check(list(category.attributes.all()), attributes)
        if errors:
            raise RequestInvalid(
                _("附加信息有误：%(errors)s")
                % {"errors": clause_separator().join(f"{code} {join_list(m)}" for code, m in errors.items())},
                fields={f"attributes.{code}": messages for code, messages in errors.items()},
            )
        if answers.is_anonymous is not None:
            is_anonymous = answers.is_anonymous
        if answers.location and not address:
            address = answers.location
    if channel == RequestChannel.PHONE and not rules.is_desk(acting_user):
        raise RequestForbidden(_("只有热线坐席可以登记电话诉求。"))
    if is_anonymous and kind not in ANONYMOUS_KINDS:
        raise RequestInvalid(_("只有举报可以匿名提出。"), fields={"is_anonymous": [_("只有举报可以匿名。")]})
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    requester = None
    if channel == RequestChannel.WEB and not is_anonymous:
        if user is None:
            raise RequestForbidden(_("请先登录；举报可以匿名提出。"), http_status=401)
        requester = user
        requester_name = requester_name or user.display_name
        requester_mobile = requester_mobile or user.mobile
    if is_anonymous:
        requester, requester_name, requester_mobile = None, "", ""
    requester_mobile = (requester_mobile or "").strip()
    if requester_mobile:
        try:
            validate_mobile(requester_mobile)
        except Exception as exc:
            raise RequestInvalid(
                _("联系电话格式不正确。"), fields={"requester_mobile": [_("格式不正确。")]}
            ) from exc
    if not is_anonymous and not (requester_name or requester) and channel != RequestChannel.API:
        raise RequestInvalid(_("请填写诉求人姓名。"), fields={"requester_name": [_("必填。")]})
    if idempotency_key and user is not None:
        existing = ServiceRequest.objects.filter(requester=user, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if idempotency_key and api_key is not None:
        existing = ServiceRequest.objects.filter(api_key=api_key, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    today = timezone.localdate()
    limit = conf.response_days(kind)
    suggested = None
    if answers is not None and answers.department_code:
        suggested = Department.objects.filter(short_code=answers.department_code, is_active=True).first()
    suggested = (
        suggested
        or (category.department if category and category.department_id else None)
        or suggest_department(f"{title} {content}")
    )
    request = ServiceRequest(
        kind=kind,
        channel=channel,
        category=category,
        title="",
        content=content,
        address=address[:200],
        latitude=latitude,
        longitude=longitude,
        media_url=media_url,
        attributes=answers.values if answers is not None else {},
        is_anonymous=is_anonymous,
        requester=requester,
        requester_name=requester_name[:64],
        requester_mobile=requester_mobile,
        requester_mobile_hash=pii_hash(requester_mobile) if requester_mobile else "",
        entered_by=user if channel == RequestChannel.PHONE else None,
        api_key=api_key,
        idempotency_key=idempotency_key[:64],
        suggested_department=suggested,
        received_on=today,
        limit_days=limit,
        due_on=workdays_add(today, limit),
    )
    # Titles are listed: never a number in them (a title cut from the text could carry half an ID), and a
    # 举报's never the reporter's own name or number, whoever reads the list.
    shown = request.redact if request.hides_identity_from_department else mask_text
    request.title = (shown(title.strip()) or shown(content)[:30]).strip()[:100]
    for _attempt in range(5):
        request.number = _new_number(today)
        try:
            with transaction.atomic():
                request.save()
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - a million numbers a day
        raise RequestStateError(_("编号生成失败，请重试。"))
    # An anonymous 举报 keeps no trace of who filed it, even when they were signed in.
    filer = None if is_anonymous and channel != RequestChannel.PHONE else user
    _event(request, EventKind.CREATED, filer, note=request.get_channel_display())
    audit_record(
        actor=filer or (api_key.name if api_key else "anonymous"),
        action="hotline.request_create",
        target=request,
        changes={"kind": kind, "channel": channel, "anonymous": is_anonymous},
    )
    _notify_requester(
        request,
        _("您的%(kind)s已登记，编号%(number)s，我们将在%(due)s前答复。")
        % {"kind": request.get_kind_display(), "number": request.number, "due": request.due_on.isoformat()},
    )
    return request


@transaction.atomic
def request_classify(
    *, request: ServiceRequest, acting_user, kind: str, category: RequestCategory | None = None
) -> ServiceRequest:
    """The desk sets what the request really is (type and category) before dispatching it: the response
    limit follows the type (counted from the day it was received) and the suggested department is
    worked out again."""
    if not rules.is_desk(acting_user):
        raise RequestForbidden(_("只有热线坐席可以对诉求分类。"))
    request = _lock(request)
    if not request.can_classify():
        raise RequestStateError(_("诉求分办后不能再改分类。"))
    if kind not in RequestKind.values:
        raise RequestInvalid(_("请选择诉求类型。"), fields={"kind": [_("无效的诉求类型。")]})
    if request.is_anonymous and kind not in ANONYMOUS_KINDS:
        raise RequestInvalid(_("匿名诉求只能是举报。"), fields={"kind": [_("匿名提出的诉求只能归为举报。")]})
    if request.kind == RequestKind.REPORT and kind != RequestKind.REPORT:
        # the reporter was promised that the department would not learn who they are
        raise RequestInvalid(
            _("举报不能改为其他类型，以免向承办部门透露举报人。"), fields={"kind": [_("不可更改。")]}
        )
    before = {"kind": request.kind, "category": request.category.code if request.category else ""}
    request.kind = kind
    request.category = category
    request.limit_days = conf.response_days(kind)
    request.due_on = workdays_add(request.received_on, request.limit_days)
    request.suggested_department = (
        category.department if category and category.department_id else None
    ) or suggest_department(f"{request.title} {request.content}")
    _save(request, ["kind", "category", "limit_days", "due_on", "suggested_department"])
    after = {"kind": kind, "category": category.code if category else ""}
    note = f"{request.get_kind_display()}" + (f" · {category.name}" if category else "")
    _event(request, EventKind.CLASSIFIED, acting_user, note=note)
    audit_record(
        actor=acting_user,
        action="hotline.request_classify",
        target=request,
        changes={"before": before, "after": after},
    )
    return request


@transaction.atomic
def request_dispatch(*, request: ServiceRequest, acting_user, department, reason: str = "") -> ServiceRequest:
    """The desk sends the request to a department; one re-dispatch is allowed, with its reason."""
    if not rules.is_desk(acting_user):
        raise RequestForbidden(_("只有热线坐席可以分办诉求。"))
    request = _lock(request)
    if not request.can_dispatch():
        raise RequestStateError(_("该诉求当前状态不能分办。"))
    if department is None:
        raise RequestInvalid(_("请选择承办部门。"), fields={"department": [_("必填。")]})
    redispatch = request.dispatch_count >= 1
    if request.dispatch_count >= conf.max_dispatches():
        raise RequestStateError(_("该诉求已重新分办过一次，不能再次分办，请由监督员协调。"))
    if redispatch and not reason.strip():
        raise RequestInvalid(_("重新分办须说明理由。"), fields={"reason": [_("必填。")]})
    request.department = department
    request.dispatch_count += 1
    request.dispatched_at = timezone.now()
    request.state = RequestState.DISPATCHED
    _save(request, ["department", "dispatch_count", "dispatched_at", "state"])
    _event(
        request,
        EventKind.REDISPATCHED if redispatch else EventKind.DISPATCHED,
        acting_user,
        department=department,
        note=reason.strip(),
    )
    audit_record(
        actor=acting_user,
        action="hotline.request_dispatch",
        target=request,
        changes={"department": department.name, "reason": reason.strip()},
    )
    text = _("新诉求%(number)s已分办至贵单位，请于%(due)s前答复。") % {
        "number": request.number,
        "due": request.due_on.isoformat(),
    }
    notify.staff(
        role="reviewer",
        department_id=department.pk,
        title=_("新诉求待办理"),
        text=text,
        link=reverse("hotline:workbench-request", args=[request.number]),
        target_kind="service_request",
        target_ref=request.number,
    )
    _notify_requester(
        request,
        _("您的诉求%(number)s已转交%(department)s办理。")
        % {"number": request.number, "department": department.name},
    )
    return request


@transaction.atomic
def request_return(*, request: ServiceRequest, acting_user, reason: str) -> ServiceRequest:
    """The department sends a request that is not its own back to the desk (once, with its reason)."""
    request = _lock(request)
    if not rules.handles_for_department(acting_user, request.department_id):
        raise RequestNotFound()
    if not request.can_return():
        raise RequestStateError(_("该诉求当前状态不能退回。"))
    if request.return_count >= 1:
        raise RequestStateError(_("该诉求已退回过一次，不能再次退回。"))
    if not reason.strip():
        raise RequestInvalid(_("请说明退回理由。"), fields={"reason": [_("必填。")]})
    department = request.department
    request.return_count += 1
    request.return_reason = reason.strip()
    request.state = RequestState.RETURNED
    _save(request, ["return_count", "return_reason", "state"])
    _event(request, EventKind.RETURNED, acting_user, department=department, note=reason.strip())
    audit_record(
        actor=acting_user, action="hotline.request_return", target=request, changes={"reason": reason}
    )
    notify.staff(  # the desk must re-dispatch it
        role="hotline_operator",
        title=_("诉求被退回待重新分办"),
        text=_("诉求%(number)s被%(department)s退回，请重新分办。退回理由：%(reason)s")
        % {"number": request.number, "department": department.name, "reason": reason.strip()},
        link=reverse("hotline:workbench-request", args=[request.number]),
        target_kind="service_request",
        target_ref=request.number,
    )
    return request


@transaction.atomic
def request_answer(*, request: ServiceRequest, acting_user, answer: str) -> ServiceRequest:
    request = _lock(request)
    if not rules.handles_for_department(acting_user, request.department_id):
        raise RequestNotFound()
    if not request.can_answer():
        raise RequestStateError(_("该诉求当前状态不能答复。"))
    if len(answer.strip()) < 5:
        raise RequestInvalid(_("请填写答复内容。"), fields={"answer": [_("内容过短。")]})
    request.answer = answer.strip()
    request.answered_at = timezone.now()
    request.answered_by = acting_user
    request.state = RequestState.ANSWERED
    _save(request, ["answer", "answered_at", "answered_by", "state"])
    _event(request, EventKind.ANSWERED, acting_user, department=request.department)
    audit_record(actor=acting_user, action="hotline.request_answer", target=request)
    _notify_requester(
        request,
        _("您的诉求%(number)s已答复，请登录查看并确认。") % {"number": request.number},
    )
    return request


def _close(request: ServiceRequest, *, acting_user, reason: str) -> None:
    request.state = RequestState.CLOSED
    request.close_reason = reason
    request.closed_at = timezone.now()
    request.closed_by = acting_user if getattr(acting_user, "pk", None) else None
    done = RequestClosed(
        request_id=request.pk,
        number=request.number,
        kind=request.kind,
        requester_id=request.requester_id,
        department_id=request.department_id,
        close_reason=reason,
    )
    transaction.on_commit(lambda: publish_request_closed(done))


@transaction.atomic
def request_confirm(
    *, request: ServiceRequest, acting_user, is_satisfied: bool = True, note: str = ""
) -> ServiceRequest:
    """The requester confirms the answer: the request is closed."""
    if not rules.is_requester(acting_user, request):
        raise RequestNotFound()
    request = _lock(request)
    if not request.can_close():
        raise RequestStateError(_("诉求答复后才能确认办结。"))
    request.is_satisfied = bool(is_satisfied)
    _close(request, acting_user=acting_user, reason=CloseReason.CONFIRMED)
    _save(request, ["is_satisfied", "state", "close_reason", "closed_at", "closed_by"])
    _event(request, EventKind.CONFIRMED, acting_user, note=note.strip())
    audit_record(
        actor=acting_user,
        action="hotline.request_confirm",
        target=request,
        changes={"satisfied": is_satisfied},
    )
    return request


@transaction.atomic
def request_callback_record(
    *, request: ServiceRequest, acting_user, note: str, is_satisfied: bool | None = None
) -> ServiceRequest:
    """The desk records its 回访 of an identified requester: the request is closed."""
    if not rules.is_desk(acting_user):
        raise RequestForbidden(_("只有热线坐席可以记录回访。"))
    request = _lock(request)
    if not request.can_close():
        raise RequestStateError(_("诉求答复后才能回访。"))
    if request.is_anonymous:
        raise RequestStateError(_("匿名诉求无法回访，须由监督员审核办结。"))
    if not note.strip():
        raise RequestInvalid(_("请填写回访情况。"), fields={"note": [_("必填。")]})
    request.callback_note = note.strip()
    request.is_satisfied = is_satisfied
    _close(request, acting_user=acting_user, reason=CloseReason.CALLBACK)
    _save(request, ["callback_note", "is_satisfied", "state", "close_reason", "closed_at", "closed_by"])
    _event(request, EventKind.CALLBACK, acting_user, note=note.strip())
    audit_record(actor=acting_user, action="hotline.request_callback", target=request)
    _notify_requester(request, _("您的诉求%(number)s已办结，感谢您的监督。") % {"number": request.number})
    return request


@transaction.atomic
def request_review_close(*, request: ServiceRequest, acting_user, note: str = "") -> ServiceRequest:
    """A supervisor reviews the answer to an anonymous request and closes it."""
    if not rules.is_supervisor(acting_user):
        raise RequestForbidden(_("只有效能监督员可以审核办结匿名诉求。"))
    request = _lock(request)
    if not request.can_close():
        raise RequestStateError(_("诉求答复后才能审核办结。"))
    if not request.is_anonymous:
        raise RequestStateError(_("实名诉求由诉求人确认或回访后办结。"))
    _close(request, acting_user=acting_user, reason=CloseReason.REVIEWED)
    _save(request, ["state", "close_reason", "closed_at", "closed_by"])
    _event(request, EventKind.REVIEWED, acting_user, note=note.strip())
    audit_record(actor=acting_user, action="hotline.request_review_close", target=request)
    return request


def request_escalate_overdue(*, today=None) -> int:
    """Flag open requests past their due date and tell the supervisors (the periodic task calls this)."""
    today = today or timezone.localdate()
    count = 0
    numbers: list[str] = []
    for request in ServiceRequest.objects.filter(state__in=OPEN_STATES, due_on__lt=today, is_overdue=False):
        with transaction.atomic():
            updated = ServiceRequest.objects.filter(pk=request.pk, is_overdue=False).update(
                is_overdue=True, escalated_at=timezone.now()
            )
            if not updated:
                continue
            _event(request, EventKind.ESCALATED, None, department=request.department)
            audit_record(actor=None, action="hotline.request_escalate", target=request)
        count += 1
        numbers.append(request.number)
    if numbers:
        text = _("%(n)s件诉求已超期，请督办：%(numbers)s") % {
            "n": len(numbers),
            "numbers": join_list(numbers[:10]),
        }
        notify.staff(
            role="supervisor",
            title=_("诉求超期督办"),
            text=text,
            link=reverse("hotline:workbench") + "?tab=overdue",
            immediately=True,
        )
    return count


# ------------------------------------------------------------------------------------------------
# FAQ and API keys (staff-maintained reference data)
# ------------------------------------------------------------------------------------------------


def _faq_terms(text: str) -> str:
    """jieba tokens of the text plus those of the catalog words its colloquial phrases stand for (社保卡 →
    社会保障卡), because questions are segmented the same way (catalog.search.query_terms)."""
    from bianmin.catalog.search import COLLOQUIAL, normalise, segmented

    plain = normalise(text)
    extra = [word for phrase, words in COLLOQUIAL.items() if phrase in plain for word in words]
    return segmented(" ".join([text, *extra]))


def _faq_index(entry: FaqEntry) -> None:
    entry.search_question = _faq_terms(entry.question)
    entry.search_keywords = _faq_terms(entry.keywords.replace(",", " ").replace("，", " "))
    entry.search_answer = _faq_terms(entry.answer)


def _can_edit_faq(user) -> bool:
    from bianmin.accounts.rules import can_edit_catalog

    return rules.is_desk(user) or can_edit_catalog(user)


@transaction.atomic
def faq_save(*, acting_user, entry: FaqEntry | None = None, **data) -> FaqEntry:
    """Create or change a FAQ entry (hotline operators, catalog editors, administrators)."""
    if acting_user is not None and not _can_edit_faq(acting_user):
        raise RequestForbidden(_("您没有维护常见问题的权限。"))
    entry = entry or FaqEntry()
    changes = {}
    for key in ("code", "question", "answer", "keywords", "department", "item", "is_published"):
        if key in data:
            changes[key] = str(data[key])
            setattr(entry, key, data[key])
    if not (entry.code and entry.question and entry.answer):
        raise RequestInvalid(_("请填写编码、问题和答复。"))
    entry.updated_by = acting_user if getattr(acting_user, "pk", None) else None
    _faq_index(entry)
    entry.save()
    audit_record(actor=acting_user, action="hotline.faq_save", target=entry, changes=changes)
    from bianmin.hotline import guide

    transaction.on_commit(guide.invalidate)
    return entry


def api_key_digest(raw: str) -> str:
    return sm3_hex(raw.encode())


@transaction.atomic
def api_key_create(*, acting_user, name: str) -> tuple[ApiKey, str]:
    """A new Open311 api_key; the raw key is returned once and only its digest is kept."""
    from bianmin.accounts.rules import is_platform_admin

    if acting_user is not None and not (is_platform_admin(acting_user) or rules.is_desk(acting_user)):
        raise RequestForbidden(_("您没有创建接口密钥的权限。"))
    raw = secrets.token_urlsafe(24)
    key = ApiKey.objects.create(
        name=name,
        prefix=raw[:8],
        key_hash=api_key_digest(raw),
        created_by=acting_user if acting_user else None,
    )
    audit_record(actor=acting_user, action="hotline.api_key_create", target=key)
    return key, raw


@transaction.atomic
def api_key_revoke(*, acting_user, key: ApiKey) -> ApiKey:
    """Switch an Open311 client's key off (kept for the audit trail and the requests it filed)."""
    from bianmin.accounts.rules import is_platform_admin

    if acting_user is not None and not (is_platform_admin(acting_user) or rules.is_desk(acting_user)):
        raise RequestForbidden(_("您没有停用接口密钥的权限。"))
    if key.is_active:
        ApiKey.objects.filter(pk=key.pk).update(is_active=False, updated_at=timezone.now())
        key.is_active = False
        audit_record(actor=acting_user, action="hotline.api_key_revoke", target=key)
    return key


def api_key_check(raw: str) -> ApiKey | None:
    if not raw:
        return None
    key = ApiKey.objects.filter(key_hash=api_key_digest(raw.strip()), is_active=True).first()
    if key is not None:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
