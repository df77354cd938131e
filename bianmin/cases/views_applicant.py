"""Applicant pages: apply online (stepper 填写信息 → 上传材料 → 确认提交), 我的办件 and a case's page.

Every change goes through bianmin.cases.services with the version the page was loaded with; refusals are
put back on the form in Chinese. Window clerks use the same draft pages for applications they take in
(the pages then sit in the workbench shell).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from bianmin.accounts import rules as account_rules
from bianmin.accounts.models import Enterprise
from bianmin.cases import access, clock, notices, registries, selectors, services
from bianmin.cases import transitions as t
from bianmin.cases.constants import CaseState, DeliveryChannel, MaterialKind, SuspensionKind
from bianmin.cases.exceptions import CaseNotFound
from bianmin.cases.forms_web import (
    ApplicationForm,
    ApplyAsForm,
    ConfirmSubmitForm,
    MaterialGiveForm,
    ReasonForm,
    add_service_errors,
)
from bianmin.catalog.models import ServiceItem
from bianmin.core.exceptions import ApplicationError
from bianmin.organisations.models import Hall
from bianmin.web.views import applicant_login_required

NEXT_FOR_APPLICANT = {  # marked for makemessages, translated where shown
    CaseState.DRAFT: gettext_noop("继续填写并提交申请"),
    CaseState.SUBMITTED: gettext_noop("等待窗口受理，无需操作"),
    CaseState.AWAITING_CORRECTION: gettext_noop("按补正告知补齐材料后重新提交"),
    CaseState.ACCEPTED: gettext_noop("已受理，等待审查"),
    CaseState.IN_REVIEW: gettext_noop("审查中，请留意通知"),
    CaseState.CONCLUDED: gettext_noop("已办结，请领取结果"),
    CaseState.DELIVERED: gettext_noop("已送达，办理完毕"),
    CaseState.DECLINED: gettext_noop("不予受理，可查看决定书"),
    CaseState.WITHDRAWN: gettext_noop("已撤回"),
    CaseState.VOIDED: gettext_noop("已作废"),
}


# ---------------------------------------------------------------------------------------------------
# shared helpers (also used by the staff pages)
# ---------------------------------------------------------------------------------------------------


def get_case(user, ref: str):
    try:
        return selectors.case_get_for_user(user=user, ref=ref)
    except CaseNotFound as exc:
        raise Http404(_("办件不存在或您无权查看。")) from exc


def case_ref(case) -> str:
    return case.number or str(case.pk)


def expected(form_or_post) -> int | None:
    raw = form_or_post.get("expected_version") if hasattr(form_or_post, "get") else None
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def is_staff_view(user) -> bool:
    return not account_rules.is_applicant(user) and account_rules.is_staff_member(user)


def base_template(user) -> str:
    return "web/base_workbench.html" if is_staff_view(user) else "web/base_portal.html"


def case_url_for(user, case) -> str:
    if case.state == CaseState.DRAFT:
        return reverse("cases:apply_materials", args=[case.pk])
    if is_staff_view(user):
        return reverse("cases:staff_case", args=[case_ref(case)])
    return reverse("cases:my_case", args=[case_ref(case)])


def material_rows(case, user) -> list[dict]:
    """The catalog materials of the case's version, each with what was given and the ways to give it."""
    given: dict[int | None, list] = {}
    for row in case.materials.all():
        given.setdefault(row.material_id, []).append(row)
    rows = []
    for material in case.item_version.materials.all():
        offers = []
        if case.state in (
            CaseState.DRAFT,
            CaseState.AWAITING_CORRECTION,
            CaseState.ACCEPTED,
            CaseState.IN_REVIEW,
        ):
            for provider in registries.material_providers():
                try:
                    offers.extend(provider.offers(case=case, material=material, user=user))
                except Exception:  # a broken provider must not break the page; uploads still work
                    continue
        certificate = material.certificate
        rows.append(
            {
                "material": material,
                "given": given.get(material.pk, []),
                "offers": offers,
                "commitment_allowed": bool(certificate is not None and certificate.commitment_allowed),
            }
        )
    extra = given.get(None, [])
    return rows + [
        {"material": None, "given": [row], "offers": [], "commitment_allowed": False} for row in extra
    ]


def give_material(request, case, *, supplement: bool = False):
    """Handle a MaterialGiveForm post: returns None on success, else the bound form with errors."""
    form = MaterialGiveForm(request.POST, request.FILES)
    if not form.is_valid():
        return form
    data = form.cleaned_data
    material = None
    if data.get("material"):
        material = next((m for m in case.item_version.materials.all() if m.pk == data["material"]), None)
        if material is None:
            form.add_error(None, _("材料不存在。"))
            return form
    provider, ref = "", ""
    if data.get("licence_ref"):
        provider, _sep, ref = data["licence_ref"].partition(":")
    kwargs = {
        "case": case,
        "acting_user": request.user,
        "material": material,
        "name": data.get("name") or "",
        "upload": data.get("file"),
        "licence_provider": provider,
        "licence_ref": ref,
        "commitment_text": data.get("commitment_text") or "",
        "expected_version": data.get("expected_version"),
    }
    try:
        if supplement:
            services.case_supplement(**kwargs)
        else:
            services.case_material_add(**kwargs)
    except ApplicationError as exc:
        add_service_errors(form, exc)
        return form
    return None


def timeline_rows(user, case, *, applicant_view: bool = False) -> list:
    return selectors.case_timeline(user=user, case=case, applicant_view=applicant_view)


def notice_links(case, prefix: str) -> list[dict]:
    out = []
    for kind in notices.available_notices(case):
        out.append(
            {
                "kind": kind,
                "label": notices.NOTICE_KINDS[kind].title,
                "url": reverse(prefix, args=[case_ref(case), kind]),
            }
        )
    return out


def notice_pdf(request, ref: str, kind: str) -> HttpResponse:
    case = get_case(request.user, ref)
    if kind not in notices.NOTICE_KINDS or kind not in notices.available_notices(case):
        raise Http404(_("该文书不存在。"))
    pdf = notices.render_notice_pdf(case, kind)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case_ref(case)}-{kind}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def result_pdf(request, ref: str) -> HttpResponse:
    """审批结果文书 (电子送达): the stored decision notice of the conclusion, byte for byte, to those who may see
    the case."""
    case = get_case(request.user, ref)
    notice = notices.result_document(case)
    if notice is None:
        raise Http404(_("该办件尚未办结，没有审批结果文书。"))
    response = HttpResponse(notices.notice_read(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case_ref(case)}-result.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def material_file(request, ref: str, material_id: int):
    try:
        row = selectors.case_material_get_for_user(user=request.user, ref=ref, material_id=material_id)
    except CaseNotFound as exc:
        raise Http404(_("材料不存在。")) from exc
    response = FileResponse(row.file.open("rb"), content_type=row.content_type or "application/octet-stream")
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------------------
# applying
# ---------------------------------------------------------------------------------------------------


def _item_or_404(code: str) -> ServiceItem:
    item = (
        ServiceItem.objects.select_related("current_version", "department")
        .filter(code=code, current_version__isnull=False)
        .first()
    )
    if item is None:
        raise Http404(_("事项不存在或未发布。"))
    return item


def _applicant_choices(user) -> list[tuple[str, str]]:
    choices = [("", _("本人：%(name)s") % {"name": user.full_name or user.username})]
    ids = account_rules.enterprise_ids(user)
    for enterprise in Enterprise.objects.filter(pk__in=ids).order_by("name"):
        if account_rules.can_act_for_enterprise(user, enterprise):
            choices.append((str(enterprise.pk), _("企业：%(name)s") % {"name": enterprise.name}))
    return choices


def _draft(user, ref) -> object:
    case = get_case(user, str(ref))
    if case.state != CaseState.DRAFT:
        raise Http404(_("该申请已提交。"))
    return case


def _stepper(current: int) -> list[dict]:
    labels = [_("填写信息"), _("上传材料"), _("确认提交")]
    return [
        {"index": i + 1, "label": label, "done": i + 1 < current, "current": i + 1 == current}
        for i, label in enumerate(labels)
    ]


# Form fields the catalog's conventional keys name as the applicant's own details: a new application starts
# with them filled in from the signed-in (real-name) account; the applicant may change them.
OWN_DETAIL_KEYS = {
    "applicant_name": "full_name",
    "id_card_no": "id_card_no",
    "mobile": "mobile",
    "contact_mobile": "mobile",
}


def _own_details(user, form_fields) -> dict:
    initial = {}
    for field in form_fields:
        attr = OWN_DETAIL_KEYS.get(field.key)
        value = getattr(user, attr, "") if attr else ""
        if value:
            initial[field.key] = value
    return initial


@applicant_login_required
@require_http_methods(["GET", "POST"])
def apply_start(request, code: str):
    """Step 1 for a new application: the form of the item (and whom it is for)."""
    item = _item_or_404(code)
    version = item.current_version
    form_fields = list(version.form_fields.all())
    choices = _applicant_choices(request.user)
    drafts = selectors.case_list(
        user=request.user, filters={"state": CaseState.DRAFT, "item": item.code}
    ).filter(created_by=request.user)[:5]
    refusal = None
    if not version.is_online:
        refusal = _("该事项不能网上申请，请携带材料到大厅窗口办理。")
    if request.method == "POST":
        form = ApplicationForm(request.POST, form_fields=form_fields)
        as_form = ApplyAsForm(request.POST, choices=choices)
        if form.is_valid() and as_form.is_valid():
            enterprise = None
            if as_form.cleaned_data["applicant"]:
                enterprise = Enterprise.objects.filter(pk=as_form.cleaned_data["applicant"]).first()
            try:
                case = services.case_save_draft(
                    acting_user=request.user,
                    item=item,
                    form_data=form.service_data(),
                    enterprise=enterprise,
                    idempotency_key=request.POST.get("idempotency_key", "")[:64],
                )
            except ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存草稿，请提交材料。"))
                return redirect("cases:apply_materials", case.pk)
    else:
        form = ApplicationForm(initial=_own_details(request.user, form_fields), form_fields=form_fields)
        as_form = ApplyAsForm(choices=choices)
    return render(
        request,
        "cases/apply/form.html",
        {
            "item": item,
            "version": version,
            "form": form,
            "as_form": as_form if len(choices) > 1 else None,
            "drafts": drafts,
            "refusal": refusal,
            "steps": _stepper(1),
            "idempotency_key": uuid.uuid4().hex,
            "base_template": base_template(request.user),
        },
    )


@applicant_login_required
@require_http_methods(["GET", "POST"])
def apply_form(request, ref):
    """Step 1 again for a saved draft."""
    case = _draft(request.user, ref)
    form_fields = list(case.item_version.form_fields.all())
    if request.method == "POST":
        form = ApplicationForm(request.POST, form_fields=form_fields)
        if form.is_valid():
            try:
                services.case_save_draft(
                    acting_user=request.user,
                    case=case,
                    form_data=form.service_data(),
                    expected_version=expected(request.POST),
                )
            except ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("cases:apply_materials", case.pk)
    else:
        form = ApplicationForm(initial=case.form_data, form_fields=form_fields)
    return render(
        request,
        "cases/apply/form.html",
        {
            "item": case.item,
            "version": case.item_version,
            "case": case,
            "form": form,
            "steps": _stepper(1),
            "base_template": base_template(request.user),
        },
    )


@applicant_login_required
@require_http_methods(["GET", "POST"])
def apply_materials(request, ref):
    """Step 2: every material of the item — upload, held licence or 告知承诺."""
    case = _draft(request.user, ref)
    failed = None
    if request.method == "POST":
        failed = give_material(request, case)
        if failed is None:
            messages.success(request, _("材料已提交。"))
            return redirect("cases:apply_materials", case.pk)
        case = _draft(request.user, ref)
    return render(
        request,
        "cases/apply/materials.html",
        {
            "case": case,
            "item": case.item,
            "rows": material_rows(case, request.user),
            "failed": failed,
            "failed_material": (failed.data.get("material") if failed is not None else None),
            "steps": _stepper(2),
            "is_clerk": t.CLERK in access.actor_roles(request.user, case)
            and t.APPLICANT not in access.actor_roles(request.user, case),
            "base_template": base_template(request.user),
        },
    )


@applicant_login_required
@require_http_methods(["GET", "POST"])
def apply_confirm(request, ref):
    """Step 3: check everything, choose delivery, submit (an idempotency key makes a double click harmless)."""
    case = get_case(request.user, str(ref))
    if case.state != CaseState.DRAFT:
        # a second click after the first one went through: show the submitted case
        return redirect(case_url_for(request.user, case))
    form = ConfirmSubmitForm(initial={"expected_version": case.version, "idempotency_key": uuid.uuid4().hex})
    if request.method == "POST":
        form = ConfirmSubmitForm(request.POST)
        if form.is_valid():
            try:
                channel = request.POST.get("delivery_channel", "")
                if channel:
                    case = services.case_save_draft(
                        acting_user=request.user,
                        case=case,
                        delivery={
                            "channel": channel,
                            "hall": request.POST.get("delivery_hall") or None,
                            "address": request.POST.get("delivery_address", ""),
                        },
                        expected_version=form.cleaned_data["expected_version"],
                    )
                    version = case.version
                else:
                    version = form.cleaned_data["expected_version"]
                case = services.case_submit(
                    case=case,
                    acting_user=request.user,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    expected_version=version,
                )
            except ApplicationError as exc:
                add_service_errors(form, exc)
                case = get_case(request.user, str(ref))
                if case.state != CaseState.DRAFT:
                    return redirect(case_url_for(request.user, case))
            else:
                messages.success(request, _("申请已提交，办件编号 %(n)s。") % {"n": case.number})
                return redirect(case_url_for(request.user, case))
    fields = {f.key: f.label for f in case.item_version.form_fields.all()}
    return render(
        request,
        "cases/apply/confirm.html",
        {
            "case": case,
            "item": case.item,
            "form": form,
            "form_rows": [(fields.get(k, k), v) for k, v in case.form_data.items()],
            "rows": material_rows(case, request.user),
            "halls": Hall.objects.filter(is_active=True).order_by("sort_order", "name"),
            "channels": DeliveryChannel.choices,
            "steps": _stepper(3),
            "base_template": base_template(request.user),
        },
    )


# ---------------------------------------------------------------------------------------------------
# 我的办件
# ---------------------------------------------------------------------------------------------------


@applicant_login_required
def my_cases(request):
    qs = selectors.case_list(user=request.user, filters={"mine": "1", "state": request.GET.get("state", "")})
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    cards = [
        {
            "case": case,
            "clock": clock.status(case),
            "next": _(NEXT_FOR_APPLICANT.get(case.state, "")),
            "url": case_url_for(request.user, case)
            if case.state != CaseState.DRAFT or case.created_by_id == request.user.pk
            else "",
        }
        for case in page.object_list
    ]
    return render(request, "cases/my/list.html", {"cards": cards, "page": page, "items_url": "/items/"})


def _mine_or_404(request, ref):
    case = get_case(request.user, ref)
    if not (access.is_case_applicant(request.user, case) or case.created_by_id == request.user.pk):
        raise Http404(_("办件不存在或您无权查看。"))
    return case


@applicant_login_required
def my_case(request, ref: str):
    case = _mine_or_404(request, ref)
    if case.state == CaseState.DRAFT:
        return redirect("cases:apply_materials", case.pk)
    roles = access.actor_roles(request.user, case) & {t.APPLICANT}
    allowed = set(t.allowed_actions(case.state, roles))
    returned = None
    if case.is_suspended:
        current = [s for s in case.suspensions.all() if s.resumed_on is None]
        if current and current[-1].kind == SuspensionKind.SUPPLEMENT:
            returned = current[-1]
    next_step = _(NEXT_FOR_APPLICANT.get(case.state, ""))
    if returned is not None:
        next_step = _("审查部门退回补充材料：请按要求提交，审查部门收到后恢复审查")
    elif case.is_suspended:
        next_step = _("特别程序进行中，计时中止，请留意通知")
    return render(
        request,
        "cases/my/detail.html",
        {
            "case": case,
            "clock": clock.status(case),
            "next": next_step,
            "returned": returned,
            "timeline": timeline_rows(request.user, case, applicant_view=True),
            "rows": material_rows(case, request.user),
            "notices": notice_links(case, "cases:my_notice"),
            "allowed": allowed,
            "results": registries.case_results(case)
            if case.state in (CaseState.CONCLUDED, CaseState.DELIVERED)
            else [],
            "result_url": reverse("cases:my_result", args=[case_ref(case)]) if case.decision else "",
            "missing": [m for m in case.materials.all() if m.kind == MaterialKind.MISSING],
            "reason_form": ReasonForm(initial={"expected_version": case.version}),
        },
    )


@applicant_login_required
@require_POST
def my_case_act(request, ref: str, action: str):
    """The applicant's actions: material (while awaiting correction), resubmit, supplement, withdraw, pay, receive."""
    case = _mine_or_404(request, ref)
    version = expected(request.POST)
    try:
        if action == "material":
            failed = give_material(request, case)
            if failed is not None:
                for error in failed.non_field_errors() + [e for errs in failed.errors.values() for e in errs]:
                    messages.error(request, error)
                    break
            else:
                messages.success(request, _("材料已提交。"))
        elif action == "supplement":
            failed = give_material(request, case, supplement=True)
            if failed is not None:
                for error in [e for errs in failed.errors.values() for e in errs][:1]:
                    messages.error(request, error)
            elif request.POST.get("material"):
                messages.success(request, _("容缺材料已补齐。"))
            else:
                messages.success(request, _("补充材料已提交，等待审查部门恢复审查。"))
        elif action == "resubmit":
            services.case_resubmit(case=case, acting_user=request.user, expected_version=version)
            messages.success(request, _("已重新提交，等待窗口受理。"))
        elif action == "withdraw":
            services.case_withdraw(
                case=case,
                acting_user=request.user,
                reason=request.POST.get("reason", ""),
                expected_version=version,
            )
            messages.success(request, _("申请已撤回。"))
        elif action == "pay":
            case = services.case_pay(case=case, acting_user=request.user, expected_version=version)
            messages.success(request, _("缴费成功，电子票据号 %(no)s。") % {"no": case.fee_receipt_no})
        elif action == "receive":
            services.case_deliver(
                case=case,
                acting_user=request.user,
                channel=DeliveryChannel.ELECTRONIC,
                expected_version=version,
            )
            messages.success(request, _("已电子送达，可下载结果文书。"))
        else:
            raise Http404(_("没有该操作。"))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("cases:my_case", case_ref(case))
