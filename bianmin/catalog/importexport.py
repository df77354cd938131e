"""Import and export of the catalog as .xlsx (layout in docs/catalog-import.md) and JSON.

Import = validate the whole workbook first (``validate_workbook``: a per-row report, nothing written),
then write (``write_import``) in ONE transaction either every row (refused if any row has an error) or,
if the administrator chooses, only the valid rows. Each row is written inside its own savepoint, so a
row is never half written. Rows whose codes fail the national checks are imported as drafts flagged for
correction (``needs_correction``): the services refuse to publish them until the codes are fixed.
Existing items (same 实施编码 + 业务办理项编码) get a new draft version with the imported content.

Export writes the published catalog in the same layout, so an export re-imports unchanged.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bianmin.catalog import services
from bianmin.catalog.constants import (
    NON_APPLICATION_TYPES,
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
from bianmin.catalog.models import Certificate, ServiceItem, Theme, build_item_code
from bianmin.core.exceptions import ApplicationError
from bianmin.organisations.models import Department
from bianmin.web.text import join_list

ITEM_SHEET = "事项"
MATERIAL_SHEET = "材料"
FORM_SHEET = "表单"
MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024

# (column header = national field name, key in the parsed row)
ITEM_COLUMNS: list[tuple[str, str]] = [
    ("基本编码", "catalog_code"),
    ("实施编码", "implementation_code"),
    ("业务办理项编码", "handle_item_code"),
    ("地方基本编码", "local_catalog_code"),
    ("地方实施编码", "local_implementation_code"),
    ("主项编码", "parent_code"),
    ("事项名称", "name"),
    ("别名", "aliases"),
    ("事项类型", "item_type"),
    ("实施主体", "department_name"),
    ("实施主体编码", "department_uscc"),
    ("行使层级", "exercise_level"),
    ("服务对象", "service_objects"),
    ("事项状态", "status"),
    ("受理条件", "conditions"),
    ("办理流程", "process_steps"),
    ("设定依据", "legal_bases"),
    ("法定办结时限", "statutory_limit"),
    ("法定办结时限单位", "statutory_limit_unit"),
    ("法定办结时限说明", "statutory_limit_explanation"),
    ("承诺办结时限", "promised_limit"),
    ("承诺办结时限单位", "promised_limit_unit"),
    ("承诺办结时限说明", "promised_limit_explanation"),
    ("特殊环节", "special_steps"),
    ("办件类型", "handle_kind"),
    ("办理形式", "handling_forms"),
    ("到现场次数", "visits_required"),
    ("网办深度", "online_depth"),
    ("通办范围", "universal_scope"),
    ("是否收费", "is_charged"),
    ("收费项目", "fees"),
    ("是否投资项目审批", "is_investment_project"),
    ("审批结果名称", "result_name"),
    ("审批结果类型", "result_type"),
    ("办理地点", "place_notes"),
    ("咨询电话", "consultation_phone"),
    ("监督投诉电话", "supervision_phone"),
    ("主题", "themes"),
    ("联办机构", "partner_names"),
]
MATERIAL_COLUMNS: list[tuple[str, str]] = [
    ("实施编码", "implementation_code"),
    ("业务办理项编码", "handle_item_code"),
    ("序号", "order"),
    ("材料名称", "name"),
    ("材料必要性", "necessity"),
    ("材料形式", "form"),
    ("原件份数", "original_count"),
    ("复印件份数", "copy_count"),
    ("来源渠道", "source"),
    ("来源渠道说明", "source_note"),
    ("证明事项", "certificate_name"),
    ("电子证照类型代码", "licence_type_code"),
    ("填报须知", "notes"),
]
FORM_COLUMNS: list[tuple[str, str]] = [
    ("实施编码", "implementation_code"),
    ("业务办理项编码", "handle_item_code"),
    ("序号", "order"),
    ("字段标识", "key"),
    ("字段名称", "label"),
    ("字段类型", "kind"),
    ("是否必填", "required"),
    ("选项", "choices"),
    ("填写说明", "help_text"),
]
REQUIRED_ITEM_HEADERS = ("实施编码", "基本编码", "事项名称", "事项类型", "实施主体")

LIST_SEP = re.compile(r"[,，、;；\s]+")
LINE_SEP = re.compile(r"[\r\n]+")
LIMIT_IN_TEXT = re.compile(r"(\d+)\s*个?\s*(工作日|自然日|日|天|个月|月)")
TRUE_WORDS = {"是", "y", "yes", "true", "1", "收费", "√"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "不收费", "免费", ""}


class ImportFileError(ApplicationError):
    """The file cannot be read as a catalog workbook at all: nothing is written."""

    code = "catalog_import_file_invalid"
    http_status = 400


# --------------------------------------------------------------------------------------------------
# the report
# --------------------------------------------------------------------------------------------------

OK, WARNING, FLAGGED, ERROR = "ok", "warning", "flagged", "error"
STATUS_LABELS = {
    OK: gettext_lazy("可导入"),
    WARNING: gettext_lazy("有警告"),
    FLAGGED: gettext_lazy("编码待更正"),
    ERROR: gettext_lazy("有错误"),
}


@dataclass
class RowReport:
    row: int
    code: str
    name: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    code_problems: list[str] = field(default_factory=list)
    action: str = "create"  # create | new_version | update_draft
    data: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def status(self) -> str:
        if self.errors:
            return ERROR
        if self.code_problems:
            return FLAGGED
        if self.warnings:
            return WARNING
        return OK

    @property
    def is_writable(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "code": self.code,
            "name": self.name,
            "status": self.status,
            "action": self.action,
            "errors": self.errors,
            "warnings": self.warnings,
            "code_problems": self.code_problems,
        }


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.errors for r in self.rows)

    @property
    def writable(self) -> list[RowReport]:
        return [r for r in self.rows if r.is_writable]

    def summary(self) -> dict[str, int]:
        return {
            "total": len(self.rows),
            OK: self.count(OK),
            WARNING: self.count(WARNING),
            FLAGGED: self.count(FLAGGED),
            ERROR: self.count(ERROR),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "file_errors": self.file_errors,
            "rows": [r.as_dict() for r in self.rows],
        }


# --------------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _sheet_rows(ws, columns: list[tuple[str, str]], required: Iterable[str] = ()) -> tuple[list, list[str]]:
    """[(excel row number, {key: text})] of a sheet whose first row holds the national field names."""
    rows_iter = ws.iter_rows(values_only=True)
    try:
        header = [_cell(v) for v in next(rows_iter)]
    except StopIteration:
        return [], [_("工作表“%(sheet)s”是空的。") % {"sheet": ws.title}]
    index = {name: i for i, name in enumerate(header) if name}
    missing = [name for name in required if name not in index]
    if missing:
        return [], [
            _("工作表“%(sheet)s”缺少列：%(cols)s。") % {"sheet": ws.title, "cols": join_list(missing)}
        ]
    out = []
    for number, values in enumerate(rows_iter, start=2):
        if number > MAX_ROWS + 1:
            return out, [_("行数超过上限（%(n)d 行），请分批导入。") % {"n": MAX_ROWS}]
        if values is None or all(v in (None, "") for v in values):
            continue
        row = {
            key: (_cell(values[index[name]]) if name in index and index[name] < len(values) else "")
            for name, key in columns
        }
        out.append((number, row))
    return out, []


def read_workbook(content: bytes) -> tuple[list, list, list]:
    """Parse the three sheets. Raises ImportFileError when the file is not a readable catalog workbook."""
    if not content:
        raise ImportFileError(_("文件是空的。"))
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("文件超过20MB，请分批导入。"))
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise ImportFileError(
            _("文件不是 .xlsx 格式（Excel 2007 及以上）。请用 Excel 或 WPS 另存为 .xlsx 后再导入。")
        )
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(_("无法读取该 .xlsx 文件：%(error)s") % {"error": exc.__class__.__name__})
    if ITEM_SHEET not in wb.sheetnames:
        raise ImportFileError(
            _("找不到工作表“%(sheet)s”。请使用导入模板（首行为国家标准字段名）。") % {"sheet": ITEM_SHEET}
        )
    items, errors = _sheet_rows(wb[ITEM_SHEET], ITEM_COLUMNS, REQUIRED_ITEM_HEADERS)
    if errors:
        raise ImportFileError(errors[0])
    materials: list = []
    if MATERIAL_SHEET in wb.sheetnames:
        materials, errors = _sheet_rows(wb[MATERIAL_SHEET], MATERIAL_COLUMNS, ("实施编码", "材料名称"))
        if errors:
            raise ImportFileError(errors[0])
    fields: list = []
    if FORM_SHEET in wb.sheetnames:
        fields, errors = _sheet_rows(wb[FORM_SHEET], FORM_COLUMNS, ("实施编码", "字段标识", "字段名称"))
        if errors:
            raise ImportFileError(errors[0])
    wb.close()
    if not items:
        raise ImportFileError(_("工作表“%(sheet)s”没有数据行。") % {"sheet": ITEM_SHEET})
    return items, materials, fields


# --------------------------------------------------------------------------------------------------
# value conversion (codes or labels accepted)
# --------------------------------------------------------------------------------------------------


def _code_of(value: str, choices, *, label_map: dict[str, str] | None = None) -> str | None:
    """A national code from a code ('01') or its label ('行政许可'); None if neither."""
    value = (value or "").strip()
    if value in choices.values:
        return value
    if value.isdigit() and value.zfill(2) in choices.values:
        return value.zfill(2)
    labels = {str(label): code for code, label in choices.choices}
    labels.update(label_map or {})
    return labels.get(value)


def _codes_of(value: str, choices, *, label_map=None) -> tuple[list[str], list[str]]:
    out, bad = [], []
    for part in LIST_SEP.split(value or ""):
        if not part:
            continue
        code = _code_of(part, choices, label_map=label_map)
        (out if code else bad).append(code or part)
    return out, bad


LEVEL_ALIASES = {
    "县级": "4",
    "区级": "4",
    "县（区）级": "4",
    "镇级": "5",
    "街道级": "5",
    "乡镇（街道）级": "5",
}
UNIT_ALIASES = {
    "工作日": "working_day",
    "自然日": "natural_day",
    "日": "natural_day",
    "天": "natural_day",
    "月": "month",
    "个月": "month",
    "小时": "hour",
    "年": "year",
}
OBJECT_ALIASES = {"个人": "1", "企业": "2", "法人": "2", "其他组织": "9"}
RESULT_ALIASES = {"证照": "licence", "批文": "approval", "其他": "other", "无": "none"}
FORM_ALIASES = {"窗口": "1", "网上": "2", "快递": "3", "网上办理": "2", "窗口办理": "1"}


def _bool(value: str) -> bool | None:
    v = (value or "").strip().lower()
    if v in TRUE_WORDS:
        return True
    if v in FALSE_WORDS:
        return False
    return None


def _int(value: str) -> int | None | str:
    v = (value or "").strip()
    if v == "":
        return None
    try:
        number = float(v)
    except ValueError:
        return "invalid"
    if not number.is_integer() or number < 0:
        return "invalid"
    return int(number)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in LINE_SEP.split(value or "") if line.strip()]


LAW_ARTICLE = re.compile(r"^(《[^》]+》)\s*(.*)$")


def _legal_bases(value: str) -> list[dict[str, str]]:
    out = []
    for line in _lines(value):
        law, _sep, text = line.partition("|")
        match = LAW_ARTICLE.match(law.strip())
        if match:
            out.append({"law": match.group(1), "article": match.group(2).strip(), "text": text.strip()})
        else:
            out.append({"law": law.strip(), "article": "", "text": text.strip()})
    return out


def _fees(value: str) -> list[dict[str, str]]:
    out = []
    for line in _lines(value):
        parts = [p.strip() for p in line.split("|")]
        out.append(
            {
                "name": parts[0],
                "standard": parts[1] if len(parts) > 1 else "",
                "basis": parts[2] if len(parts) > 2 else "",
            }
        )
    return out


def _special_steps(value: str, warnings: list[str]) -> list[dict[str, Any]]:
    out = []
    for line in _lines(value):
        parts = [p.strip() for p in line.split("|")]
        duration = _int(parts[1]) if len(parts) > 1 else None
        if duration == "invalid":
            warnings.append(_("特殊环节“%(name)s”的时长不是整数，已忽略时长。") % {"name": parts[0]})
            duration = None
        unit = UNIT_ALIASES.get(parts[2], parts[2]) if len(parts) > 2 and parts[2] else LimitUnit.WORKING_DAY
        counted = _bool(parts[3]) if len(parts) > 3 else False
        out.append({"name": parts[0], "duration": duration, "unit": unit, "counted": bool(counted)})
    return out


def limit_text_warnings(label: str, number: int | None, unit: str, explanation: str) -> list[str]:
    """Explanation text that contradicts the number: '20个工作日' written beside 15 → a warning."""
    warnings: list[str] = []
    if not explanation or number is None:
        return warnings
    for match in LIMIT_IN_TEXT.finditer(explanation):
        stated, stated_unit = int(match.group(1)), UNIT_ALIASES.get(match.group(2), "")
        if stated_unit and stated_unit != unit:
            continue
        if stated != number and f"延长{match.group(0)}" not in explanation.replace("至", ""):
            warnings.append(
                _("%(label)s为%(n)d，但说明中写的是“%(text)s”，请核对。")
                % {"label": label, "n": number, "text": match.group(0)}
            )
            break
    if "即办" in explanation and number not in (0, None):
        warnings.append(_("%(label)s说明写“即办”，但时限为%(n)d。") % {"label": label, "n": number})
    return warnings


# --------------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------------


@dataclass
class _Lookups:
    by_uscc: dict[str, Department]
    by_name: dict[str, Department]
    certificates: dict[str, Certificate]
    themes: dict[str, str]
    existing: dict[str, ServiceItem]


def _lookups(codes: Iterable[str]) -> _Lookups:
    departments = list(Department.objects.all())
    certificates = {}
    for cert in Certificate.objects.filter(state=CertificateState.PUBLISHED).order_by("pk"):
        certificates.setdefault(cert.name, cert)
    themes = {}
    for theme in Theme.objects.all():
        themes[theme.code] = theme.code
        themes[theme.name] = theme.code
    existing = {
        i.code: i for i in ServiceItem.objects.filter(code__in=list(codes)).prefetch_related("versions")
    }
    return _Lookups(
        by_uscc={d.uscc: d for d in departments},
        by_name={d.name: d for d in departments} | {d.short_name: d for d in departments if d.short_name},
        certificates=certificates,
        themes=themes,
        existing=existing,
    )


def _item_key(implementation_code: str, handle_item_code: str) -> str:
    return build_item_code(implementation_code, handle_item_code)


def _validate_item_row(number: int, raw: dict[str, str], lookups: _Lookups) -> RowReport:
    impl = raw["implementation_code"].strip().upper()
    handle = raw["handle_item_code"].strip()
    code = _item_key(impl, handle)
    report = RowReport(row=number, code=code, name=raw["name"])
    errors, warnings = report.errors, report.warnings

    department = lookups.by_uscc.get(raw["department_uscc"].strip().upper()) or lookups.by_name.get(
        raw["department_name"].strip()
    )
    if department is None:
        errors.append(
            _("实施主体“%(name)s”不存在，请先在组织机构中登记。")
            % {"name": raw["department_name"] or raw["department_uscc"]}
        )
    if not impl:
        errors.append(_("缺少实施编码。"))
    elif len(impl) > 31:
        errors.append(_("实施编码超过31位（%(n)d位），请把地方编码填入“地方实施编码”。") % {"n": len(impl)})
    handle_problem = services.handle_item_code_problem(handle)
    if handle_problem:
        errors.append(handle_problem)
    catalog_code = raw["catalog_code"].strip().upper()
    if not catalog_code:
        errors.append(_("缺少基本编码。"))
    elif len(catalog_code) > 12:
        errors.append(_("基本编码超过12位，请把地方编码填入“地方基本编码”。"))

    item_type = _code_of(raw["item_type"], ItemType)
    if item_type is None:
        non_app = next(
            (c for c, label in NON_APPLICATION_TYPES.items() if raw["item_type"] in (c, str(label))), None
        )
        if non_app:
            errors.append(
                _("事项类型“%(t)s”不属于依申请事项，不能导入到办事指南。")
                % {"t": NON_APPLICATION_TYPES[non_app]}
            )
        else:
            errors.append(_("事项类型“%(t)s”无效。") % {"t": raw["item_type"]})
    level = _code_of(raw["exercise_level"], ExerciseLevel, label_map=LEVEL_ALIASES)
    if level is None and impl and len(impl) == 31 and impl[18] in ExerciseLevel.values:
        level = impl[18]
        warnings.append(
            _("行使层级为空，已按实施编码第19位取为“%(l)s”。") % {"l": ExerciseLevel(level).label}
        )
    objects, bad_objects = _codes_of(raw["service_objects"], ServiceObject, label_map=OBJECT_ALIASES)
    forms, bad_forms = _codes_of(raw["handling_forms"], HandlingForm, label_map=FORM_ALIASES)
    depth, bad_depth = _codes_of(raw["online_depth"], OnlineDepth)
    for label, bad in ((_("服务对象"), bad_objects), (_("办理形式"), bad_forms), (_("网办深度"), bad_depth)):
        if bad:
            errors.append(_("%(label)s含有无效取值：%(v)s。") % {"label": label, "v": join_list(bad)})
    scope = _code_of(raw["universal_scope"], UniversalScope) if raw["universal_scope"] else ""
    if scope is None:
        errors.append(_("通办范围“%(v)s”无效。") % {"v": raw["universal_scope"]})
        scope = ""
    handle_kind = _code_of(raw["handle_kind"], HandleKind) or (
        None if raw["handle_kind"] else HandleKind.PROMISED
    )
    if handle_kind is None:
        errors.append(_("办件类型“%(v)s”无效。") % {"v": raw["handle_kind"]})
    status = _code_of(raw["status"], ItemStatus) if raw["status"] else ItemStatus.IN_USE
    if status is None:
        errors.append(_("事项状态“%(v)s”无效。") % {"v": raw["status"]})

    limits: dict[str, Any] = {}
    for which, label in (("statutory", _("法定办结时限")), ("promised", _("承诺办结时限"))):
        number = _int(raw[f"{which}_limit"])
        if number == "invalid":
            errors.append(_("%(label)s“%(v)s”不是非负整数。") % {"label": label, "v": raw[f"{which}_limit"]})
            number = None
        unit_raw = raw[f"{which}_limit_unit"] or "工作日"
        unit = UNIT_ALIASES.get(unit_raw, unit_raw)
        if unit not in LimitUnit.values:
            errors.append(_("%(label)s单位“%(v)s”无效。") % {"label": label, "v": unit_raw})
            unit = LimitUnit.WORKING_DAY
        explanation = raw[f"{which}_limit_explanation"]
        warnings.extend(limit_text_warnings(label, number, unit, explanation))
        limits.update(
            {f"{which}_limit": number, f"{which}_limit_unit": unit, f"{which}_limit_explanation": explanation}
        )
    visits = _int(raw["visits_required"])
    if visits == "invalid":
        errors.append(_("到现场次数“%(v)s”不是非负整数。") % {"v": raw["visits_required"]})
        visits = None
    charged = _bool(raw["is_charged"])
    if charged is None:
        errors.append(_("是否收费应填“是”或“否”。"))
        charged = False
    fees = _fees(raw["fees"])
    if not charged and fees:
        warnings.append(_("标为不收费但填写了收费项目，已按收费处理。"))
        charged = True
    investment = _bool(raw["is_investment_project"])
    if investment is None:
        errors.append(_("是否投资项目审批应填“是”或“否”。"))
    result_type = RESULT_ALIASES.get(raw["result_type"], raw["result_type"]) or ResultType.OTHER
    if result_type not in ResultType.values:
        warnings.append(_("审批结果类型“%(v)s”无法识别，已按“其他”处理。") % {"v": raw["result_type"]})
        result_type = ResultType.OTHER
    theme_codes = []
    for part in LIST_SEP.split(raw["themes"] or ""):
        if part and part in lookups.themes:
            theme_codes.append(lookups.themes[part])
        elif part:
            warnings.append(_("主题“%(t)s”不存在，已忽略。") % {"t": part})

    partners = []
    for part in LIST_SEP.split(raw["partner_names"] or ""):
        partner = lookups.by_name.get(part) or lookups.by_uscc.get(part.upper())
        if part and partner is None:
            warnings.append(_("联办机构“%(d)s”不存在，已忽略。") % {"d": part})
        elif partner is not None and partner != department:
            partners.append(partner)
    version_data = {
        "name": raw["name"],
        "aliases": [a for a in LIST_SEP.split(raw["aliases"] or "") if a],
        "item_type": item_type or "",
        "exercise_level": level or "",
        "service_objects": objects,
        "status": status or ItemStatus.IN_USE,
        "conditions": raw["conditions"],
        "process_steps": _lines(raw["process_steps"]),
        "legal_bases": _legal_bases(raw["legal_bases"]),
        **limits,
        "special_steps": _special_steps(raw["special_steps"], warnings),
        "handle_kind": handle_kind or HandleKind.PROMISED,
        "handling_forms": forms,
        "visits_required": visits,
        "online_depth": depth,
        "universal_scope": scope,
        "is_free": not charged,
        "fees": fees if charged else [],
        "is_investment_project": bool(investment),
        "result_name": raw["result_name"],
        "result_type": result_type,
        "place_notes": raw["place_notes"],
        "consultation_phone": raw["consultation_phone"],
        "supervision_phone": raw["supervision_phone"],
        "themes": theme_codes,
        "partner_departments": partners,
    }
    if not errors:
        try:
            services.clean_version_data(
                {k: v for k, v in version_data.items() if k not in services.VERSION_M2M_FIELDS}
            )
        except ApplicationError as exc:
            for messages in (exc.fields or {"": [exc.message]}).values():
                errors.extend(str(m) for m in messages)
    if department is not None and impl and catalog_code and len(impl) <= 31 and len(catalog_code) <= 12:
        report.code_problems = services.item_code_problems(
            implementation_code=impl, catalog_code=catalog_code, department=department, exercise_level=level
        )
    existing = lookups.existing.get(code)
    if existing is not None:
        if existing.department_id != getattr(department, "pk", None):
            errors.append(_("已有相同编码的事项属于其他实施主体。"))
        open_version = next(
            (v for v in existing.versions.all() if v.state in (VersionState.DRAFT, VersionState.IN_REVIEW)),
            None,
        )
        if open_version is not None and open_version.state == VersionState.IN_REVIEW:
            errors.append(_("该事项有正在审核的版本，请审核完成后再导入。"))
        report.action = "update_draft" if open_version is not None else "new_version"
        if existing.codes_valid is False and not report.code_problems:
            report.code_problems = list(existing.code_problems or [])
    report.data = {
        "department": department,
        "implementation_code": impl,
        "catalog_code": catalog_code,
        "handle_item_code": handle,
        "local_catalog_code": raw["local_catalog_code"],
        "local_implementation_code": raw["local_implementation_code"],
        "parent_code": raw["parent_code"].strip().upper(),
        "version_data": version_data,
        "materials": [],
        "form_fields": [],
        "existing": existing,
    }
    return report


def _material_row(raw: dict[str, str], lookups: _Lookups, report: RowReport) -> dict[str, Any]:
    row: dict[str, Any] = {"name": raw["name"]}
    name = raw["name"] or "?"
    for key, choices in (("necessity", Necessity), ("form", MaterialForm), ("source", MaterialSource)):
        if raw[key]:
            code = _code_of(raw[key], choices)
            if code is None:
                report.errors.append(
                    _("材料“%(m)s”的%(f)s“%(v)s”无效。") % {"m": name, "f": key, "v": raw[key]}
                )
            row[key] = code or ""
    for key in ("order", "original_count", "copy_count"):
        number = _int(raw[key])
        if number == "invalid":
            report.errors.append(_("材料“%(m)s”的份数或序号“%(v)s”不是整数。") % {"m": name, "v": raw[key]})
            number = None
        if number is not None:
            row[key] = number
    for key in ("source_note", "licence_type_code", "notes"):
        row[key] = raw[key]
    if raw["certificate_name"]:
        certificate = lookups.certificates.get(raw["certificate_name"])
        row["is_certificate"] = True
        if certificate is None:
            report.warnings.append(
                _("材料“%(m)s”要求的证明“%(c)s”不在已公布的证明事项清单中：导入后该版本不能发布。")
                % {"m": name, "c": raw["certificate_name"]}
            )
        else:
            row["certificate"] = certificate
    return row


def _form_field_row(raw: dict[str, str], report: RowReport) -> dict[str, Any]:
    kind = raw["kind"] or FormFieldKind.TEXT
    labels = {str(label): value for value, label in FormFieldKind.choices}
    kind = labels.get(kind, kind)
    if kind not in FormFieldKind.values:
        report.errors.append(_("表单字段“%(f)s”的类型“%(k)s”无效。") % {"f": raw["label"], "k": raw["kind"]})
    required = _bool(raw["required"]) if raw["required"] else True
    order = _int(raw["order"])
    return {
        "order": order if isinstance(order, int) else None,
        "key": raw["key"],
        "label": raw["label"],
        "kind": kind,
        "required": True if required is None else required,
        "choices": [c for c in re.split(r"[/|]", raw["choices"] or "") if c.strip()],
        "help_text": raw["help_text"],
    }


def validate_workbook(content: bytes) -> ImportReport:
    """Read and check every row; nothing is written. Raises ImportFileError for an unreadable file."""
    items, materials, fields = read_workbook(content)
    codes = [
        _item_key(r["implementation_code"].strip().upper(), r["handle_item_code"].strip()) for _n, r in items
    ]
    lookups = _lookups(codes)
    report = ImportReport()
    by_code: dict[str, RowReport] = {}
    for number, raw in items:
        row = _validate_item_row(number, raw, lookups)
        if row.code in by_code:
            row.errors.append(_("与第%(n)d行的编码重复。") % {"n": by_code[row.code].row})
        else:
            by_code[row.code] = row
        report.rows.append(row)
    for number, raw in materials:
        code = _item_key(raw["implementation_code"].strip().upper(), raw["handle_item_code"].strip())
        owner = by_code.get(code)
        if owner is None:
            report.file_errors.append(_("“材料”第%(n)d行的实施编码在“事项”表中不存在。") % {"n": number})
            continue
        owner.data["materials"].append(_material_row(raw, lookups, owner))
    for number, raw in fields:
        code = _item_key(raw["implementation_code"].strip().upper(), raw["handle_item_code"].strip())
        owner = by_code.get(code)
        if owner is None:
            report.file_errors.append(_("“表单”第%(n)d行的实施编码在“事项”表中不存在。") % {"n": number})
            continue
        owner.data["form_fields"].append(_form_field_row(raw, owner))
    for row in report.rows:
        if row.errors:
            continue
        try:
            services._clean_materials(row.data["materials"])
            services._clean_form_fields(row.data["form_fields"])
        except ApplicationError as exc:
            for messages in (exc.fields or {"": [exc.message]}).values():
                row.errors.extend(str(m) for m in messages)
        parent_code = row.data["parent_code"]
        if (
            parent_code
            and parent_code not in by_code
            and not ServiceItem.objects.filter(code=parent_code).exists()
        ):
            row.errors.append(_("主项编码“%(c)s”不存在。") % {"c": parent_code})
    return report


# --------------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    new_versions: int = 0
    published: int = 0
    flagged: int = 0
    skipped: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "new_versions": self.new_versions,
            "published": self.published,
            "flagged": self.flagged,
            "skipped": self.skipped,
            "failed": self.failed,
        }


class ImportRefused(ApplicationError):
    code = "catalog_import_refused"
    http_status = 409


def _write_row(row: RowReport, *, acting_user, created_items: dict[str, ServiceItem], publish: bool) -> str:
    data = row.data
    parent = None
    if data["parent_code"]:
        parent = created_items.get(data["parent_code"]) or ServiceItem.objects.get(code=data["parent_code"])
    existing = data["existing"]
    if existing is None:
        item = services.item_create(
            acting_user=acting_user,
            department=data["department"],
            implementation_code=data["implementation_code"],
            catalog_code=data["catalog_code"],
            handle_item_code=data["handle_item_code"],
            local_catalog_code=data["local_catalog_code"],
            local_implementation_code=data["local_implementation_code"],
            parent=parent,
            version_data=data["version_data"],
            materials=data["materials"],
            form_fields=data["form_fields"],
            allow_invalid_codes=True,
            import_notes=_("导入：第%(n)d行") % {"n": row.row},
        )
        outcome = "created"
        version = item.versions.get()
    else:
        item = existing
        version = next((v for v in item.versions.all() if v.state == VersionState.DRAFT), None)
        if version is None:
            version = services.version_create_draft(item=item, acting_user=acting_user)
        services.version_update(
            version=version,
            acting_user=acting_user,
            data=data["version_data"],
            materials=data["materials"],
            form_fields=data["form_fields"],
        )
        outcome = "new_version"
    created_items[item.code] = item
    if publish and not row.code_problems and not services.version_publication_problems(version):
        services.version_submit_for_review(version=version, acting_user=acting_user)
        services.version_publish(version=version, acting_user=acting_user)
        outcome += "+published"
    return outcome


def write_import(
    report: ImportReport,
    *,
    acting_user,
    valid_only: bool = False,
    publish: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Write the validated rows in ONE transaction: all of them, or only the valid ones if chosen.

    Every row runs in its own savepoint: a row is written whole or not at all. With valid_only False a
    single failing row rolls the whole import back (ImportRefused); rows with errors refuse it up front.
    """
    from bianmin.catalog import rules

    if not rules.can_review(acting_user):
        raise services.CatalogPermissionDenied(_("只有平台管理员可以导入事项目录。"))
    if report.file_errors:
        raise ImportRefused(report.file_errors[0])
    if report.has_errors and not valid_only:
        raise ImportRefused(
            _("有%(n)d行存在错误：请修正后重新上传，或选择“只导入无错误的行”。") % {"n": report.count(ERROR)}
        )
    rows = sorted(report.writable, key=lambda r: (bool(r.data.get("parent_code")), r.row))
    result = ImportResult(skipped=len(report.rows) - len(rows))
    created_items: dict[str, ServiceItem] = {}
    total = len(rows)
    with transaction.atomic():
        for index, row in enumerate(rows, start=1):
            try:
                with transaction.atomic():  # savepoint: never half a row
                    outcome = _write_row(
                        row, acting_user=acting_user, created_items=created_items, publish=publish
                    )
            except ApplicationError as exc:
                if not valid_only:
                    raise ImportRefused(
                        _("第%(n)d行写入失败：%(e)s。整个导入已撤销，未写入任何数据。")
                        % {"n": row.row, "e": exc.message}
                    )
                result.failed.append((row.row, str(exc.message)))
                result.skipped += 1
                continue
            if outcome.startswith("created"):
                result.created += 1
            else:
                result.new_versions += 1
            result.published += outcome.endswith("+published")
            result.flagged += bool(row.code_problems)
            if progress is not None and (index % 10 == 0 or index == total):
                progress(index, total)
    return result


def import_workbook(content: bytes, *, acting_user, valid_only=False, publish=False, progress=None):
    """Validate then write (the command and the background task use this)."""
    report = validate_workbook(content)
    return report, write_import(
        report, acting_user=acting_user, valid_only=valid_only, publish=publish, progress=progress
    )


# --------------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------------


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


UNIT_LABELS = {
    "working_day": "工作日",
    "natural_day": "自然日",
    "hour": "小时",
    "month": "个月",
    "year": "年",
}


def export_queryset():
    from django.db.models import Prefetch

    from bianmin.catalog.models import FormField, Material

    return (
        ServiceItem.objects.filter(current_version__state=VersionState.PUBLISHED)
        .select_related("current_version", "department", "parent")
        .prefetch_related(
            Prefetch(
                "current_version__materials",
                queryset=Material.objects.select_related("certificate").order_by("order", "pk"),
            ),
            Prefetch("current_version__form_fields", queryset=FormField.objects.order_by("order", "pk")),
            "current_version__themes",
            "current_version__partner_departments",
        )
        .order_by("department__sort_order", "code")
    )


def item_row(item: ServiceItem) -> dict[str, str]:
    """One row of the 事项 sheet, keyed by national field name (codes written as codes)."""
    v = item.current_version
    return {
        "基本编码": item.catalog_code,
        "实施编码": item.implementation_code,
        "业务办理项编码": item.handle_item_code,
        "地方基本编码": item.local_catalog_code,
        "地方实施编码": item.local_implementation_code,
        "主项编码": item.parent.code if item.parent_id else "",
        "事项名称": v.name,
        "别名": "、".join(v.aliases or []),
        "事项类型": v.item_type,
        "实施主体": item.department.name,
        "实施主体编码": item.department.uscc,
        "行使层级": v.exercise_level,
        "服务对象": ",".join(v.service_objects or []),
        "事项状态": v.status,
        "受理条件": v.conditions,
        "办理流程": "\n".join(v.process_steps or []),
        "设定依据": "\n".join(
            (f"{b.get('law', '')}{b.get('article', '')}" + (f"|{b['text']}" if b.get("text") else ""))
            for b in v.legal_bases or []
        ),
        "法定办结时限": "" if v.statutory_limit is None else str(v.statutory_limit),
        "法定办结时限单位": UNIT_LABELS.get(v.statutory_limit_unit, v.statutory_limit_unit),
        "法定办结时限说明": v.statutory_limit_explanation,
        "承诺办结时限": "" if v.promised_limit is None else str(v.promised_limit),
        "承诺办结时限单位": UNIT_LABELS.get(v.promised_limit_unit, v.promised_limit_unit),
        "承诺办结时限说明": v.promised_limit_explanation,
        "特殊环节": "\n".join(
            f"{s.get('name')}|{s.get('duration') or ''}|{UNIT_LABELS.get(s.get('unit') or 'working_day')}|{'是' if s.get('counted') else '否'}"
            for s in v.special_steps or []
        ),
        "办件类型": v.handle_kind,
        "办理形式": ",".join(v.handling_forms or []),
        "到现场次数": str(v.visits_required),
        "网办深度": ",".join(v.online_depth or []),
        "通办范围": v.universal_scope,
        "是否收费": "否" if v.is_free else "是",
        "收费项目": "\n".join(
            f"{f.get('name', '')}|{f.get('standard', '')}|{f.get('basis', '')}" for f in v.fees or []
        ),
        "是否投资项目审批": "是" if v.is_investment_project else "否",
        "审批结果名称": v.result_name,
        "审批结果类型": _label(ResultType, v.result_type),
        "办理地点": v.place_notes,
        "咨询电话": v.consultation_phone,
        "监督投诉电话": v.supervision_phone,
        "主题": ",".join(t.code for t in v.themes.all()),
        "联办机构": "、".join(d.name for d in v.partner_departments.all()),
    }


def material_rows(item: ServiceItem) -> list[dict[str, str]]:
    return [
        {
            "实施编码": item.implementation_code,
            "业务办理项编码": item.handle_item_code,
            "序号": str(m.order),
            "材料名称": m.name,
            "材料必要性": m.necessity,
            "材料形式": m.form,
            "原件份数": str(m.original_count),
            "复印件份数": str(m.copy_count),
            "来源渠道": m.source,
            "来源渠道说明": m.source_note,
            "证明事项": m.certificate.name if m.certificate_id else "",
            "电子证照类型代码": m.licence_type_code,
            "填报须知": m.notes,
        }
        for m in item.current_version.materials.all()
    ]


def form_field_rows(item: ServiceItem) -> list[dict[str, str]]:
    return [
        {
            "实施编码": item.implementation_code,
            "业务办理项编码": item.handle_item_code,
            "序号": str(f.order),
            "字段标识": f.key,
            "字段名称": f.label,
            "字段类型": f.kind,
            "是否必填": "是" if f.required else "否",
            "选项": "/".join(f.choices or []),
            "填写说明": f.help_text,
        }
        for f in item.current_version.form_fields.all()
    ]


def export_xlsx(items: Iterable[ServiceItem] | None = None) -> bytes:
    """The published catalog as a workbook in the import layout (re-importable)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    items = export_queryset() if items is None else items
    wb = Workbook(write_only=True)
    sheets = {
        ITEM_SHEET: (wb.create_sheet(ITEM_SHEET), [h for h, _k in ITEM_COLUMNS]),
        MATERIAL_SHEET: (wb.create_sheet(MATERIAL_SHEET), [h for h, _k in MATERIAL_COLUMNS]),
        FORM_SHEET: (wb.create_sheet(FORM_SHEET), [h for h, _k in FORM_COLUMNS]),
    }
    from openpyxl.cell import WriteOnlyCell

    for ws, headers in sheets.values():
        row = []
        for h in headers:
            cell = WriteOnlyCell(ws, value=h)
            cell.font = Font(bold=True)
            row.append(cell)
        ws.append(row)
    for item in items:
        ws, headers = sheets[ITEM_SHEET]
        values = item_row(item)
        ws.append([values[h] for h in headers])
        ws, headers = sheets[MATERIAL_SHEET]
        for values in material_rows(item):
            ws.append([values[h] for h in headers])
        ws, headers = sheets[FORM_SHEET]
        for values in form_field_rows(item):
            ws.append([values[h] for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export_json(items: Iterable[ServiceItem] | None = None) -> str:
    """The published catalog as JSON: one object per item with national field names, materials and form."""
    items = export_queryset() if items is None else items
    payload = []
    for item in items:
        row = item_row(item)
        row["材料"] = material_rows(item)
        row["表单"] = form_field_rows(item)
        row["事项编码"] = item.code
        payload.append(row)
    return json.dumps({"items": payload, "count": len(payload)}, ensure_ascii=False, indent=1)
