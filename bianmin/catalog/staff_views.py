"""Workbench pages of the catalog (/workbench/catalog/): items, drafts, review, history, certificate list.

Views shape input and call the same services as the API, so a rule holds in both.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bianmin.catalog import flags, rules, selectors, services
from bianmin.catalog.constants import CertificateState, VersionState
from bianmin.catalog.forms import (
    CertificateForm,
    FormFieldFormSet,
    ItemCodesForm,
    ItemIdentityForm,
    MaterialFormSet,
    VersionForm,
    form_field_rows_from_formset,
    material_rows_from_formset,
)
from bianmin.catalog.models import ItemVersion
from bianmin.core.exceptions import ApplicationError, NotFound
from bianmin.organisations.models import Department
from bianmin.web.text import clause_separator


def catalog_staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not rules.is_catalog_staff(request.user):
            raise PermissionDenied
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc

    return wrapper


def _report(request, exc: ApplicationError, *forms_) -> None:
    """Show a service's refusal: its message on top, its field messages on the matching form fields."""
    messages.error(request, str(exc.message))
    for field, errors in (exc.fields or {}).items():
        for form in forms_:
            if form is not None and field in form.fields:
                for error in errors if isinstance(errors, list) else [errors]:
                    form.add_error(field, str(error))
                break


def _editable_departments(user):
    ids = rules.editable_department_ids(user)
    qs = Department.objects.filter(is_active=True)
    return qs if ids is None else qs.filter(pk__in=ids)


# --------------------------------------------------------------------------------------------------
# items
# --------------------------------------------------------------------------------------------------


@catalog_staff_required
def item_list(request):
    open_versions = ItemVersion.objects.filter(
        item=OuterRef("pk"), state__in=[VersionState.DRAFT, VersionState.IN_REVIEW]
    ).order_by("-number")
    qs = selectors.item_list_for_editor(user=request.user).annotate(
        open_version_id=Subquery(open_versions.values("pk")[:1]),
        open_version_state=Subquery(open_versions.values("state")[:1]),
        open_version_name=Subquery(open_versions.values("name")[:1]),
        open_needs_correction=Subquery(open_versions.values("needs_correction")[:1]),
    )
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(
            Q(code__icontains=q) | Exists(ItemVersion.objects.filter(item=OuterRef("pk"), name__icontains=q))
        )
    department = request.GET.get("department", "")
    if department.isdigit():
        qs = qs.filter(department_id=int(department))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/workbench/item_list.html",
        {
            "page_obj": page,
            "q": q,
            "departments": _editable_departments(request.user),
            "department": department,
            "state_labels": dict(VersionState.choices),
            "is_reviewer": rules.can_review(request.user),
        },
    )


@catalog_staff_required
def item_create(request):
    departments = _editable_departments(request.user)
    form = ItemIdentityForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.item_create(
                acting_user=request.user,
                department=d["department"],
                implementation_code=d["implementation_code"],
                catalog_code=d["catalog_code"],
                handle_item_code=d["handle_item_code"],
                local_catalog_code=d["local_catalog_code"],
                local_implementation_code=d["local_implementation_code"],
                version_data=form.version_data(),
            )
        except ApplicationError as exc:
            _report(request, exc, form)
        else:
            messages.success(request, _("事项已创建，请继续完善草稿。"))
            return redirect("catalog:wb-version-edit", pk=item.versions.get().pk)
    return render(request, "catalog/workbench/item_create.html", {"form": form})


@catalog_staff_required
def item_detail(request, pk: int):
    item = selectors.item_get_for_editor(user=request.user, pk=pk)
    versions = list(selectors.version_list_for_user(user=request.user, item=item))
    open_version = next(
        (v for v in versions if v.state in (VersionState.DRAFT, VersionState.IN_REVIEW)), None
    )
    return render(
        request,
        "catalog/workbench/item_detail.html",
        {
            "item": item,
            "versions": versions,
            "open_version": open_version,
            "ever_published": any(v.published_at for v in versions),
            "can_edit": rules.can_edit_item(request.user, item),
        },
    )


@catalog_staff_required
def item_codes(request, pk: int):
    """Correct the national codes of an item that was never published."""
    item = selectors.item_get_for_editor(user=request.user, pk=pk)
    if not rules.can_edit_item(request.user, item):
        raise PermissionDenied
    fields = (
        "catalog_code",
        "implementation_code",
        "handle_item_code",
        "local_catalog_code",
        "local_implementation_code",
    )
    form = ItemCodesForm(request.POST or None, initial={f: getattr(item, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_update_codes(item=item, acting_user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _report(request, exc, form)
        else:
            if item.codes_valid:
                messages.success(request, _("编码已更正，符合国家规则。"))
                return redirect("catalog:wb-item", pk=item.pk)
            # code_problems are stored as written (Chinese msgids, placeholder-free): shown through gettext.
            problems = clause_separator().join(_(p) for p in item.code_problems)
            messages.warning(
                request, _("已保存，但编码仍不符合国家规则：%(problems)s") % {"problems": problems}
            )
    return render(request, "catalog/workbench/item_codes.html", {"item": item, "form": form})


@require_POST
@catalog_staff_required
def version_new_draft(request, pk: int):
    item = selectors.item_get_for_editor(user=request.user, pk=pk)
    try:
        draft = services.version_create_draft(item=item, acting_user=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("catalog:wb-item", pk=item.pk)
    messages.success(request, _("已新建第%(n)d版草稿（复制自现行版本）。") % {"n": draft.number})
    return redirect("catalog:wb-version-edit", pk=draft.pk)


# --------------------------------------------------------------------------------------------------
# versions
# --------------------------------------------------------------------------------------------------


@catalog_staff_required
def version_detail(request, pk: int):
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    against = request.GET.get("against", "")
    other = None
    if against.isdigit():
        other = selectors.version_get_for_user(user=request.user, pk=int(against))
        if other.item_id != version.item_id:
            raise Http404
    else:
        previous = (
            ItemVersion.objects.filter(item_id=version.item_id, number__lt=version.number)
            .order_by("-number")
            .first()
        )
        other = selectors.version_detail_queryset().get(pk=previous.pk) if previous else None
    problems = (
        services.version_publication_problems(version)
        if version.state in (VersionState.DRAFT, VersionState.IN_REVIEW)
        else {}
    )
    return render(
        request,
        "catalog/workbench/version_detail.html",
        {
            "version": version,
            "item": version.item,
            "other": other,
            "diff": selectors.version_diff(other, version) if other else [],
            "badges": flags.version_badges(version, taken_at_local_hall=version.item.is_taken_at_local_hall),
            "problems": [m for msgs in problems.values() for m in msgs],
            "can_edit": rules.can_edit_item(request.user, version.item),
            "can_review": rules.can_review(request.user),
            "all_versions": ItemVersion.objects.filter(item_id=version.item_id)
            .exclude(pk=version.pk)
            .order_by("-number"),
        },
    )


@catalog_staff_required
def version_edit(request, pk: int):
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    if not rules.can_edit_item(request.user, version.item):
        raise PermissionDenied
    if version.state != VersionState.DRAFT:
        messages.error(request, _("只有草稿版本可以修改；已提交或已发布的版本不能修改。"))
        return redirect("catalog:wb-version", pk=version.pk)
    material_initial = [
        {
            "id": m.pk,
            **{
                f: getattr(m, f)
                for f in (
                    "name",
                    "necessity",
                    "form",
                    "original_count",
                    "copy_count",
                    "source",
                    "source_note",
                    "is_certificate",
                    "licence_type_code",
                    "notes",
                )
            },
            "certificate": m.certificate_id,
        }
        for m in version.materials.all()
    ]
    field_initial = [
        {
            "id": f.pk,
            "key": f.key,
            "label": f.label,
            "kind": f.kind,
            "required": f.required,
            "choices": ", ".join(f.choices or ()),
            "max_length": f.max_length,
            "help_text": f.help_text,
        }
        for f in version.form_fields.all()
    ]
    if request.method == "POST":
        form = VersionForm(request.POST)
        materials = MaterialFormSet(request.POST, request.FILES, prefix="materials", initial=material_initial)
        fields = FormFieldFormSet(request.POST, prefix="fields", initial=field_initial)
        if form.is_valid() and materials.is_valid() and fields.is_valid():
            try:
                services.version_update(
                    version=version,
                    acting_user=request.user,
                    data=form.service_data(),
                    materials=material_rows_from_formset(materials),
                    form_fields=form_field_rows_from_formset(fields),
                )
            except ApplicationError as exc:
                _report(request, exc, form)
            else:
                messages.success(request, _("草稿已保存。"))
                return redirect("catalog:wb-version", pk=version.pk)
        else:
            messages.error(request, _("请更正下面标出的错误。"))
    else:
        form = VersionForm(initial=VersionForm.initial_for(version))
        materials = MaterialFormSet(prefix="materials", initial=material_initial)
        fields = FormFieldFormSet(prefix="fields", initial=field_initial)
    return render(
        request,
        "catalog/workbench/version_edit.html",
        {
            "version": version,
            "item": version.item,
            "form": form,
            "materials": materials,
            "fields": fields,
            "stored_materials": {m.pk: m for m in version.materials.all()},
        },
    )


VERSION_ACTIONS = ("submit", "return", "publish", "retire")


@require_POST
@catalog_staff_required
def version_action(request, pk: int, action: str):
    if action not in VERSION_ACTIONS:
        raise Http404
    version = selectors.version_get_for_user(user=request.user, pk=pk)
    try:
        if action == "submit":
            services.version_submit_for_review(version=version, acting_user=request.user)
            messages.success(request, _("已提交审核。"))
        elif action == "return":
            services.version_return_to_draft(
                version=version, acting_user=request.user, comments=request.POST.get("comments", "")
            )
            messages.success(request, _("已退回修改。"))
        elif action == "publish":
            services.version_publish(version=version, acting_user=request.user)
            messages.success(request, _("已发布，新版本已替换原版本。"))
        else:
            services.version_retire(
                version=version, acting_user=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("版本已停用。"))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        for errors in (exc.fields or {}).values():
            for error in errors if isinstance(errors, list) else [errors]:
                if str(error) != str(exc.message):
                    messages.error(request, str(error))
    next_url = (
        "catalog:wb-review"
        if action in ("return", "publish") and request.POST.get("from") == "queue"
        else None
    )
    return redirect(next_url) if next_url else redirect("catalog:wb-version", pk=version.pk)


@catalog_staff_required
def review_queue(request):
    if not rules.can_review(request.user):
        raise PermissionDenied
    page = Paginator(selectors.review_queue(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "catalog/workbench/review_queue.html", {"page_obj": page})


# --------------------------------------------------------------------------------------------------
# certificate list
# --------------------------------------------------------------------------------------------------


@catalog_staff_required
def certificate_list(request):
    qs = selectors.certificate_list_for_user(user=request.user)
    state = request.GET.get("state", "")
    if state in CertificateState.values:
        qs = qs.filter(state=state)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/workbench/certificate_list.html",
        {
            "page_obj": page,
            "state": state,
            "states": CertificateState.choices,
            "is_reviewer": rules.can_review(request.user),
        },
    )


@catalog_staff_required
def certificate_edit(request, pk: int | None = None):
    certificate = selectors.certificate_get_for_user(user=request.user, pk=pk) if pk else None
    departments = _editable_departments(request.user)
    initial = (
        {
            "name": certificate.name,
            "legal_basis": certificate.legal_basis,
            "requesting_department": certificate.requesting_department_id,
            "issuing_unit": certificate.issuing_unit,
            "guide": certificate.guide,
            "commitment_allowed": certificate.commitment_allowed,
            "alternative": certificate.alternative,
        }
        if certificate
        else None
    )
    form = CertificateForm(request.POST or None, initial=initial, departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            if certificate is None:
                certificate = services.certificate_create(acting_user=request.user, data=form.cleaned_data)
            else:
                certificate = services.certificate_update(
                    certificate=certificate, acting_user=request.user, data=form.cleaned_data
                )
        except ApplicationError as exc:
            _report(request, exc, form)
        else:
            messages.success(request, _("证明事项已保存。"))
            return redirect("catalog:wb-certificate", pk=certificate.pk)
    return render(
        request,
        "catalog/workbench/certificate_edit.html",
        {
            "form": form,
            "certificate": certificate,
            "is_reviewer": rules.can_review(request.user),
            "can_edit": certificate is None
            or (
                certificate.state != CertificateState.RETIRED
                and rules.can_edit_certificate(request.user, certificate)
            ),
        },
    )


@require_POST
@catalog_staff_required
def certificate_action(request, pk: int, action: str):
    certificate = selectors.certificate_get_for_user(user=request.user, pk=pk)
    try:
        if action == "publish":
            services.certificate_publish(certificate=certificate, acting_user=request.user)
            messages.success(request, _("证明事项已公布。"))
        elif action == "retire":
            services.certificate_retire(
                certificate=certificate, acting_user=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("证明事项已取消。"))
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("catalog:wb-certificate", pk=certificate.pk)
