"""Reads of the catalog, already scoped to what the caller may see, at a constant number of queries."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.catalog import flags, rules
from bianmin.catalog.constants import (
    CertificateState,
    ExerciseLevel,
    HandlingForm,
    ItemStatus,
    LimitUnit,
    MaterialForm,
    MaterialSource,
    Necessity,
    OnlineDepth,
    ServiceObject,
    Target,
    UniversalScope,
    VersionState,
    limit_length,
)
from bianmin.catalog.models import Certificate, FormField, ItemVersion, Material, ServiceItem
from bianmin.core.exceptions import NotFound
from bianmin.organisations.models import Department
from bianmin.web.text import clause_separator, join_list

TRUE_VALUES = {"1", "true", "yes", "on"}


# --------------------------------------------------------------------------------------------------
# public catalog
# --------------------------------------------------------------------------------------------------


def published_items() -> QuerySet[ServiceItem]:
    """Items with a published version that is not 取消, with what a list shows (no N+1)."""
    return (
        ServiceItem.objects.filter(current_version__isnull=False)
        .exclude(current_version__status=ItemStatus.CANCELLED)
        .select_related("current_version", "department")
    )


def _text_search(qs: QuerySet[ServiceItem], q: str) -> QuerySet[ServiceItem]:
    try:
        search = importlib.import_module("bianmin.catalog.search")
    except ImportError:
        search = None
    search_items = getattr(search, "search_items", None)
    if search_items is not None:
        return search_items(qs, q)
    return qs.filter(Q(current_version__name__icontains=q) | Q(search_text__icontains=q) | Q(code__iexact=q))


def published_item_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[ServiceItem]:
    """The public catalog with the filters of design.md §6: department, type, target, theme, the four 办, q."""
    filters = filters or {}
    qs = published_items()
    department = str(filters.get("department") or "").strip()
    if department:
        # The department's public identifier is its 4-digit short code (as in /api/v1/departments/);
        # any other number is taken as its database id (pages built from model choices send that).
        # A 4-digit database id (PostgreSQL sequences reach them) that is no one's short code is an id:
        # one query either way.
        if len(department) == 4 and department.isdigit():
            no_such_code = ~Exists(Department.objects.filter(short_code=department))
            qs = qs.filter(
                Q(department__short_code=department) | (Q(department_id=int(department)) & no_such_code)
            )
        elif department.isdigit():
            qs = qs.filter(department_id=int(department))
        else:
            qs = qs.none()
    department_id = str(filters.get("department_id") or "").strip()
    if department_id:
        qs = qs.filter(department_id=int(department_id)) if department_id.isdigit() else qs.none()
    item_type = str(filters.get("type") or "").strip()
    if item_type:
        qs = qs.filter(current_version__item_type__in=[t for t in item_type.split(",") if t])
    target = str(filters.get("target") or "").strip()
    if target == Target.NATURAL:
        qs = qs.filter(current_version__serves_natural_person=True)
    elif target == Target.LEGAL:
        qs = qs.filter(current_version__serves_legal_person=True)
    elif target:
        qs = qs.none()
    level = str(filters.get("level") or "").strip()
    if level:
        qs = qs.filter(current_version__exercise_level__in=[v for v in level.split(",") if v])
    theme = str(filters.get("theme") or "").strip()
    if theme:
        qs = qs.filter(current_version__themes__code=theme)
    for flag, q_factory in flags.FLAG_QS.items():
        if str(filters.get(flag) or "").lower() in TRUE_VALUES:
            qs = qs.filter(q_factory())
    q = str(filters.get("q") or "").strip()
    if q:
        qs = _text_search(qs, q[:100])
    else:
        qs = qs.order_by("department__sort_order", "sort_order", "code")
    return qs


def versions_in_force(*, on) -> QuerySet[ItemVersion]:
    """The version of each item that was published and in force at the end of the day `on` (for KPIs "as of")."""
    end = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))
    return (
        ItemVersion.objects.filter(published_at__lt=end)
        .filter(Q(retired_at__isnull=True) | Q(retired_at__gte=end))
        .select_related("item", "item__department")
    )


def published_item_detail_queryset() -> QuerySet[ServiceItem]:
    return published_items().prefetch_related(
        Prefetch(
            "current_version__materials",
            queryset=Material.objects.select_related("certificate").order_by("order", "pk"),
        ),
        Prefetch("current_version__form_fields", queryset=FormField.objects.order_by("order", "pk")),
        "current_version__themes",
        "current_version__partner_departments",
        "sub_items__current_version",
    )


def published_item_get(*, code: str) -> ServiceItem:
    item = published_item_detail_queryset().filter(code=code).first()
    if item is None:
        raise NotFound(_("未找到该事项，或该事项未发布。"))
    return item


# What the guide page needs before its cached article: the cache key's parts, the title, and the
# sub-items' names and badges. Loading only these keeps the two queries cheap to build.
_GUIDE_HEADER_FIELDS = (
    "id",
    "code",
    "is_nearby",
    "department",
    "department__name",
    "department__phone",
    "parent",
    "parent__code",
    "parent__current_version",
    "parent__current_version__name",
    "current_version",
    "current_version__name",
    "current_version__status",
    "current_version__published_at",
)
_GUIDE_SUB_ITEM_FIELDS = (
    "id",
    "code",
    "parent",
    "is_nearby",
    "sort_order",
    "current_version",
    "current_version__name",
    "current_version__is_instant",
    "current_version__is_online",
    "current_version__is_one_visit",
)


def published_item_guide_header(*, code: str) -> ServiceItem:
    """The item of a guide page without its version's contents (2 queries: the item with the name and
    publication time of its version, its department and parent; then its sub-items). The page renders
    the version's contents from a cache keyed by the published version; guide_version_contents() loads
    them on a miss. The version here has only those fields: use the one guide_version_contents returns."""
    try:
        return (
            ServiceItem.objects.filter(current_version__isnull=False, code=code)
            .exclude(current_version__status=ItemStatus.CANCELLED)
            .select_related("current_version", "department", "parent__current_version")
            .only(*_GUIDE_HEADER_FIELDS)
            .prefetch_related(
                Prefetch(
                    "sub_items",
                    queryset=ServiceItem.objects.filter(current_version__isnull=False)
                    .select_related("current_version")
                    .only(*_GUIDE_SUB_ITEM_FIELDS)
                    .order_by("sort_order", "code"),
                )
            )
            .order_by()
            .get()
        )
    except ServiceItem.DoesNotExist:
        raise NotFound(_("未找到该事项，或该事项未发布。")) from None


def guide_version_contents(version_id: int) -> ItemVersion:
    """The whole version as the 办事指南 shows it, with its materials (and their certificates) and
    partner departments: 3 queries whatever the number of materials."""
    return ItemVersion.objects.prefetch_related(
        Prefetch(
            "materials", queryset=Material.objects.select_related("certificate").order_by("order", "pk")
        ),
        "partner_departments",
    ).get(pk=version_id)


def certificate_list_public(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Certificate]:
    filters = filters or {}
    qs = Certificate.objects.filter(state=CertificateState.PUBLISHED).select_related("requesting_department")
    department = str(filters.get("department") or "").strip()
    if department:
        qs = qs.filter(requesting_department__short_code=department)
    q = str(filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(issuing_unit__icontains=q))
    if str(filters.get("commitment") or "").lower() in TRUE_VALUES:
        qs = qs.filter(commitment_allowed=True)
    return qs


def certificate_get_public(*, pk: int) -> Certificate:
    certificate = certificate_list_public().filter(pk=pk).first()
    if certificate is None:
        raise NotFound(_("未找到该证明事项。"))
    return certificate


def certificate_list_for_user(*, user) -> QuerySet[Certificate]:
    qs = Certificate.objects.select_related("requesting_department")
    if rules.can_review(user):
        return qs
    ids = rules.editable_department_ids(user) or set()
    return qs.filter(Q(requesting_department_id__in=ids) | Q(state=CertificateState.PUBLISHED))


def certificate_get_for_user(*, user, pk: int) -> Certificate:
    certificate = certificate_list_for_user(user=user).filter(pk=pk).first()
    if certificate is None:
        raise NotFound(_("未找到该证明事项。"))
    return certificate


# --------------------------------------------------------------------------------------------------
# editing (workbench and editing API)
# --------------------------------------------------------------------------------------------------


def item_list_for_editor(*, user) -> QuerySet[ServiceItem]:
    """Items the user may edit (their departments) or review (all, for platform admins)."""
    qs = ServiceItem.objects.select_related("department", "current_version").order_by(
        "department__sort_order", "sort_order", "code"
    )
    if rules.can_review(user):
        return qs
    ids = rules.editable_department_ids(user) or set()
    return qs.filter(department_id__in=ids)


def item_get_for_editor(*, user, pk: int) -> ServiceItem:
    item = item_list_for_editor(user=user).filter(pk=pk).first()
    if item is None:
        raise NotFound(_("未找到该事项。"))
    return item


def version_list_for_user(
    *, user, state: str | None = None, item: ServiceItem | None = None
) -> QuerySet[ItemVersion]:
    qs = ItemVersion.objects.select_related("item", "item__department", "submitted_by", "published_by")
    if not rules.can_review(user):
        qs = qs.filter(item__department_id__in=rules.editable_department_ids(user) or set())
    if state:
        qs = qs.filter(state=state)
    if item is not None:
        qs = qs.filter(item=item)
    return qs.order_by("item__code", "-number")


def version_detail_queryset() -> QuerySet[ItemVersion]:
    return ItemVersion.objects.select_related("item", "item__department").prefetch_related(
        Prefetch(
            "materials", queryset=Material.objects.select_related("certificate").order_by("order", "pk")
        ),
        Prefetch("form_fields", queryset=FormField.objects.order_by("order", "pk")),
        "themes",
        "partner_departments",
    )


def version_get_for_user(*, user, pk: int) -> ItemVersion:
    """The version if the user may see it (editor of its department or platform admin), else 404."""
    version = version_detail_queryset().filter(pk=pk).first()
    if version is None or not rules.can_see_versions(user, version.item):
        raise NotFound(_("未找到该事项版本。"))
    return version


def review_queue(*, user) -> QuerySet[ItemVersion]:
    if not rules.can_review(user):
        return ItemVersion.objects.none()
    return (
        ItemVersion.objects.filter(state=VersionState.IN_REVIEW)
        .select_related("item", "item__department", "submitted_by")
        .order_by("submitted_at", "pk")
    )


# --------------------------------------------------------------------------------------------------
# history: a field-by-field diff between two versions
# --------------------------------------------------------------------------------------------------

_CODE_LISTS = {
    "service_objects": ServiceObject,
    "handling_forms": HandlingForm,
    "online_depth": OnlineDepth,
}
_CODE_FIELDS = {"exercise_level": ExerciseLevel, "universal_scope": UniversalScope}
DIFF_FIELDS = (
    "status",
    "name",
    "aliases",
    "item_type",
    "exercise_level",
    "service_objects",
    "conditions",
    "process_steps",
    "legal_bases",
    "statutory_limit",
    "promised_limit",
    "special_steps",
    "handle_kind",
    "handling_forms",
    "visits_required",
    "online_depth",
    "universal_scope",
    "is_free",
    "fees",
    "is_investment_project",
    "result_name",
    "result_type",
    "place_notes",
    "consultation_phone",
    "supervision_phone",
)


def _label_of(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _limit_text(version: ItemVersion, which: str) -> str:
    number = getattr(version, f"{which}_limit")
    if number is None:
        return ""
    explanation = getattr(version, f"{which}_limit_explanation")
    text = limit_length(number, getattr(version, f"{which}_limit_unit"))
    return (
        _("%(text)s（%(explanation)s）") % {"text": text, "explanation": explanation} if explanation else text
    )


def _display(version: ItemVersion, field: str) -> str:
    if field in ("statutory_limit", "promised_limit"):
        return _limit_text(version, field.removesuffix("_limit"))
    value = getattr(version, field)
    if field in _CODE_LISTS:
        return join_list(_label_of(_CODE_LISTS[field], v) for v in value or ())
    if field in _CODE_FIELDS:
        return _label_of(_CODE_FIELDS[field], value) if value else ""
    display = getattr(version, f"get_{field}_display", None)
    if display is not None:
        return str(display())
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field == "aliases":
        return join_list(value or ())
    if field == "process_steps":
        return "\n".join(f"{i}. {s}" for i, s in enumerate(value or (), start=1))
    if field == "legal_bases":
        return "\n".join(
            " ".join(str(b.get(k) or "") for k in ("law", "article", "text")).strip() for b in value or ()
        )
    if field == "fees":
        return "\n".join(
            " ".join(str(f.get(k) or "") for k in ("name", "standard", "basis")).strip() for f in value or ()
        )
    if field == "special_steps":
        return "\n".join(_special_step_text(s) for s in value or ())
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def _material_text(m: Material) -> str:
    parts = [
        _label_of(Necessity, m.necessity),
        _label_of(MaterialForm, m.form),
        _("原件%(o)d份、复印件%(c)d份") % {"o": m.original_count, "c": m.copy_count},
        _label_of(MaterialSource, m.source),
    ]
    if m.source_note:
        parts.append(m.source_note)
    if m.certificate_id:
        parts.append(_("证明事项：%(name)s") % {"name": m.certificate.name})
    elif m.is_certificate:
        parts.append(_("证明材料（未关联清单）"))
    if m.licence_type_code:
        parts.append(_("电子证照：%(code)s") % {"code": m.licence_type_code})
    if m.notes:
        parts.append(m.notes)
    return clause_separator().join(str(p) for p in parts)


def _special_step_text(step: dict) -> str:
    unit = step.get("unit") or LimitUnit.WORKING_DAY
    duration = step.get("duration")
    length = limit_length(duration, unit) if duration else _label_of(LimitUnit, unit)
    values = {"name": step.get("name"), "length": length}
    if step.get("counted"):
        return _("%(name)s %(length)s（计入时限）") % values
    return _("%(name)s %(length)s（不计入时限）") % values


def _field_text(f: FormField) -> str:
    values = {"label": f.label, "kind": f.get_kind_display()}
    text = _("%(label)s（%(kind)s，必填）") % values if f.required else _("%(label)s（%(kind)s）") % values
    if f.choices:
        text = _("%(field)s：%(choices)s") % {"field": text, "choices": "/".join(f.choices)}
    return text


def version_diff(a: ItemVersion, b: ItemVersion) -> list[tuple[str, str, str]]:
    """What changed from version a to version b: (field label, old, new), materials and form fields included."""
    rows: list[tuple[str, str, str]] = []
    for field in DIFF_FIELDS:
        old, new = _display(a, field), _display(b, field)
        if old != new:
            rows.append((str(ItemVersion._meta.get_field(field).verbose_name), old, new))
    for label, getter in (
        (_("主题"), lambda v: join_list(sorted(t.name for t in v.themes.all()))),
        (_("并联审批部门"), lambda v: join_list(sorted(d.name for d in v.partner_departments.all()))),
    ):
        old, new = getter(a), getter(b)
        if old != new:
            rows.append((str(label), old, new))

    a_materials = {m.name: m for m in a.materials.all()}
    b_materials = {m.name: m for m in b.materials.all()}
    for name in [*a_materials, *[n for n in b_materials if n not in a_materials]]:
        old = _material_text(a_materials[name]) if name in a_materials else ""
        new = _material_text(b_materials[name]) if name in b_materials else ""
        if old != new:
            rows.append((_("申请材料：%(name)s") % {"name": name}, old, new))
    if [m.name for m in a.materials.all() if m.name in b_materials] != [
        m.name for m in b.materials.all() if m.name in a_materials
    ]:
        rows.append(
            (
                _("申请材料顺序"),
                join_list(m.name for m in a.materials.all()),
                join_list(m.name for m in b.materials.all()),
            )
        )
    a_fields = {f.key: f for f in a.form_fields.all()}
    b_fields = {f.key: f for f in b.form_fields.all()}
    for key in [*a_fields, *[k for k in b_fields if k not in a_fields]]:
        old = _field_text(a_fields[key]) if key in a_fields else ""
        new = _field_text(b_fields[key]) if key in b_fields else ""
        if old != new:
            rows.append((_("表单字段：%(key)s") % {"key": key}, old, new))
    return rows
