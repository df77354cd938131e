"""The one write path of the catalog: items, versions and their lifecycle, the certificate list.

Every function is one transaction, checks permission on the server, validates, writes and records
one audit entry. Lifecycle: draft → in_review → published → retired, and in_review → draft when the
reviewer sends a version back with comments. A published version is immutable (the model refuses too).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bianmin.accounts.constants import Role
from bianmin.audit.services import audit_record
from bianmin.catalog import flags, rules
from bianmin.catalog.constants import (
    LEGAL_PERSON_OBJECTS,
    NATURAL_PERSON_OBJECTS,
    CertificateState,
    ExerciseLevel,
    FormFieldKind,
    HandleKind,
    HandlingForm,
    ItemStatus,
    ItemType,
    LimitUnit,
    MaterialForm,
    MaterialSource,
    Necessity,
    OnlineDepth,
    ResultType,
    ServiceObject,
    UniversalScope,
    VersionState,
)
from bianmin.catalog.exceptions import (
    CatalogPermissionDenied,
    CatalogValidationError,
    PublicationRefused,
    VersionStateConflict,
)
from bianmin.catalog.models import (
    Certificate,
    FormField,
    ItemVersion,
    Material,
    ServiceItem,
    Theme,
    build_item_code,
)
from bianmin.core.validators import CATALOG_CODE_RE, implementation_code_problems
from bianmin.organisations.models import Department

# Content fields of a version an editor sets (besides materials, form fields and the M2M relations).
VERSION_SCALAR_FIELDS = (
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
    "statutory_limit_unit",
    "statutory_limit_explanation",
    "promised_limit",
    "promised_limit_unit",
    "promised_limit_explanation",
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
VERSION_M2M_FIELDS = ("partner_departments", "themes")
DERIVED_FIELDS = (
    *flags.VERSION_FLAG_FIELDS,
    "serves_natural_person",
    "serves_legal_person",
    "is_window_handled",
)
MATERIAL_FIELDS = (
    "order",
    "name",
    "necessity",
    "form",
    "original_count",
    "copy_count",
    "source",
    "source_note",
    "is_certificate",
    "certificate",
    "licence_type_code",
    "blank_form",
    "sample",
    "notes",
)
FORM_FIELD_FIELDS = ("order", "key", "label", "kind", "required", "choices", "max_length", "help_text")


# --------------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------------


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(str(message))

    def raise_if_any(self, cls=CatalogValidationError, message: str | None = None) -> None:
        if self.fields:
            first = next(iter(self.fields.values()))[0]
            raise cls(message or first, fields=self.fields)


def _codes_list(value: Any, allowed: Iterable[str], field: str, label: str, errors: _Errors) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in value.replace("，", ",").split(",") if v.strip()]
    if not isinstance(value, list | tuple):
        errors.add(field, _("%(label)s应为编码列表。") % {"label": label})
        return []
    allowed = set(allowed)
    out: list[str] = []
    for v in value:
        v = str(v).strip()
        if v not in allowed:
            errors.add(field, _("%(label)s含有无效编码“%(code)s”。") % {"label": label, "code": v})
        elif v not in out:
            out.append(v)
    return sorted(out, key=lambda c: (len(c), c))


def _strings(value: Any, field: str, label: str, errors: _Errors) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in value.replace("，", ",").replace("、", ",").split(",")]
    if not isinstance(value, list | tuple):
        errors.add(field, _("%(label)s应为文本列表。") % {"label": label})
        return []
    return [str(v).strip() for v in value if str(v).strip()]


def _dict_rows(
    value: Any, keys: tuple[str, ...], required: tuple[str, ...], field: str, label: str, errors: _Errors
) -> list[dict]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple):
        errors.add(field, _("%(label)s应为列表。") % {"label": label})
        return []
    rows = []
    for index, row in enumerate(value, start=1):
        if not isinstance(row, Mapping):
            errors.add(field, _("%(label)s第%(n)d项格式不正确。") % {"label": label, "n": index})
            continue
        clean = {k: row.get(k, "") for k in keys}
        for k in required:
            if clean.get(k) in (None, ""):
                errors.add(field, _("%(label)s第%(n)d项缺少必填内容。") % {"label": label, "n": index})
                break
        rows.append(clean)
    return rows


def _choice(value: Any, choices, field: str, label: str, errors: _Errors, *, blank_ok: bool = False) -> str:
    value = "" if value is None else str(value).strip()
    if blank_ok and value == "":
        return ""
    if value == "":
        errors.add(field, _("请选择%(label)s。") % {"label": label})
    elif value not in choices.values:
        errors.add(field, _("%(label)s的取值“%(value)s”无效。") % {"label": label, "value": value})
    return value


def _optional_int(value: Any, field: str, label: str, errors: _Errors) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, _("%(label)s应为整数。") % {"label": label})
        return None
    if number < 0:
        errors.add(field, _("%(label)s不能为负数。") % {"label": label})
        return None
    return number


def clean_version_data(data: Mapping[str, Any], *, base: ItemVersion | None = None) -> dict[str, Any]:
    """Validate and normalise the scalar content of a version. Raises CatalogValidationError."""
    errors = _Errors()
    current = {f: getattr(base, f) for f in VERSION_SCALAR_FIELDS} if base is not None else {}
    merged = {**current, **{k: v for k, v in data.items() if k in VERSION_SCALAR_FIELDS}}
    unknown = set(data) - set(VERSION_SCALAR_FIELDS) - set(VERSION_M2M_FIELDS)
    for key in sorted(unknown):
        errors.add(key, _("未知字段。"))

    out: dict[str, Any] = {}
    out["name"] = str(merged.get("name") or "").strip()
    if not out["name"]:
        errors.add("name", _("请填写事项名称。"))
    elif len(out["name"]) > 200:
        errors.add("name", _("事项名称不能超过200字。"))
    out["aliases"] = _strings(merged.get("aliases"), "aliases", _("别名"), errors)
    out["status"] = _choice(
        merged.get("status") or ItemStatus.IN_USE, ItemStatus, "status", _("事项状态"), errors
    )
    out["item_type"] = _choice(merged.get("item_type"), ItemType, "item_type", _("事项类型"), errors)
    out["exercise_level"] = _choice(
        merged.get("exercise_level"), ExerciseLevel, "exercise_level", _("行使层级"), errors
    )
    out["service_objects"] = _codes_list(
        merged.get("service_objects"), ServiceObject.values, "service_objects", _("服务对象"), errors
    )
    if not out["service_objects"] and "service_objects" not in errors.fields:
        errors.add("service_objects", _("请至少选择一个服务对象。"))
    out["conditions"] = str(merged.get("conditions") or "").strip()
    out["process_steps"] = _strings(merged.get("process_steps"), "process_steps", _("办理流程"), errors)
    out["legal_bases"] = _dict_rows(
        merged.get("legal_bases"), ("law", "article", "text"), ("law",), "legal_bases", _("设定依据"), errors
    )
    for limit in ("statutory", "promised"):
        label = _("法定办结时限") if limit == "statutory" else _("承诺办结时限")
        out[f"{limit}_limit"] = _optional_int(merged.get(f"{limit}_limit"), f"{limit}_limit", label, errors)
        out[f"{limit}_limit_unit"] = _choice(
            merged.get(f"{limit}_limit_unit") or LimitUnit.WORKING_DAY,
            LimitUnit,
            f"{limit}_limit_unit",
            _("时限单位"),
            errors,
        )
        out[f"{limit}_limit_explanation"] = str(merged.get(f"{limit}_limit_explanation") or "").strip()
    special_steps = _dict_rows(
        merged.get("special_steps"),
        ("name", "duration", "unit", "counted"),
        ("name",),
        "special_steps",
        _("特殊环节"),
        errors,
    )
    for row in special_steps:
        row["duration"] = _optional_int(row.get("duration"), "special_steps", _("特殊环节时长"), errors)
        row["unit"] = row.get("unit") or LimitUnit.WORKING_DAY
        if row["unit"] not in LimitUnit.values:
            errors.add("special_steps", _("特殊环节的时限单位无效。"))
        row["counted"] = bool(row.get("counted"))
    out["special_steps"] = special_steps
    out["handle_kind"] = _choice(merged.get("handle_kind"), HandleKind, "handle_kind", _("办件类型"), errors)
    out["handling_forms"] = _codes_list(
        merged.get("handling_forms"), HandlingForm.values, "handling_forms", _("办理形式"), errors
    )
    visits = _optional_int(merged.get("visits_required"), "visits_required", _("到现场次数"), errors)
    if visits is None and "visits_required" not in errors.fields:
        errors.add("visits_required", _("请填写到现场次数。"))
    elif visits is not None and visits > 20:
        errors.add("visits_required", _("到现场次数不合理（超过20次）。"))
    out["visits_required"] = visits if visits is not None else 0
    out["online_depth"] = _codes_list(
        merged.get("online_depth"), OnlineDepth.values, "online_depth", _("网办深度"), errors
    )
    out["universal_scope"] = _choice(
        merged.get("universal_scope"), UniversalScope, "universal_scope", _("通办范围"), errors, blank_ok=True
    )
    out["is_free"] = bool(merged.get("is_free", True))
    out["fees"] = _dict_rows(
        merged.get("fees"), ("name", "standard", "basis"), ("name",), "fees", _("收费项目"), errors
    )
    if out["is_free"] and out["fees"]:
        errors.add("fees", _("不收费的事项不能有收费项目。"))
    if not out["is_free"] and not out["fees"] and "fees" not in errors.fields:
        errors.add("fees", _("收费事项请至少填写一个收费项目及其依据。"))
    out["is_investment_project"] = bool(merged.get("is_investment_project", False))
    out["result_name"] = str(merged.get("result_name") or "").strip()
    out["result_type"] = _choice(
        merged.get("result_type") or ResultType.OTHER, ResultType, "result_type", _("审批结果类型"), errors
    )
    for key in ("place_notes", "consultation_phone", "supervision_phone"):
        out[key] = str(merged.get(key) or "").strip()
    for key in ("consultation_phone", "supervision_phone"):
        if len(out[key]) > 64:
            errors.add(key, _("电话不能超过64个字符。"))

    for field, message in limit_problems(out):
        errors.add(field, message)
    errors.raise_if_any()
    return out


def limit_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The time-limit rules: promised ≤ statutory (both in working days) and 即办件 promised 0."""
    problems: list[tuple[str, str]] = []
    statutory, promised = values.get("statutory_limit"), values.get("promised_limit")
    if (
        statutory is not None
        and promised is not None
        and values.get("statutory_limit_unit") == LimitUnit.WORKING_DAY
        and values.get("promised_limit_unit") == LimitUnit.WORKING_DAY
        and promised > statutory
    ):
        problems.append(
            (
                "promised_limit",
                _("承诺办结时限（%(p)d个工作日）不能超过法定办结时限（%(s)d个工作日）。")
                % {"p": promised, "s": statutory},
            )
        )
    if values.get("handle_kind") == HandleKind.INSTANT and promised not in (None, 0):
        problems.append(("promised_limit", _("即办件的承诺办结时限应为0。")))
    return problems


def _clean_materials(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    errors = _Errors()
    out = []
    for index, row in enumerate(rows, start=1):
        name = str(row.get("name") or "").strip()
        if not name:
            errors.add("materials", _("第%(n)d项材料缺少名称。") % {"n": index})
        clean: dict[str, Any] = {
            "id": row.get("id"),
            "order": _optional_int(row.get("order"), "materials", _("材料序号"), errors) or index,
            "name": name,
            "necessity": _choice(
                row.get("necessity") or Necessity.REQUIRED, Necessity, "materials", _("材料必要性"), errors
            ),
            "form": _choice(
                row.get("form") or MaterialForm.PAPER_OR_ELECTRONIC,
                MaterialForm,
                "materials",
                _("材料形式"),
                errors,
            ),
            "original_count": _optional_int(row.get("original_count"), "materials", _("原件份数"), errors)
            or 0,
            "copy_count": _optional_int(row.get("copy_count"), "materials", _("复印件份数"), errors) or 0,
            "source": _choice(
                row.get("source") or MaterialSource.APPLICANT,
                MaterialSource,
                "materials",
                _("来源渠道"),
                errors,
            ),
            "source_note": str(row.get("source_note") or "").strip()[:300],
            "is_certificate": bool(row.get("is_certificate")) or bool(row.get("certificate")),
            "licence_type_code": str(row.get("licence_type_code") or "").strip()[:32],
            "notes": str(row.get("notes") or "").strip(),
        }
        certificate = row.get("certificate")
        if certificate not in (None, ""):
            if not isinstance(certificate, Certificate):
                certificate = (
                    Certificate.objects.filter(pk=certificate).first() if str(certificate).isdigit() else None
                )
                if certificate is None:
                    errors.add("materials", _("材料“%(name)s”指向的证明事项不存在。") % {"name": name})
            clean["certificate"] = certificate
        else:
            clean["certificate"] = None
        for file_field in ("blank_form", "sample"):
            if file_field in row:
                clean[file_field] = row[file_field]
        out.append(clean)
    errors.raise_if_any()
    return out


def _clean_form_fields(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    errors = _Errors()
    out = []
    keys: set[str] = set()
    for index, row in enumerate(rows, start=1):
        key = str(row.get("key") or "").strip()
        label = str(row.get("label") or "").strip()
        if not key or not all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in key):
            errors.add("form_fields", _("第%(n)d个表单字段的标识应为英文字母、数字或下划线。") % {"n": index})
        elif key in keys:
            errors.add("form_fields", _("表单字段标识“%(key)s”重复。") % {"key": key})
        keys.add(key)
        if not label:
            errors.add("form_fields", _("第%(n)d个表单字段缺少名称。") % {"n": index})
        kind = _choice(
            row.get("kind") or FormFieldKind.TEXT, FormFieldKind, "form_fields", _("字段类型"), errors
        )
        choices = _strings(row.get("choices"), "form_fields", _("选项"), errors)
        if kind == FormFieldKind.CHOICE and not choices:
            errors.add("form_fields", _("选项字段“%(label)s”至少需要一个选项。") % {"label": label})
        out.append(
            {
                "id": row.get("id"),
                "order": _optional_int(row.get("order"), "form_fields", _("字段序号"), errors) or index,
                "key": key[:50],
                "label": label[:100],
                "kind": kind,
                "required": bool(row.get("required", True)),
                "choices": choices if kind == FormFieldKind.CHOICE else [],
                "max_length": _optional_int(row.get("max_length"), "form_fields", _("最大长度"), errors),
                "help_text": str(row.get("help_text") or "").strip()[:300],
            }
        )
    errors.raise_if_any()
    return out


# --------------------------------------------------------------------------------------------------
# codes
# --------------------------------------------------------------------------------------------------


HANDLE_ITEM_CODE_RE = re.compile(r"^[0-9A-Za-z._-]{1,50}$")


def handle_item_code_problem(handle_item_code: str) -> str | None:
    """What is wrong with a 业务办理项编码 (None when blank or valid): it ends the item's public code,
    which is part of URLs, so only letters, digits, “.”, “_” and “-”, up to 50."""
    if not handle_item_code:
        return None
    if len(handle_item_code) > 50:
        return str(_("业务办理项编码不能超过50位。"))
    if not HANDLE_ITEM_CODE_RE.fullmatch(handle_item_code):
        return str(_("业务办理项编码只能由字母、数字和“.”“_”“-”组成。"))
    return None


def item_code_problems(
    *, implementation_code: str, catalog_code: str, department: Department, exercise_level: str | None = None
) -> list[str]:
    """Everything wrong with an item's national codes (empty when they are valid)."""
    problems: list[str] = []
    if not CATALOG_CODE_RE.fullmatch((catalog_code or "").upper()):
        problems.append(_("基本编码应为12位数字或大写字母。"))
    problems += implementation_code_problems(
        implementation_code, catalog_code=catalog_code or None, uscc=department.uscc
    )
    if exercise_level and len(implementation_code or "") == 31 and implementation_code[18] != exercise_level:
        problems.append(_("实施编码第19位（行使层级）与事项的行使层级不一致。"))
    return [str(p) for p in problems]


def _role(user) -> str:
    """The role under which the user acts in the catalog (for the audit entry)."""
    return Role.PLATFORM_ADMIN if rules.can_review(user) else Role.CATALOG_EDITOR


def _require_edit(user, department_id) -> None:
    if not rules.can_edit_department(user, department_id):
        raise CatalogPermissionDenied(_("您不是该部门的事项编辑，不能修改该部门的事项。"))


def _require_review(user) -> None:
    if not rules.can_review(user):
        raise CatalogPermissionDenied(_("只有平台管理员可以审核和发布事项。"))


def _lock_version(version: ItemVersion) -> ItemVersion:
    return (
        ItemVersion.objects.select_for_update().select_related("item", "item__department").get(pk=version.pk)
    )


def _derive(version: ItemVersion) -> None:
    for key, value in flags.version_flags(version).items():
        setattr(version, key, value)
    objects = set(version.service_objects or ())
    version.serves_natural_person = bool(objects & NATURAL_PERSON_OBJECTS)
    version.serves_legal_person = bool(objects & LEGAL_PERSON_OBJECTS)
    version.is_window_handled = HandlingForm.WINDOW.value in (version.handling_forms or ())


def _set_m2m(version: ItemVersion, data: Mapping[str, Any]) -> None:
    if "partner_departments" in data:
        ids = [getattr(d, "pk", d) for d in data["partner_departments"] or ()]
        found = list(Department.objects.filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise CatalogValidationError(
                _("并联审批部门不存在。"), fields={"partner_departments": [_("并联审批部门不存在。")]}
            )
        if any(d.pk == version.item.department_id for d in found):
            raise CatalogValidationError(
                _("实施主体本身不能作为并联审批部门。"),
                fields={"partner_departments": [_("实施主体本身不能作为并联审批部门。")]},
            )
        version.partner_departments.set(found)
    if "themes" in data:
        values = [t.code if isinstance(t, Theme) else str(t).strip() for t in data["themes"] or ()]
        pks = [int(v) for v in values if v.isdigit()]
        found = list(Theme.objects.filter(Q(code__in=values) | Q(pk__in=pks))) if values else []
        matched = {t.code for t in found} | {str(t.pk) for t in found}
        missing = [v for v in values if v not in matched]
        if missing:
            message = _("主题“%(code)s”不存在。") % {"code": missing[0]}
            raise CatalogValidationError(message, fields={"themes": [message]})
        version.themes.set(found)


def _write_materials(version: ItemVersion, rows: list[dict[str, Any]]) -> None:
    existing = {m.pk: m for m in version.materials.all()}
    keep: set[int] = set()
    for row in rows:
        material_id = row.pop("id", None)
        material = existing.get(int(material_id)) if str(material_id or "").isdigit() else None
        if material is None:
            material = Material(version=version)
        else:
            keep.add(material.pk)
        material.version = version
        for key, value in row.items():
            if key in ("blank_form", "sample"):
                if value in (None, False):
                    setattr(material, key, "")
                elif isinstance(value, File):
                    getattr(material, key).save(value.name.rsplit("/", 1)[-1], value, save=False)
                else:
                    setattr(material, key, value)
            else:
                setattr(material, key, value)
        material.save()
        keep.add(material.pk)
    for pk, material in existing.items():
        if pk not in keep:
            material.version = version
            material.delete()


def _write_form_fields(version: ItemVersion, rows: list[dict[str, Any]]) -> None:
    existing = {f.pk: f for f in version.form_fields.all()}
    # Remove first so that a renamed key never collides with the unique (version, key) constraint.
    kept_ids = {int(r["id"]) for r in rows if str(r.get("id") or "").isdigit() and int(r["id"]) in existing}
    for pk, field in existing.items():
        if pk not in kept_ids:
            field.version = version
            field.delete()
    for row in rows:
        field_id = row.pop("id", None)
        field = existing.get(int(field_id)) if str(field_id or "").isdigit() else None
        field = field or FormField(version=version)
        field.version = version
        for key, value in row.items():
            setattr(field, key, value)
        field.save()


def _search_text(item: ServiceItem, version: ItemVersion) -> str:
    """Text for the search index; the search module may segment it (bianmin.catalog.search.build_search_text)."""
    try:
        search = importlib.import_module("bianmin.catalog.search")
    except ImportError:
        search = None
    builder = getattr(search, "build_search_text", None)
    if builder is not None:
        return builder(version)
    parts = [version.name, *version.aliases, version.conditions, version.result_name]
    parts += [m.name for m in version.materials.all()]
    return "\n".join(p for p in parts if p)


def _department_or_error(department) -> Department:
    if isinstance(department, Department):
        return department
    found = Department.objects.filter(pk=department).first() if department else None
    if found is None:
        raise CatalogValidationError(_("实施主体不存在。"), fields={"department": [_("实施主体不存在。")]})
    return found


# --------------------------------------------------------------------------------------------------
# items
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def item_create(
    *,
    acting_user,
    department,
    implementation_code: str,
    catalog_code: str,
    handle_item_code: str = "",
    local_catalog_code: str = "",
    local_implementation_code: str = "",
    parent: ServiceItem | None = None,
    version_data: Mapping[str, Any],
    materials: Iterable[Mapping[str, Any]] = (),
    form_fields: Iterable[Mapping[str, Any]] = (),
    allow_invalid_codes: bool = False,
    import_notes: str = "",
) -> ServiceItem:
    """Create an item with its first draft version.

    Codes that fail the national checks are refused, unless `allow_invalid_codes` (imports): then the
    item is kept with codes_valid False and its draft flagged needs_correction (never publishable).
    """
    department = _department_or_error(department)
    _require_edit(acting_user, department.pk)
    implementation_code = (implementation_code or "").strip().upper()
    catalog_code = (catalog_code or "").strip().upper()
    handle_item_code = (handle_item_code or "").strip()
    errors = _Errors()
    if not implementation_code:
        errors.add("implementation_code", _("请填写实施编码。"))
    elif len(implementation_code) > 31:
        errors.add("implementation_code", _("实施编码不能超过31位；地方编码请填入“地方实施编码”。"))
    if not catalog_code:
        errors.add("catalog_code", _("请填写基本编码。"))
    elif len(catalog_code) > 12:
        errors.add("catalog_code", _("基本编码不能超过12位；地方编码请填入“地方基本编码”。"))
    handle_problem = handle_item_code_problem(handle_item_code)
    if handle_problem:
        errors.add("handle_item_code", handle_problem)
    if ServiceItem.objects.filter(code=build_item_code(implementation_code, handle_item_code)).exists():
        errors.add("implementation_code", _("已存在相同实施编码（及业务办理项编码）的事项。"))
    if parent is not None and parent.parent_id is not None:
        errors.add("parent", _("子项不能再有子项。"))
    if parent is not None and parent.department_id != department.pk:
        errors.add("parent", _("子项与主项应属于同一实施主体。"))
    errors.raise_if_any()
    clean = clean_version_data(version_data)
    problems = item_code_problems(
        implementation_code=implementation_code,
        catalog_code=catalog_code,
        department=department,
        exercise_level=clean["exercise_level"],
    )
    if problems and not allow_invalid_codes:
        raise CatalogValidationError(problems[0], fields={"implementation_code": problems})
    clean_materials = _clean_materials(materials)
    clean_fields = _clean_form_fields(form_fields)

    item = ServiceItem(
        implementation_code=implementation_code,
        handle_item_code=handle_item_code,
        catalog_code=catalog_code,
        local_catalog_code=(local_catalog_code or "").strip()[:50],
        local_implementation_code=(local_implementation_code or "").strip()[:50],
        department=department,
        parent=parent,
        codes_valid=not problems,
        code_problems=problems,
    )
    item.save()
    version = ItemVersion(
        item=item,
        number=1,
        state=VersionState.DRAFT,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        needs_correction=bool(problems),
        is_imported=bool(import_notes) or allow_invalid_codes,
        import_notes=import_notes,
        **clean,
    )
    _derive(version)
    version.save()
    _set_m2m(version, version_data)
    _write_materials(version, clean_materials)
    _write_form_fields(version, clean_fields)
    audit_record(
        actor=acting_user,
        action="catalog.item_create",
        target=item,
        changes={"code": item.code, "name": version.name, "codes_valid": item.codes_valid},
        role=_role(acting_user),
    )
    return item


@transaction.atomic
def item_update_codes(
    *,
    item: ServiceItem,
    acting_user,
    implementation_code: str,
    catalog_code: str,
    handle_item_code: str | None = None,
    local_catalog_code: str | None = None,
    local_implementation_code: str | None = None,
) -> ServiceItem:
    """Correct an item's codes. Only before its first publication: the public code is in URLs and cases."""
    item = ServiceItem.objects.select_for_update().select_related("department").get(pk=item.pk)
    _require_edit(acting_user, item.department_id)
    if item.versions.filter(published_at__isnull=False).exists():
        raise VersionStateConflict(
            version=item.versions.order_by("-number").first(),
            action="update_codes",
            message=_("事项已发布过，编码不能再修改。"),
        )
    implementation_code = (implementation_code or "").strip().upper()
    catalog_code = (catalog_code or "").strip().upper()
    handle_item_code = item.handle_item_code if handle_item_code is None else handle_item_code.strip()
    handle_problem = handle_item_code_problem(handle_item_code)
    if handle_problem:
        raise CatalogValidationError(handle_problem, fields={"handle_item_code": [handle_problem]})
    latest = item.versions.order_by("-number").first()
    problems = item_code_problems(
        implementation_code=implementation_code,
        catalog_code=catalog_code,
        department=item.department,
        exercise_level=latest.exercise_level if latest else None,
    )
    if len(implementation_code) > 31 or len(catalog_code) > 12:
        raise CatalogValidationError(
            problems[0] if problems else _("编码过长。"), fields={"implementation_code": problems}
        )
    new_code = build_item_code(implementation_code, handle_item_code)
    if ServiceItem.objects.filter(code=new_code).exclude(pk=item.pk).exists():
        raise CatalogValidationError(
            _("已存在相同实施编码（及业务办理项编码）的事项。"),
            fields={"implementation_code": [_("已存在相同实施编码（及业务办理项编码）的事项。")]},
        )
    old = {"code": item.code, "catalog_code": item.catalog_code}
    item.implementation_code, item.catalog_code, item.handle_item_code = (
        implementation_code,
        catalog_code,
        handle_item_code,
    )
    if local_catalog_code is not None:
        item.local_catalog_code = local_catalog_code.strip()[:50]
    if local_implementation_code is not None:
        item.local_implementation_code = local_implementation_code.strip()[:50]
    item.codes_valid, item.code_problems = not problems, problems
    item.save()
    if not problems:
        for version in item.versions.filter(state=VersionState.DRAFT, needs_correction=True):
            version.needs_correction = False
            version.save(update_fields=["needs_correction", "updated_at"])
    audit_record(
        actor=acting_user,
        action="catalog.item_update_codes",
        target=item,
        changes={
            "old": old,
            "new": {"code": item.code, "catalog_code": item.catalog_code},
            "problems": problems,
        },
        role=_role(acting_user),
    )
    return item


def item_refresh_nearby(*, item_ids: Iterable[int] | None = None) -> int:
    """Recompute is_taken_at_local_hall / is_nearby from hall data (flags.register_nearby_provider).

    Called by the app that owns hall data after it changes which halls take which items, and on
    publication. Derived data, not a user's change: no audit entry. Returns the number of items changed.
    """
    qs = ServiceItem.objects.select_related("current_version")
    if item_ids is not None:
        qs = qs.filter(pk__in=list(item_ids))
    items = list(qs)
    taken = flags.items_taken_at_local_halls([i.pk for i in items])
    changed = 0
    for item in items:
        local = item.pk in taken
        scope = bool(item.current_version and item.current_version.is_nearby_scope)
        nearby = bool(item.current_version) and (scope or local)
        if (item.is_taken_at_local_hall, item.is_nearby) != (local, nearby):
            ServiceItem.objects.filter(pk=item.pk).update(is_taken_at_local_hall=local, is_nearby=nearby)
            changed += 1
    return changed


# --------------------------------------------------------------------------------------------------
# versions
# --------------------------------------------------------------------------------------------------


@transaction.atomic
def version_create_draft(*, item: ServiceItem, acting_user) -> ItemVersion:
    """A new draft: a copy of the current published version (or of the latest one), materials included."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    _require_edit(acting_user, item.department_id)
    open_version = item.versions.filter(state__in=[VersionState.DRAFT, VersionState.IN_REVIEW]).first()
    if open_version is not None:
        raise VersionStateConflict(
            version=open_version,
            action="create_draft",
            message=_("该事项已有未发布的版本（第%(n)d版），请先完成或退回该版本。")
            % {"n": open_version.number},
        )
    source = item.current_version or item.versions.order_by("-number").first()
    number = (item.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    draft = ItemVersion(item=item, number=number, state=VersionState.DRAFT, created_by=acting_user)
    if source is not None:
        for field in (*VERSION_SCALAR_FIELDS, *DERIVED_FIELDS, "needs_correction"):
            setattr(draft, field, getattr(source, field))
        draft.needs_correction = not item.codes_valid
    draft.save()
    if source is not None:
        draft.partner_departments.set(source.partner_departments.all())
        draft.themes.set(source.themes.all())
        Material.objects.bulk_create(
            [
                Material(version=draft, **{f: getattr(m, f) for f in MATERIAL_FIELDS})
                for m in source.materials.select_related("certificate")
            ]
        )
        FormField.objects.bulk_create(
            [
                FormField(version=draft, **{f: getattr(ff, f) for f in FORM_FIELD_FIELDS})
                for ff in source.form_fields.all()
            ]
        )
    audit_record(
        actor=acting_user,
        action="catalog.version_create_draft",
        target=draft,
        changes={"item": item.code, "number": number, "from_version": source.number if source else None},
        role=_role(acting_user),
    )
    return draft


@transaction.atomic
def version_update(
    *,
    version: ItemVersion,
    acting_user,
    data: Mapping[str, Any] | None = None,
    materials: Iterable[Mapping[str, Any]] | None = None,
    form_fields: Iterable[Mapping[str, Any]] | None = None,
) -> ItemVersion:
    """Change a draft. Published or in-review versions are never edited (409)."""
    version = _lock_version(version)
    _require_edit(acting_user, version.item.department_id)
    if version.state != VersionState.DRAFT:
        raise VersionStateConflict(
            version=version,
            action="update",
            message=_("只有草稿版本可以修改；已提交或已发布的版本不能修改。"),
        )
    data = dict(data or {})
    before = {f: getattr(version, f) for f in VERSION_SCALAR_FIELDS}
    clean = clean_version_data(data, base=version)
    clean_materials = _clean_materials(materials) if materials is not None else None
    clean_fields = _clean_form_fields(form_fields) if form_fields is not None else None
    for key, value in clean.items():
        setattr(version, key, value)
    _derive(version)
    version.save()
    _set_m2m(version, data)
    if clean_materials is not None:
        _write_materials(version, clean_materials)
    if clean_fields is not None:
        _write_form_fields(version, clean_fields)
    changed = {k: [before[k], clean[k]] for k in clean if before[k] != clean[k]}
    if materials is not None:
        changed["materials"] = len(clean_materials or [])
    if form_fields is not None:
        changed["form_fields"] = len(clean_fields or [])
    audit_record(
        actor=acting_user,
        action="catalog.version_update",
        target=version,
        changes=changed,
        role=_role(acting_user),
    )
    return version


def version_publication_problems(version: ItemVersion) -> dict[str, list[str]]:
    """Every reason this version may not be published (empty when it may)."""
    errors = _Errors()
    item = version.item
    problems = item_code_problems(
        implementation_code=item.implementation_code,
        catalog_code=item.catalog_code,
        department=item.department,
        exercise_level=version.exercise_level,
    )
    for p in problems:
        errors.add("implementation_code", p)
    if version.needs_correction and not problems:
        errors.add("implementation_code", _("该版本被标记为待更正，请先更正编码。"))
    values = {f: getattr(version, f) for f in VERSION_SCALAR_FIELDS}
    for field, message in limit_problems(values):
        errors.add(field, message)
    if version.promised_limit is None:
        errors.add("promised_limit", _("请填写承诺办结时限。"))
    if not version.legal_bases and version.item_type != ItemType.PUBLIC_SERVICE:
        errors.add("legal_bases", _("请至少填写一条设定依据。"))
    for material in version.materials.select_related("certificate"):
        if material.certificate_id is None and material.is_certificate:
            errors.add(
                "materials",
                _("材料“%(name)s”属于证明材料，但未列入证明事项清单，不能要求申请人提供。")
                % {"name": material.name},
            )
        elif material.certificate_id is not None and material.certificate.state != CertificateState.PUBLISHED:
            errors.add(
                "materials",
                _("材料“%(name)s”对应的证明事项“%(cert)s”未在证明事项清单中公布，不能发布。")
                % {"name": material.name, "cert": material.certificate.name},
            )
    return errors.fields


def _refuse_if_unpublishable(version: ItemVersion) -> None:
    problems = version_publication_problems(version)
    if problems:
        first = next(iter(problems.values()))[0]
        raise PublicationRefused(first, fields=problems)


@transaction.atomic
def version_submit_for_review(*, version: ItemVersion, acting_user) -> ItemVersion:
    version = _lock_version(version)
    _require_edit(acting_user, version.item.department_id)
    if version.state != VersionState.DRAFT:
        raise VersionStateConflict(version=version, action="submit")
    _refuse_if_unpublishable(version)
    version.state = VersionState.IN_REVIEW
    version.submitted_by, version.submitted_at = acting_user, timezone.now()
    version.save(update_fields=["state", "submitted_by", "submitted_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action="catalog.version_submit",
        target=version,
        changes={"state": version.state},
        role=_role(acting_user),
    )
    return version


@transaction.atomic
def version_return_to_draft(*, version: ItemVersion, acting_user, comments: str) -> ItemVersion:
    version = _lock_version(version)
    _require_review(acting_user)
    if version.state != VersionState.IN_REVIEW:
        raise VersionStateConflict(version=version, action="return")
    comments = (comments or "").strip()
    if not comments:
        raise CatalogValidationError(
            _("退回时请填写审核意见。"), fields={"comments": [_("退回时请填写审核意见。")]}
        )
    version.state = VersionState.DRAFT
    version.review_comments = comments
    version.reviewed_by, version.reviewed_at = acting_user, timezone.now()
    version.save(update_fields=["state", "review_comments", "reviewed_by", "reviewed_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action="catalog.version_return",
        target=version,
        changes={"state": version.state, "comments": comments},
        role=_role(acting_user),
    )
    return version


@transaction.atomic
def version_publish(*, version: ItemVersion, acting_user) -> ItemVersion:
    """Publish a reviewed version: it replaces the previous published one, which is retired."""
    _require_review(acting_user)
    item = ServiceItem.objects.select_for_update().get(pk=version.item_id)
    version = _lock_version(version)
    if version.state != VersionState.IN_REVIEW:
        raise VersionStateConflict(version=version, action="publish")
    _refuse_if_unpublishable(version)
    now = timezone.now()
    previous = item.versions.filter(state=VersionState.PUBLISHED).first()
    if previous is not None:
        previous.state, previous.retired_at, previous.retired_by = VersionState.RETIRED, now, acting_user
        previous.save(update_fields=["state", "retired_at", "retired_by", "updated_at"])
    version.state = VersionState.PUBLISHED
    version.reviewed_by = version.published_by = acting_user
    version.reviewed_at = version.published_at = now
    version.review_comments = ""
    version.save(
        update_fields=[
            "state",
            "reviewed_by",
            "reviewed_at",
            "published_by",
            "published_at",
            "review_comments",
            "updated_at",
        ]
    )
    item.current_version = version
    item.search_text = _search_text(item, version)
    item.save(update_fields=["current_version", "search_text", "updated_at"])
    item_refresh_nearby(item_ids=[item.pk])
    audit_record(
        actor=acting_user,
        action="catalog.version_publish",
        target=version,
        changes={
            "item": item.code,
            "number": version.number,
            "replaces": previous.number if previous else None,
        },
        role=_role(acting_user),
    )
    return version


@transaction.atomic
def version_retire(*, version: ItemVersion, acting_user, reason: str = "") -> ItemVersion:
    """Retire a published version (the item leaves the public catalog) or abandon a draft."""
    version = _lock_version(version)
    if version.state == VersionState.PUBLISHED:
        _require_review(acting_user)
    elif version.state == VersionState.DRAFT:
        _require_edit(acting_user, version.item.department_id)
    else:
        raise VersionStateConflict(version=version, action="retire")
    was_published = version.state == VersionState.PUBLISHED
    version.state, version.retired_at, version.retired_by = VersionState.RETIRED, timezone.now(), acting_user
    version.save(update_fields=["state", "retired_at", "retired_by", "updated_at"])
    if was_published:
        ServiceItem.objects.filter(pk=version.item_id).update(
            current_version=None, is_nearby=False, updated_at=timezone.now()
        )
        from bianmin.catalog.search import reindex_item_on_commit

        reindex_item_on_commit(version.item_id)  # the retired item leaves the search index
    audit_record(
        actor=acting_user,
        action="catalog.version_retire",
        target=version,
        changes={"was_published": was_published, "reason": (reason or "").strip()},
        role=_role(acting_user),
    )
    return version


# --------------------------------------------------------------------------------------------------
# certificate list
# --------------------------------------------------------------------------------------------------

CERTIFICATE_FIELDS = (
    "name",
    "legal_basis",
    "requesting_department",
    "issuing_unit",
    "guide",
    "commitment_allowed",
    "alternative",
)


def _clean_certificate(data: Mapping[str, Any], base: Certificate | None = None) -> dict[str, Any]:
    errors = _Errors()
    merged = {f: getattr(base, f) for f in CERTIFICATE_FIELDS} if base is not None else {}
    merged.update({k: v for k, v in data.items() if k in CERTIFICATE_FIELDS})
    out: dict[str, Any] = {}
    for key, label, required, max_length in (
        ("name", _("证明名称"), True, 200),
        ("legal_basis", _("设定依据"), True, None),
        ("issuing_unit", _("开具单位"), True, 200),
        ("guide", _("办理指南"), False, None),
        ("alternative", _("替代方式"), False, None),
    ):
        value = str(merged.get(key) or "").strip()
        if required and not value:
            errors.add(key, _("请填写%(label)s。") % {"label": label})
        if max_length and len(value) > max_length:
            errors.add(key, _("%(label)s不能超过%(n)d字。") % {"label": label, "n": max_length})
        out[key] = value
    out["commitment_allowed"] = bool(merged.get("commitment_allowed", False))
    department = merged.get("requesting_department")
    if department is None or department == "":
        errors.add("requesting_department", _("请选择索要单位。"))
    else:
        try:
            out["requesting_department"] = _department_or_error(department)
        except CatalogValidationError:
            errors.add("requesting_department", _("索要单位不存在。"))
    errors.raise_if_any()
    return out


@transaction.atomic
def certificate_create(*, acting_user, data: Mapping[str, Any]) -> Certificate:
    clean = _clean_certificate(data)
    if not rules.can_edit_certificate(acting_user, department=clean["requesting_department"].pk):
        raise CatalogPermissionDenied(_("您不能为该部门登记证明事项。"))
    certificate = Certificate(state=CertificateState.DRAFT, **clean)
    certificate.save()
    audit_record(
        actor=acting_user,
        action="catalog.certificate_create",
        target=certificate,
        changes={"name": certificate.name},
        role=_role(acting_user),
    )
    return certificate


@transaction.atomic
def certificate_update(*, certificate: Certificate, acting_user, data: Mapping[str, Any]) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not rules.can_edit_certificate(acting_user, certificate):
        raise CatalogPermissionDenied(_("您不能修改该部门的证明事项。"))
    if certificate.state == CertificateState.RETIRED:
        raise VersionStateConflict(
            version=certificate, action="update", message=_("已取消的证明事项不能修改。")
        )
    if certificate.state == CertificateState.PUBLISHED and not rules.can_review(acting_user):
        raise CatalogPermissionDenied(_("已公布的证明事项只能由平台管理员修改。"))
    clean = _clean_certificate(data, base=certificate)
    if clean[
        "requesting_department"
    ].pk != certificate.requesting_department_id and not rules.can_edit_certificate(
        acting_user, department=clean["requesting_department"].pk
    ):
        raise CatalogPermissionDenied(_("您不能把证明事项转给其他部门。"))
    before = {f: str(getattr(certificate, f)) for f in CERTIFICATE_FIELDS}
    for key, value in clean.items():
        setattr(certificate, key, value)
    certificate.save()
    after = {f: str(getattr(certificate, f)) for f in CERTIFICATE_FIELDS}
    audit_record(
        actor=acting_user,
        action="catalog.certificate_update",
        target=certificate,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        role=_role(acting_user),
    )
    return certificate


@transaction.atomic
def certificate_publish(*, certificate: Certificate, acting_user) -> Certificate:
    _require_review(acting_user)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.state != CertificateState.DRAFT:
        raise VersionStateConflict(version=certificate, action="publish")
    certificate.state, certificate.published_at = CertificateState.PUBLISHED, timezone.now()
    certificate.save(update_fields=["state", "published_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action="catalog.certificate_publish",
        target=certificate,
        changes={"state": "published"},
        role=_role(acting_user),
    )
    return certificate


@transaction.atomic
def certificate_retire(*, certificate: Certificate, acting_user, reason: str = "") -> Certificate:
    """Take a certificate off the list. Published item versions keep their reference; new ones cannot publish."""
    _require_review(acting_user)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.state == CertificateState.RETIRED:
        raise VersionStateConflict(version=certificate, action="retire")
    certificate.state, certificate.retired_at = CertificateState.RETIRED, timezone.now()
    certificate.save(update_fields=["state", "retired_at", "updated_at"])
    audit_record(
        actor=acting_user,
        action="catalog.certificate_retire",
        target=certificate,
        changes={"state": "retired", "reason": (reason or "").strip()},
        role=_role(acting_user),
    )
    return certificate
