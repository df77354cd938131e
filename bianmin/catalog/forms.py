"""Workbench forms. They only shape input into the dicts the services take; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bianmin.catalog.constants import (
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
)
from bianmin.catalog.models import Certificate, ItemVersion, Theme
from bianmin.organisations.models import Department

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Allowed blank forms and samples, recognised by their first bytes (never by the name alone).
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def check_upload(upload) -> None:
    """Size cap and type checked by content: PDF, Word, Excel, JPEG or PNG."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("文件不能超过10MB。"))
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    signatures = _SIGNATURES.get(extension)
    head = upload.read(16)
    upload.seek(0)
    if not signatures or not any(head.startswith(sig) for sig in signatures):
        raise forms.ValidationError(_("只能上传PDF、Word、Excel、JPG或PNG文件，且文件内容须与扩展名一致。"))


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _rows(value: str, keys: tuple[str, ...]) -> list[dict]:
    rows = []
    for line in _lines(value):
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        rows.append({k: (parts[i] if i < len(parts) else "") for i, k in enumerate(keys)})
    return rows


def _join_rows(rows, keys) -> str:
    return "\n".join(" | ".join(str(r.get(k) or "") for k in keys).rstrip(" |") for r in rows or ())


class StyledForm(forms.Form):
    """Adds the house CSS class to every text-like widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            widget.attrs["class"] = (widget.attrs.get("class", "") + " form-control").strip()


class _CodesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ItemIdentityForm(StyledForm):
    department = forms.ModelChoiceField(label=_("实施主体"), queryset=Department.objects.none())
    catalog_code = forms.CharField(label=_("基本编码"), max_length=12, help_text=_("12位，如 000104002000"))
    implementation_code = forms.CharField(
        label=_("实施编码"),
        max_length=31,
        help_text=_("31位：实施主体统一社会信用代码 + 行使层级 + 基本编码"),
    )
    handle_item_code = forms.CharField(label=_("业务办理项编码"), max_length=50, required=False)
    local_catalog_code = forms.CharField(label=_("地方基本编码"), max_length=50, required=False)
    local_implementation_code = forms.CharField(label=_("地方实施编码"), max_length=50, required=False)
    name = forms.CharField(label=_("事项名称"), max_length=200)
    item_type = forms.ChoiceField(label=_("事项类型"), choices=ItemType.choices)
    exercise_level = forms.ChoiceField(
        label=_("行使层级"), choices=ExerciseLevel.choices, initial=ExerciseLevel.COUNTY
    )
    service_objects = _CodesField(label=_("服务对象"), choices=ServiceObject.choices)
    handle_kind = forms.ChoiceField(
        label=_("办件类型"), choices=HandleKind.choices, initial=HandleKind.PROMISED
    )
    visits_required = forms.IntegerField(label=_("到现场次数"), min_value=0, initial=1)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (
            departments if departments is not None else Department.objects.all()
        )

    def version_data(self) -> dict:
        d = self.cleaned_data
        return {
            k: d[k]
            for k in (
                "name",
                "item_type",
                "exercise_level",
                "service_objects",
                "handle_kind",
                "visits_required",
            )
        }


class ItemCodesForm(StyledForm):
    """Correcting the codes of an item that was never published (imports with temporary codes)."""

    catalog_code = forms.CharField(label=_("基本编码"), max_length=12)
    implementation_code = forms.CharField(label=_("实施编码"), max_length=31)
    handle_item_code = forms.CharField(label=_("业务办理项编码"), max_length=50, required=False)
    local_catalog_code = forms.CharField(label=_("地方基本编码"), max_length=50, required=False)
    local_implementation_code = forms.CharField(label=_("地方实施编码"), max_length=50, required=False)


class VersionForm(StyledForm):
    """The scalar content of a draft; list fields are edited one entry per line (columns split by “|”)."""

    status = forms.ChoiceField(label=_("事项状态"), choices=ItemStatus.choices)
    name = forms.CharField(label=_("事项名称"), max_length=200)
    aliases = forms.CharField(
        label=_("别名"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一个，如“社保卡”。"),
    )
    item_type = forms.ChoiceField(label=_("事项类型"), choices=ItemType.choices)
    exercise_level = forms.ChoiceField(label=_("行使层级"), choices=ExerciseLevel.choices)
    service_objects = _CodesField(label=_("服务对象"), choices=ServiceObject.choices)
    conditions = forms.CharField(
        label=_("受理条件"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    process_steps = forms.CharField(
        label=_("办理流程"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个环节，按顺序。"),
    )
    legal_bases = forms.CharField(
        label=_("设定依据"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一条：法律法规名称 | 条款 | 条文内容"),
    )
    statutory_limit = forms.IntegerField(label=_("法定办结时限"), min_value=0, required=False)
    statutory_limit_unit = forms.ChoiceField(label=_("法定时限单位"), choices=LimitUnit.choices)
    statutory_limit_explanation = forms.CharField(label=_("法定时限说明"), required=False)
    promised_limit = forms.IntegerField(label=_("承诺办结时限"), min_value=0, required=False)
    promised_limit_unit = forms.ChoiceField(label=_("承诺时限单位"), choices=LimitUnit.choices)
    promised_limit_explanation = forms.CharField(label=_("承诺时限说明"), required=False)
    special_steps = forms.CharField(
        label=_("特殊环节"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一个：名称 | 时长 | 单位(working_day/natural_day) | 是否计入时限(是/否)"),
    )
    handle_kind = forms.ChoiceField(label=_("办件类型"), choices=HandleKind.choices)
    handling_forms = _CodesField(label=_("办理形式"), choices=HandlingForm.choices, required=False)
    visits_required = forms.IntegerField(label=_("到现场次数"), min_value=0)
    online_depth = _CodesField(label=_("网办深度"), choices=OnlineDepth.choices, required=False)
    universal_scope = forms.ChoiceField(
        label=_("通办范围"), choices=[("", _("（无）")), *UniversalScope.choices], required=False
    )
    is_free = forms.BooleanField(label=_("不收费"), required=False)
    fees = forms.CharField(
        label=_("收费项目"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一项：收费项目 | 收费标准 | 收费依据"),
    )
    is_investment_project = forms.BooleanField(label=_("投资项目审批事项"), required=False)
    result_name = forms.CharField(label=_("审批结果名称"), required=False)
    result_type = forms.ChoiceField(label=_("审批结果类型"), choices=ResultType.choices)
    place_notes = forms.CharField(
        label=_("办理地点说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    consultation_phone = forms.CharField(label=_("咨询电话"), required=False, max_length=64)
    supervision_phone = forms.CharField(label=_("监督投诉电话"), required=False, max_length=64)
    themes = forms.ModelMultipleChoiceField(
        label=_("主题"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    partner_departments = forms.ModelMultipleChoiceField(
        label=_("并联审批部门"), queryset=Department.objects.filter(is_active=True), required=False
    )

    LINE_FIELDS = ("aliases", "process_steps")
    ROW_FIELDS = {
        "legal_bases": ("law", "article", "text"),
        "fees": ("name", "standard", "basis"),
        "special_steps": ("name", "duration", "unit", "counted"),
    }

    @classmethod
    def initial_for(cls, version: ItemVersion) -> dict:
        initial = {
            name: getattr(version, name)
            for name in cls.base_fields
            if name not in ("themes", "partner_departments")
        }
        for name in cls.LINE_FIELDS:
            initial[name] = "\n".join(getattr(version, name) or ())
        for name, keys in cls.ROW_FIELDS.items():
            rows = getattr(version, name) or ()
            if name == "special_steps":
                rows = [{**r, "counted": "是" if r.get("counted") else "否"} for r in rows]
            initial[name] = _join_rows(rows, keys)
        initial["themes"] = list(version.themes.all())
        initial["partner_departments"] = list(version.partner_departments.all())
        return initial

    def service_data(self) -> dict:
        d = dict(self.cleaned_data)
        for name in self.LINE_FIELDS:
            d[name] = _lines(d.get(name, ""))
        for name, keys in self.ROW_FIELDS.items():
            d[name] = _rows(d.get(name, ""), keys)
        for row in d["special_steps"]:
            row["counted"] = row.get("counted") in ("是", "1", "true", "True", "计入")
        d["themes"] = list(d.get("themes") or ())
        d["partner_departments"] = list(d.get("partner_departments") or ())
        return d


class MaterialEditForm(StyledForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("材料名称"), max_length=300)
    necessity = forms.ChoiceField(label=_("必要性"), choices=Necessity.choices, initial=Necessity.REQUIRED)
    form = forms.ChoiceField(
        label=_("材料形式"), choices=MaterialForm.choices, initial=MaterialForm.PAPER_OR_ELECTRONIC
    )
    original_count = forms.IntegerField(label=_("原件"), min_value=0, initial=0)
    copy_count = forms.IntegerField(label=_("复印件"), min_value=0, initial=0)
    source = forms.ChoiceField(
        label=_("来源渠道"), choices=MaterialSource.choices, initial=MaterialSource.APPLICANT
    )
    source_note = forms.CharField(label=_("来源说明"), required=False, max_length=300)
    is_certificate = forms.BooleanField(label=_("证明材料"), required=False)
    certificate = forms.ModelChoiceField(
        label=_("证明事项"), queryset=Certificate.objects.exclude(state="retired"), required=False
    )
    licence_type_code = forms.CharField(label=_("电子证照类型"), required=False, max_length=32)
    blank_form = forms.FileField(label=_("空白表格"), required=False)
    sample = forms.FileField(label=_("示例样表"), required=False)
    notes = forms.CharField(label=_("填报须知"), required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def clean_blank_form(self):
        upload = self.cleaned_data.get("blank_form")
        if upload:
            check_upload(upload)
        return upload

    def clean_sample(self):
        upload = self.cleaned_data.get("sample")
        if upload:
            check_upload(upload)
        return upload


class FormFieldForm(StyledForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    key = forms.SlugField(label=_("字段标识"), max_length=50)
    label = forms.CharField(label=_("字段名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=FormFieldKind.choices, initial=FormFieldKind.TEXT)
    required = forms.BooleanField(label=_("必填"), required=False, initial=True)
    choices = forms.CharField(label=_("选项"), required=False, help_text=_("用逗号分隔"))
    max_length = forms.IntegerField(label=_("最大长度"), min_value=1, required=False)
    help_text = forms.CharField(label=_("填写说明"), required=False, max_length=300)


MaterialFormSet = forms.formset_factory(MaterialEditForm, extra=1, can_delete=True)
FormFieldFormSet = forms.formset_factory(FormFieldForm, extra=1, can_delete=True)


def material_rows_from_formset(formset) -> list[dict]:
    rows = []
    for order, form in enumerate(formset.forms, start=1):
        if not form.has_changed() and not form.cleaned_data.get("id"):
            continue
        if form.cleaned_data.get("DELETE") or not form.cleaned_data.get("name"):
            continue
        row = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        row["order"] = order
        for file_field in ("blank_form", "sample"):
            if not row.get(file_field):
                row.pop(file_field, None)  # keep the stored file
        rows.append(row)
    return rows


def form_field_rows_from_formset(formset) -> list[dict]:
    rows = []
    for order, form in enumerate(formset.forms, start=1):
        if not form.has_changed() and not form.cleaned_data.get("id"):
            continue
        if form.cleaned_data.get("DELETE") or not form.cleaned_data.get("key"):
            continue
        row = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        row["choices"] = [
            c.strip() for c in (row.get("choices") or "").replace("，", ",").split(",") if c.strip()
        ]
        row["order"] = order
        rows.append(row)
    return rows


class CertificateForm(StyledForm):
    name = forms.CharField(label=_("证明名称"), max_length=200)
    legal_basis = forms.CharField(label=_("设定依据"), widget=forms.Textarea(attrs={"rows": 3}))
    requesting_department = forms.ModelChoiceField(label=_("索要单位"), queryset=Department.objects.none())
    issuing_unit = forms.CharField(label=_("开具单位"), max_length=200)
    guide = forms.CharField(label=_("办理指南"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    commitment_allowed = forms.BooleanField(label=_("可告知承诺替代"), required=False)
    alternative = forms.CharField(
        label=_("替代方式"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requesting_department"].queryset = (
            departments if departments is not None else Department.objects.all()
        )
