"""Service items (政务服务事项), their versions, materials, form fields, themes and the certificate list.

An item holds its identity (national and local codes, department, parent); everything a citizen
reads in the 办事指南 lives on an ItemVersion. A published version never changes: editing creates a
new draft, publishing the draft retires the old one, and cases keep the version they were made under.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bianmin.catalog.constants import (
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
    ThemeAudience,
    UniversalScope,
    VersionState,
)
from bianmin.core.exceptions import StateConflict
from bianmin.core.models import TimeStampedModel


def build_item_code(implementation_code: str, handle_item_code: str = "") -> str:
    """The public `code` of an item: 实施编码, plus "-" and the 业务办理项编码 when there is one."""
    implementation_code = (implementation_code or "").strip().upper()
    handle_item_code = (handle_item_code or "").strip()
    return f"{implementation_code}-{handle_item_code}" if handle_item_code else implementation_code


def _code_labels(choices, codes) -> list[str]:
    labels = dict(choices.choices)
    return [str(labels.get(code, code)) for code in codes or ()]


class Theme(models.Model):
    """A life event (个人) or an enterprise stage (法人) to browse the catalog by."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    audience = models.CharField(_("面向"), max_length=16, choices=ThemeAudience.choices)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题")
        verbose_name_plural = _("主题")
        ordering = ["audience", "order", "code"]

    def __str__(self) -> str:
        return self.name


class Certificate(TimeStampedModel):
    """An entry of the 证明事项清单: a certificate an agency may still ask for."""

    name = models.CharField(_("证明名称"), max_length=200)
    legal_basis = models.TextField(_("设定依据"))
    requesting_department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("索要单位"),
        on_delete=models.PROTECT,
        related_name="requested_certificates",
    )
    issuing_unit = models.CharField(_("开具单位"), max_length=200)
    guide = models.TextField(_("办理指南"), blank=True)
    commitment_allowed = models.BooleanField(_("可告知承诺"), default=False)
    alternative = models.TextField(
        _("替代方式"), blank=True, help_text=_("例如：数据共享、部门核验、告知承诺。")
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=CertificateState.choices, default=CertificateState.DRAFT
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    retired_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证明事项")
        verbose_name_plural = _("证明事项清单")
        ordering = ["requesting_department__sort_order", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.state == CertificateState.PUBLISHED


class ServiceItem(TimeStampedModel):
    """The identity of an item of the 实施清单; its content is in its versions."""

    implementation_code = models.CharField(_("实施编码"), max_length=31, db_index=True)
    handle_item_code = models.CharField(_("业务办理项编码"), max_length=50, blank=True)
    code = models.CharField(
        _("事项编码"),
        max_length=82,
        unique=True,
        help_text=_("实施编码；有业务办理项编码时为“实施编码-业务办理项编码”。"),
    )
    catalog_code = models.CharField(_("基本编码"), max_length=12, db_index=True)
    local_catalog_code = models.CharField(_("地方基本编码"), max_length=50, blank=True)
    local_implementation_code = models.CharField(_("地方实施编码"), max_length=50, blank=True)
    codes_valid = models.BooleanField(
        _("编码有效"), default=False, help_text=_("实施编码符合国家规则且与实施主体、基本编码一致。")
    )
    code_problems = models.JSONField(_("编码问题"), default=list, blank=True)
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("实施主体"),
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("主项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_items",
        help_text=_("子项单独申请；有子项的主项本身不受理申请。"),
    )
    current_version = models.ForeignKey(
        "ItemVersion",
        verbose_name=_("现行版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_taken_at_local_hall = models.BooleanField(
        _("街道或社区可办"),
        default=False,
        help_text=_("由大厅数据计算：是否有街道（镇）或社区便民服务站受理本事项。"),
    )
    is_nearby = models.BooleanField(_("就近办"), default=False)
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        ordering = ["department__sort_order", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["implementation_code", "handle_item_code"], name="catalog_item_unique_identity"
            )
        ]

    def __str__(self) -> str:
        version = self.current_version
        return f"{version.name if version else self.code}"

    def save(self, *args, **kwargs):
        self.code = build_item_code(self.implementation_code, self.handle_item_code)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and (
            "implementation_code" in update_fields or "handle_item_code" in update_fields
        ):
            kwargs["update_fields"] = list({*update_fields, "code"})
        super().save(*args, **kwargs)

    def accepts_applications(self) -> bool:
        """Applied for: a published version in use, and not a parent whose sub-items are applied for instead."""
        version = self.current_version
        if version is None or not version.accepts_applications:
            return False
        return not any(sub.current_version_id for sub in self.sub_items.all())

    @property
    def exercise_level_code(self) -> str:
        return self.implementation_code[18:19] if len(self.implementation_code) == 31 else ""


class ItemVersion(TimeStampedModel):
    """One version of an item's 办事指南. Immutable once published."""

    # Fields a published version may still change: being retired, and the review bookkeeping.
    RETIRE_FIELDS = frozenset({"state", "retired_at", "retired_by", "updated_at"})

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    state = models.CharField(
        _("版本状态"), max_length=16, choices=VersionState.choices, default=VersionState.DRAFT
    )
    status = models.CharField(
        _("事项状态"), max_length=1, choices=ItemStatus.choices, default=ItemStatus.IN_USE
    )

    name = models.CharField(_("事项名称"), max_length=200)
    aliases = models.JSONField(_("别名"), default=list, blank=True, help_text=_("简称、俗称，如“社保卡”。"))
    item_type = models.CharField(_("事项类型"), max_length=2, choices=ItemType.choices)
    exercise_level = models.CharField(_("行使层级"), max_length=1, choices=ExerciseLevel.choices)
    service_objects = models.JSONField(_("服务对象"), default=list, help_text=_("服务对象编码列表。"))
    conditions = models.TextField(_("受理条件"), blank=True)
    process_steps = models.JSONField(_("办理流程"), default=list, blank=True)
    legal_bases = models.JSONField(
        _("设定依据"), default=list, blank=True, help_text=_("[{law, article, text}, ...]")
    )

    statutory_limit = models.PositiveIntegerField(_("法定办结时限"), null=True, blank=True)
    statutory_limit_unit = models.CharField(
        _("法定时限单位"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAY
    )
    statutory_limit_explanation = models.TextField(_("法定时限说明"), blank=True)
    promised_limit = models.PositiveIntegerField(_("承诺办结时限"), null=True, blank=True)
    promised_limit_unit = models.CharField(
        _("承诺时限单位"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAY
    )
    promised_limit_explanation = models.TextField(_("承诺时限说明"), blank=True)
    special_steps = models.JSONField(
        _("特殊环节"), default=list, blank=True, help_text=_("[{name, duration, unit, counted}, ...]")
    )

    handle_kind = models.CharField(
        _("办件类型"), max_length=1, choices=HandleKind.choices, default=HandleKind.PROMISED
    )
    handling_forms = models.JSONField(_("办理形式"), default=list, blank=True)
    visits_required = models.PositiveSmallIntegerField(_("到现场次数"), default=1)
    online_depth = models.JSONField(_("网办深度"), default=list, blank=True)
    universal_scope = models.CharField(
        _("通办范围"), max_length=1, choices=UniversalScope.choices, blank=True, default=""
    )
    is_free = models.BooleanField(_("不收费"), default=True)
    fees = models.JSONField(
        _("收费项目"), default=list, blank=True, help_text=_("[{name, standard, basis}, ...]")
    )
    is_investment_project = models.BooleanField(_("投资项目审批事项"), default=False)
    result_name = models.CharField(_("审批结果名称"), max_length=200, blank=True)
    result_type = models.CharField(
        _("审批结果类型"), max_length=16, choices=ResultType.choices, default=ResultType.OTHER
    )
    place_notes = models.TextField(_("办理地点说明"), blank=True)
    consultation_phone = models.CharField(_("咨询电话"), max_length=64, blank=True)
    supervision_phone = models.CharField(_("监督投诉电话"), max_length=64, blank=True)

    partner_departments = models.ManyToManyField(
        "organisations.Department",
        verbose_name=_("并联审批部门"),
        blank=True,
        related_name="partner_item_versions",
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("主题"), blank=True, related_name="item_versions")

    # Denormalised from the fields above by the services (catalog.flags), for fast filters and KPIs.
    is_instant = models.BooleanField(_("马上办"), default=False, editable=False)
    is_online = models.BooleanField(_("网上办"), default=False, editable=False)
    is_one_visit = models.BooleanField(_("一次办"), default=False, editable=False)
    is_nearby_scope = models.BooleanField(_("通办范围在全区及以上"), default=False, editable=False)
    serves_natural_person = models.BooleanField(_("面向自然人"), default=False, editable=False)
    serves_legal_person = models.BooleanField(_("面向法人"), default=False, editable=False)
    is_window_handled = models.BooleanField(_("可窗口办理"), default=False, editable=False)

    needs_correction = models.BooleanField(
        _("待更正"), default=False, help_text=_("导入时编码未通过国家规则校验，更正前不能发布。")
    )
    is_imported = models.BooleanField(_("导入"), default=False)
    import_notes = models.TextField(_("导入说明"), blank=True)
    review_comments = models.TextField(_("审核意见"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("停用人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalog_version_unique_number"),
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(state="published"),
                name="catalog_one_published_version_per_item",
            ),
        ]

    def __str__(self) -> str:
        return str(_("%(name)s（第%(number)s版）")) % {"name": self.name, "number": self.number}

    def save(self, *args, **kwargs):
        # The database, not the instance, says whether this version is still editable.
        if self.pk is not None and not self._state.adding:
            stored = ItemVersion.objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored in (VersionState.PUBLISHED, VersionState.RETIRED):
                update_fields = kwargs.get("update_fields")
                if update_fields is None or not set(update_fields) <= self.RETIRE_FIELDS:
                    raise StateConflict(
                        _("已发布的事项版本不能修改，请新建草稿版本。"), code="version_immutable"
                    )
        super().save(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.state == VersionState.DRAFT

    @property
    def promised_limit_days(self) -> int | None:
        return self.promised_limit if self.promised_limit_unit == LimitUnit.WORKING_DAY else None

    @property
    def statutory_limit_days(self) -> int | None:
        return self.statutory_limit if self.statutory_limit_unit == LimitUnit.WORKING_DAY else None

    @property
    def service_object_labels(self) -> list[str]:
        return _code_labels(ServiceObject, self.service_objects)

    @property
    def handling_form_labels(self) -> list[str]:
        return _code_labels(HandlingForm, self.handling_forms)

    @property
    def online_depth_labels(self) -> list[str]:
        return _code_labels(OnlineDepth, self.online_depth)

    @property
    def accepts_applications(self) -> bool:
        return self.state == VersionState.PUBLISHED and self.status == ItemStatus.IN_USE


class _DraftChildMixin:
    """Materials and form fields belong to their version: they change only while it is a draft."""

    def _refuse_unless_draft(self) -> None:
        stored = ItemVersion.objects.filter(pk=self.version_id).values_list("state", flat=True).first()
        if stored not in (VersionState.DRAFT, None):
            raise StateConflict(_("只有草稿版本可以修改申请材料和表单。"), code="version_immutable")

    def save(self, *args, **kwargs):
        self._refuse_unless_draft()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_unless_draft()
        return super().delete(*args, **kwargs)


class Material(_DraftChildMixin, models.Model):
    """A 申请材料 of a version."""

    version = models.ForeignKey(
        ItemVersion, verbose_name=_("事项版本"), on_delete=models.CASCADE, related_name="materials"
    )
    order = models.PositiveIntegerField(_("序号"), default=0)
    name = models.CharField(_("材料名称"), max_length=300)
    necessity = models.CharField(
        _("材料必要性"), max_length=1, choices=Necessity.choices, default=Necessity.REQUIRED
    )
    form = models.CharField(
        _("材料形式"), max_length=1, choices=MaterialForm.choices, default=MaterialForm.PAPER_OR_ELECTRONIC
    )
    original_count = models.PositiveSmallIntegerField(_("原件份数"), default=0)
    copy_count = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    source = models.CharField(
        _("来源渠道"), max_length=2, choices=MaterialSource.choices, default=MaterialSource.APPLICANT
    )
    source_note = models.CharField(_("来源说明"), max_length=300, blank=True)
    is_certificate = models.BooleanField(
        _("属于证明材料"), default=False, help_text=_("证明材料必须对应证明事项清单中已公布的证明。")
    )
    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("证明事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="materials",
    )
    licence_type_code = models.CharField(
        _("电子证照类型代码"), max_length=32, blank=True, help_text=_("可用该类电子证照代替提交本材料。")
    )
    blank_form = models.FileField(_("空白表格"), upload_to="catalog/forms/%Y/", blank=True)
    sample = models.FileField(_("示例样表"), upload_to="catalog/samples/%Y/", blank=True)
    notes = models.TextField(_("填报须知"), blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def may_be_missing_at_tolerant_acceptance(self) -> bool:
        return self.necessity == Necessity.TOLERATED


class FormField(_DraftChildMixin, models.Model):
    """One field of the declarative application form, from which the online and window forms are built."""

    version = models.ForeignKey(
        ItemVersion, verbose_name=_("事项版本"), on_delete=models.CASCADE, related_name="form_fields"
    )
    order = models.PositiveIntegerField(_("序号"), default=0)
    key = models.SlugField(_("字段标识"), max_length=50)
    label = models.CharField(_("字段名称"), max_length=100)
    kind = models.CharField(
        _("字段类型"), max_length=16, choices=FormFieldKind.choices, default=FormFieldKind.TEXT
    )
    required = models.BooleanField(_("必填"), default=True)
    choices = models.JSONField(_("选项"), default=list, blank=True, help_text=_("选项字段的可选值列表。"))
    max_length = models.PositiveIntegerField(_("最大长度"), null=True, blank=True)
    help_text = models.CharField(_("填写说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("表单字段")
        verbose_name_plural = _("表单字段")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="catalog_form_field_unique_key")
        ]

    def __str__(self) -> str:
        return self.label
