"""Staff pages: window intake (一窗受理), work queue, a case's staff page with its actions, overdue list.

Only the actions that the transition table allows for the user's capacities on the case are shown; each
posts the case version it was loaded with to one action endpoint, which calls the service and puts the
refusal (in Chinese) back on the page.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bianmin.accounts import rules as account_rules
from bianmin.accounts.constants import Role
from bianmin.cases import access, clock, notices, registries, selectors, services
from bianmin.cases import transitions as t
from bianmin.cases.constants import (
    AcceptanceMode,
    CaseState,
    DeliveryChannel,
    MaterialKind,
    ReviewTaskState,
    SpecialProcedure,
)
from bianmin.cases.forms_web import (
    AcceptForm,
    ConcludeForm,
    DeclineForm,
    ExtendForm,
    PickupForm,
    ReasonForm,
    SuspendForm,
    WindowIntakeForm,
    add_service_errors,
)
from bianmin.cases.views_applicant import (
    case_ref,
    expected,
    get_case,
    give_material,
    material_rows,
    notice_links,
    timeline_rows,
)
from bianmin.catalog.constants import Necessity
from bianmin.catalog.models import ServiceItem
from bianmin.core.exceptions import ApplicationError
from bianmin.web.text import join_list
from bianmin.web.views import staff_required

STAFF_ACTIONS = (
    "request_correction",
    "decline",
    "accept",
    "accept_and_conclude",
    "supplement",
    "start_review",
    "review",
    "return_to_applicant",
    "suspend",
    "resume",
    "extend",
    "conclude",
    "deliver",
    "void",
    "resubmit",
    "pay",
)


def _require_clerk(user):
    if not account_rules.can_intake(user):
        raise PermissionDenied(_("仅综合窗口人员可以收件。"))


@staff_required
@require_http_methods(["GET", "POST"])
def intake(request):
    """收件登记: find an item, identify the applicant (and agent), create a window draft, then materials."""
    _require_clerk(request.user)
    items = []
    q = request.GET.get("q", "").strip()
    if q:
        items = list(
            ServiceItem.objects.select_related("current_version", "department")
            .filter(current_version__isnull=False, current_version__is_window_handled=True)
            .filter(current_version__name__icontains=q)
            .order_by("code")[:20]
        )
    if request.method == "POST":
        form = WindowIntakeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            item = ServiceItem.objects.filter(code=data["item"], current_version__isnull=False).first()
            if item is None:
                form.add_error("item", _("事项不存在或未发布。"))
            else:
                agent = None
                if data.get("agent_name"):
                    agent = {
                        "name": data["agent_name"],
                        "id_no": data["agent_id_no"],
                        "mobile": data["agent_mobile"],
                    }
                try:
                    case = services.case_save_draft(
                        acting_user=request.user,
                        item=item,
                        applicant={
                            "kind": data["kind"],
                            "name": data["name"],
                            "id_no": data["id_no"],
                            "mobile": data["mobile"],
                        },
                        agent=agent,
                        idempotency_key=request.POST.get("idempotency_key", "")[:64],
                    )
                except ApplicationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("已登记，请录入申请表，再扫描上传材料。"))
                    return redirect("cases:apply_form", case.pk)
    else:
        form = WindowIntakeForm(initial={"item": request.GET.get("item", "")})
    waiting = selectors.work_queue(user=request.user).filter(state=CaseState.SUBMITTED)[:50]
    return render(
        request,
        "cases/staff/intake.html",
        {
            "form": form,
            "q": q,
            "items": items,
            "waiting": [{"case": c, "clock": clock.status(c)} for c in waiting],
            "idempotency_key": uuid.uuid4().hex,
        },
    )


def _queue_rows(qs) -> list[dict]:
    today = timezone.localdate()
    rows = []
    for case in qs:
        status = clock.status(case)
        intake_late = case.state == CaseState.SUBMITTED and case.intake_due_on and case.intake_due_on < today
        rows.append({"case": case, "clock": status, "intake_late": intake_late})
    return rows


@staff_required
def queue(request):
    """待办件: the user's open work, most urgent first (deadline, then intake due date)."""
    qs = selectors.work_queue(user=request.user)
    state = request.GET.get("state", "")
    if state in CaseState.values:
        qs = qs.filter(state=state)
    if request.GET.get("item"):
        qs = qs.filter(item__code=request.GET["item"])
    if request.GET.get("number"):
        qs = qs.filter(number=request.GET["number"].strip())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/staff/queue.html",
        {
            "page": page,
            "rows": _queue_rows(page.object_list),
            "title": _("待办件"),
            "states": [
                (s, label)
                for s, label in CaseState.choices
                if s in (CaseState.SUBMITTED, CaseState.ACCEPTED, CaseState.IN_REVIEW)
            ],
            "state": state,
            "filters": request.GET,
        },
    )


@staff_required
def overdue(request):
    user = request.user
    if not (access.is_supervisor(user) or account_rules.has_role(user, Role.HEAD)):
        raise PermissionDenied(_("超期件列表仅供监督人员和部门负责人查看。"))
    page = Paginator(selectors.overdue_list(user=user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/staff/queue.html",
        {
            "page": page,
            "rows": _queue_rows(page.object_list),
            "title": _("超期件"),
            "overdue": True,
            "filters": {},
        },
    )


def _staff_case(request, ref):
    case = get_case(request.user, ref)
    if case.state == CaseState.DRAFT:
        raise Http404(_("草稿不在工作台显示。"))
    return case


@staff_required
def case_page(request, ref: str):
    case = _staff_case(request, ref)
    roles = access.actor_roles(request.user, case) - {t.APPLICANT}
    allowed = set(t.allowed_actions(case.state, roles))
    fields = {f.key: f.label for f in case.item_version.form_fields.all()}
    tolerated = [m for m in case.item_version.materials.all() if m.necessity == Necessity.TOLERATED]
    given_ids = {row.material_id for row in case.materials.all() if row.kind != MaterialKind.MISSING}
    my_departments = account_rules.department_ids(request.user, (Role.REVIEWER, Role.HEAD))
    open_tasks = [
        task
        for task in case.visible_tasks
        if task.state == ReviewTaskState.OPEN and task.department_id in my_departments
    ]
    version = {"expected_version": case.version}
    return render(
        request,
        "cases/staff/case.html",
        {
            "case": case,
            "clock": clock.status(case),
            "allowed": allowed,
            "form_rows": [(fields.get(k, k), v) for k, v in case.form_data.items()],
            "rows": material_rows(case, request.user),
            "timeline": timeline_rows(request.user, case),
            "notices": notice_links(case, "cases:staff_notice"),
            "notices_unsealed": notices.usable_seal(case) is None,
            "tasks": case.visible_tasks,
            "open_tasks": open_tasks,
            "waiting_on": join_list(
                task.department.name
                for task in case.visible_tasks
                if task.state == ReviewTaskState.OPEN and task.department_id not in my_departments
            ),
            "missing_tolerated": [m for m in tolerated if m.pk not in given_ids],
            "default_due": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
            "all_materials": list(case.item_version.materials.all()),
            "accept_form": AcceptForm(initial={**version, "mode": AcceptanceMode.STANDARD}),
            "decline_form": DeclineForm(initial=version),
            "conclude_form": ConcludeForm(initial={**version, "decision": "approved"}),
            "suspend_form": SuspendForm(initial=version),
            "extend_form": ExtendForm(initial=version),
            "reason_form": ReasonForm(initial=version),
            "pickup_form": PickupForm(initial=version),
            "procedures": SpecialProcedure.choices,
            "results": registries.case_results(case),
            "delivery_channels": DeliveryChannel,
        },
    )


def _dates(values) -> list:
    out = []
    for value in values:
        try:
            out.append(dt.date.fromisoformat(value))
        except (TypeError, ValueError):
            out.append(None)
    return out


@staff_required
@require_POST
def case_act(request, ref: str, action: str):
    """One endpoint for every staff action; the service decides (state, capacity, version)."""
    if action not in STAFF_ACTIONS:
        raise Http404(_("没有该操作。"))
    case = _staff_case(request, ref)
    post = request.POST
    user = request.user
    version = expected(post)
    common = {"case": case, "acting_user": user, "expected_version": version}
    try:
        if action == "accept":
            mode = post.get("mode") or AcceptanceMode.STANDARD
            missing = []
            if mode == AcceptanceMode.TOLERANT:
                ids = post.getlist("missing_material")
                dues = _dates(post.getlist("missing_due_on"))
                for material_id, due in zip(ids, dues, strict=False):
                    if material_id:
                        missing.append({"material": int(material_id), "due_on": due})
            services.case_accept(mode=mode, missing=missing, **common)
            done = _("已受理。")
        elif action == "accept_and_conclude":
            services.case_accept_and_conclude(
                decision=post.get("decision") or "approved", reasons=post.get("reasons", ""), **common
            )
            done = _("已即办办结。")
        elif action == "decline":
            services.case_decline(
                reason=post.get("reason", ""), legal_basis=post.get("legal_basis", ""), **common
            )
            done = _("已作出不予受理决定。")
        elif action == "request_correction":
            problems = []
            for material_id, note in zip(
                post.getlist("problem_material"), post.getlist("problem_note"), strict=False
            ):
                if note.strip():
                    problems.append(
                        {"material": int(material_id) if material_id else None, "note": note.strip()}
                    )
            services.case_request_correction(problems=problems, **common)
            done = _("已一次性告知补正。")
        elif action == "resubmit":
            services.case_resubmit(**common)
            done = _("已重新提交。")
        elif action == "supplement":
            failed = give_material(request, case, supplement=True)
            if failed is not None:
                errors = failed.non_field_errors() + [e for errs in failed.errors.values() for e in errs]
                messages.error(request, errors[0] if errors else _("提交失败。"))
                return redirect("cases:staff_case", case_ref(case))
            done = _("容缺材料已补齐。")
        elif action == "start_review":
            services.case_start_review(**common)
            done = _("已开始审查。")
        elif action == "review":
            services.case_review(
                task=int(post.get("task") or 0),
                opinion=post.get("opinion", ""),
                asks_return=bool(post.get("asks_return")),
                **common,
            )
            done = _("审查意见已记录。")
        elif action == "return_to_applicant":
            items = [line.strip() for line in post.get("requested_items", "").splitlines() if line.strip()]
            services.case_return_to_applicant(reason=post.get("reason", ""), requested_items=items, **common)
            done = _("已退回申请人补充材料，计时中止。")
        elif action == "suspend":
            services.case_suspend(
                procedure=post.get("procedure", ""), reason=post.get("reason", ""), **common
            )
            done = _("已启动特别程序，计时中止。")
        elif action == "resume":
            services.case_resume(**common)
            done = _("已恢复计时。")
        elif action == "extend":
            try:
                days = int(post.get("days") or 0)
            except ValueError:
                days = 0
            services.case_extend(days=days, reason=post.get("reason", ""), **common)
            done = _("已延期。")
        elif action == "conclude":
            services.case_conclude(
                decision=post.get("decision", ""),
                reasons=post.get("reasons", ""),
                fee_due=post.get("fee_due") or 0,
                **common,
            )
            done = _("已办结。")
        elif action == "pay":
            services.case_pay(**common)
            done = _("已缴费。")
        elif action == "deliver":
            services.case_deliver(
                channel=post.get("channel", ""),
                recipient=post.get("recipient", ""),
                address=post.get("address", ""),
                tracking_no=post.get("tracking_no", ""),
                **common,
            )
            done = _("已送达。")
        elif action == "void":
            services.case_void(reason=post.get("reason", ""), **common)
            done = _("已作废。")
        else:  # pragma: no cover - STAFF_ACTIONS guards
            raise Http404
    except ApplicationError as exc:
        message = str(exc.message)
        details = [
            f"{m}"
            for msgs in (exc.fields or {}).values()
            for m in (msgs if isinstance(msgs, list) else [msgs])
        ]
        if details and details[0] != message:
            message = f"{message}（{'；'.join(details[:5])}）"
        messages.error(request, message)
        return redirect("cases:staff_case", case_ref(case))
    messages.success(request, done)
    return redirect("cases:staff_case", case_ref(case))


@staff_required
@require_http_methods(["GET", "POST"])
def instant_authorisations(request):
    """即办授权: a department head authorises window clerks for the department's 即办件, or withdraws it."""
    from bianmin.accounts.models import RoleAssignment, User
    from bianmin.organisations.models import Department

    user = request.user
    if account_rules.is_platform_admin(user):
        departments = list(Department.objects.order_by("name"))
    else:
        departments = list(
            Department.objects.filter(pk__in=account_rules.department_ids(user, Role.HEAD)).order_by("name")
        )
    if not departments:
        raise PermissionDenied(_("即办授权由部门负责人管理。"))
    clerk_ids = RoleAssignment.objects.filter(role=Role.WINDOW_CLERK, is_active=True).values("user_id")
    clerks = list(User.objects.filter(pk__in=clerk_ids, is_active=True).order_by("full_name", "username"))
    if request.method == "POST":
        department = next((d for d in departments if str(d.pk) == request.POST.get("department")), None)
        clerk = next((c for c in clerks if str(c.pk) == request.POST.get("clerk")), None)
        if department is None or clerk is None:
            messages.error(request, _("请选择部门和窗口人员。"))
        else:
            active = request.POST.get("active", "1") == "1"
            try:
                services.instant_authorisation_grant(
                    department=department, clerk=clerk, acting_user=user, active=active
                )
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("已授权。") if active else _("已撤销授权。"))
        return redirect("cases:instant_authorisations")
    return render(
        request,
        "cases/staff/instant_authorisations.html",
        {
            "rows": selectors.instant_authorisations(user=user),
            "departments": departments,
            "clerks": clerks,
        },
    )
