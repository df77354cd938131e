"""The case (办件): one application for one item version, carried from draft to delivery.

The current state lives on the Case row; what happened lives in CaseEvent rows (append-only). Only
the services in cases/services.py change a case, through the transition table in
cases/transitions.py; every change bumps `version` with a compare-and-set update.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bianmin.cases.constants import (
    AcceptanceMode,
    ApplicantKind,
    CaseState,
    Channel,
    Decision,
    DeliveryChannel,
    EventKind,
    MaterialKind,
    ReviewTaskState,
    SpecialProcedure,
    SuspensionKind,
    TrustLevel,
)
from bianmin.core.fields import EncryptedTextField
from bianmin.core.models import TimeStampedModel


class Case(TimeStampedModel):
    """An application (办件). Drafts are known by their UUID; the number is assigned at submission."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(
        _("办件编号"),
        max_length=23,
        unique=True,
        null=True,
        blank=True,
        help_text=_("区划代码(6)+日期(8)+部门简码(4)+当日序号(5)，提交时生成，永不改变。"),
    )
    item = models.ForeignKey(
        "catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="cases"
    )
    item_version = models.ForeignKey(
        "catalog.ItemVersion", verbose_name=_("事项版本"), on_delete=models.PROTECT, related_name="cases"
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("实施主体（牵头部门）"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    state = models.CharField(
        _("状态"), max_length=24, choices=CaseState.choices, default=CaseState.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=1, help_text=_("乐观锁：每次变更加一。"))

    # who applies
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    enterprise = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name=_("申请企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    applicant_kind = models.CharField(
        _("申请人类型"), max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("申请人名称"), max_length=200)
    applicant_id_no = EncryptedTextField(_("身份证号/统一社会信用代码"), blank=True, default="")
    applicant_id_hash = models.CharField(_("证件号索引"), max_length=64, blank=True, db_index=True)
    applicant_id_masked = models.CharField(_("证件号（脱敏）"), max_length=32, blank=True)
    applicant_mobile = EncryptedTextField(_("联系电话"), blank=True, default="")
    applicant_mobile_tail = models.CharField(_("电话后四位"), max_length=4, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    idempotency_key = models.CharField(_("创建幂等键"), max_length=64, blank=True)
    submit_idempotency_key = models.CharField(_("提交幂等键"), max_length=64, blank=True)

    # where and how
    channel = models.CharField(_("申请渠道"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    hall = models.ForeignKey(
        "organisations.Hall",
        verbose_name=_("受理大厅"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    window = models.ForeignKey(
        "organisations.Window",
        verbose_name=_("受理窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    agent_name = models.CharField(_("代办人姓名"), max_length=64, blank=True)
    agent_id_no = EncryptedTextField(_("代办人身份证号"), blank=True, default="")
    agent_id_masked = models.CharField(_("代办人身份证号（脱敏）"), max_length=32, blank=True)
    agent_mobile = EncryptedTextField(_("代办人电话"), blank=True, default="")
    form_data = models.JSONField(_("申请表数据"), default=dict, blank=True)

    # intake
    acceptance_mode = models.CharField(
        _("受理方式"), max_length=16, choices=AcceptanceMode.choices, blank=True, default=""
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    intake_started_on = models.DateField(
        _("收件日"), null=True, blank=True, help_text=_("最近一次提交（含补正后重新提交）的日期。")
    )
    intake_due_on = models.DateField(_("受理决定期限"), null=True, blank=True)
    is_late_intake = models.BooleanField(
        _("逾期受理"), default=False, help_text=_("超过5个工作日才作出受理决定，自收件日起计算期限。")
    )
    accepted_on = models.DateField(_("受理日"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    correction_notes = models.JSONField(_("补正告知"), default=list, blank=True)
    decline_reason = models.TextField(_("不予受理理由"), blank=True)
    decline_legal_basis = models.TextField(_("不予受理依据"), blank=True)

    # clock (working days)
    limit_days = models.PositiveIntegerField(_("承诺时限（工作日）"), null=True, blank=True)
    deadline_on = models.DateField(_("办结期限"), null=True, blank=True, db_index=True)
    is_provisional_deadline = models.BooleanField(_("期限按暂定日历计算"), default=False)
    suspended_days = models.PositiveIntegerField(_("中止天数（工作日）"), default=0)
    extension_days = models.PositiveIntegerField(_("延期天数（工作日）"), default=0)
    is_suspended = models.BooleanField(_("计时中止"), default=False)
    suspended_since = models.DateField(_("本次中止日"), null=True, blank=True)

    # conclusion and delivery
    decision = models.CharField(_("决定"), max_length=16, choices=Decision.choices, blank=True, default="")
    decision_reasons = models.TextField(_("决定理由"), blank=True)
    remedies = models.TextField(_("救济途径"), blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery_channel = models.CharField(
        _("送达方式"), max_length=16, choices=DeliveryChannel.choices, blank=True, default=""
    )
    delivery_hall = models.ForeignKey(
        "organisations.Hall",
        verbose_name=_("领取大厅"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pickup_cases",
    )
    delivery_address = models.CharField(_("邮寄地址"), max_length=300, blank=True)
    delivery_tracking_no = models.CharField(_("快递单号"), max_length=64, blank=True)
    delivery_recipient = models.CharField(_("领取人/签收人"), max_length=64, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("送达经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # fees and visits
    fee_due = models.DecimalField(_("应缴费用"), max_digits=12, decimal_places=2, default=0)
    fee_paid_at = models.DateTimeField(_("缴费时间"), null=True, blank=True)
    fee_receipt_no = models.CharField(_("电子票据号"), max_length=64, blank=True)
    visits_count = models.PositiveSmallIntegerField(_("到现场次数"), default=0)

    # ending otherwise
    closed_reason = models.TextField(_("撤回/作废原因"), blank=True)
    closed_at = models.DateTimeField(_("撤回/作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="case_unique_create_key",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "deadline_on"], name="case_state_deadline"),
            models.Index(fields=["applicant", "-created_at"], name="case_applicant_recent"),
            models.Index(fields=["enterprise", "-created_at"], name="case_enterprise_recent"),
            models.Index(fields=["hall", "state"], name="case_hall_state"),
            models.Index(fields=["department", "state", "deadline_on"], name="case_dept_queue"),
            # the window clerks' queue (state submitted, by hall) in queue order, with the key: the page's
            # keys come from the index alone (selectors.ListQuerySet)
            models.Index(
                fields=["state", "hall", "deadline_on", "intake_due_on", "submitted_at", "id"],
                name="case_intake_queue",
            ),
            # KPI: the daily summary's refresh and the live case figures read concluded / accepted date ranges
            models.Index(fields=["concluded_at"], name="case_concluded_at"),
            models.Index(fields=["accepted_on"], name="case_accepted_on"),
            # the supervisors' unfiltered case list, newest first (walked backwards for a page)
            models.Index(fields=["created_at", "id"], name="case_recent"),
        ]

    def __str__(self) -> str:
        return self.number or str(self.id)

    @property
    def reference(self) -> str:
        """The public handle: the number once submitted, the UUID for a draft."""
        return self.number or str(self.id)

    @property
    def is_joint(self) -> bool:
        """并联审批: the version names partner departments (reads the prefetched relation when present)."""
        return bool(self.item_version.partner_departments.all())


class CaseNumberCounter(models.Model):
    """The last daily serial handed out per department and day (locked while a number is assigned)."""

    department = models.ForeignKey(
        "organisations.Department", verbose_name=_("部门"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("日期"))
    last_serial = models.PositiveIntegerField(_("最后序号"), default=0)

    class Meta:
        verbose_name = _("办件编号计数器")
        verbose_name_plural = _("办件编号计数器")
        constraints = [
            models.UniqueConstraint(fields=["department", "day"], name="case_counter_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.day} {self.last_serial}"


class CaseMaterial(TimeStampedModel):
    """One material given for a case: an upload, a held licence, a signed commitment, or missing (容缺)."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        "catalog.Material",
        verbose_name=_("事项材料"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("为空时是事项清单之外的材料，如代办的授权委托书。"),
    )
    name = models.CharField(_("材料名称"), max_length=300)
    kind = models.CharField(_("提交方式"), max_length=16, choices=MaterialKind.choices)
    file = models.FileField(_("文件"), upload_to="cases/materials/%Y/%m/", blank=True, max_length=200)
    file_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    licence_provider = models.CharField(_("证照提供方"), max_length=32, blank=True)
    licence_ref = models.CharField(_("证照标识"), max_length=128, blank=True)
    commitment_text = models.TextField(_("承诺内容"), blank=True)
    commitment_signed_at = models.DateTimeField(_("承诺时间"), null=True, blank=True)
    due_on = models.DateField(_("补齐期限"), null=True, blank=True)
    supplied_at = models.DateTimeField(_("补齐时间"), null=True, blank=True)
    trust_level = models.CharField(_("可信等级"), max_length=1, choices=TrustLevel.choices, blank=True)
    is_current = models.BooleanField(_("现行"), default=True, help_text=_("被替换的材料保留为历史。"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("办件材料")
        verbose_name_plural = _("办件材料")
        ordering = ["case", "material__order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_missing(self) -> bool:
        return self.kind == MaterialKind.MISSING and self.supplied_at is None


class CaseEvent(models.Model):
    """What happened to a case, append-only: the timeline and the KPIs read these."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("角色"), max_length=24, blank=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    state_from = models.CharField(_("原状态"), max_length=24, blank=True)
    state_to = models.CharField(_("新状态"), max_length=24, blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办件事件")
        verbose_name_plural = _("办件事件")
        ordering = ["case", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("CaseEvent rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("CaseEvent rows are append-only")


class ReviewTask(TimeStampedModel):
    """One department's review of a case: the lead's, and one per partner department (并联审批)."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="tasks")
    department = models.ForeignKey(
        "organisations.Department", verbose_name=_("审查部门"), on_delete=models.PROTECT, related_name="+"
    )
    is_lead = models.BooleanField(_("牵头"), default=False)
    state = models.CharField(
        _("状态"), max_length=8, choices=ReviewTaskState.choices, default=ReviewTaskState.OPEN
    )
    opinion = models.TextField(_("审查意见"), blank=True)
    asks_return = models.BooleanField(_("建议退回申请人"), default=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审查任务")
        verbose_name_plural = _("审查任务")
        ordering = ["case", "-is_lead", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "department"], name="review_task_unique_department"),
        ]
        indexes = [models.Index(fields=["department", "state"], name="review_task_queue")]

    def __str__(self) -> str:
        return f"{self.case} · {self.department}"


class Suspension(models.Model):
    """A stop of the clock: returned for supplement, or a 特别程序 (行政许可法 第45条)."""

    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="suspensions"
    )
    kind = models.CharField(_("类型"), max_length=24, choices=SuspensionKind.choices)
    procedure = models.CharField(
        _("特别程序"), max_length=24, choices=SpecialProcedure.choices, blank=True, default=""
    )
    reason = models.TextField(_("原因"))
    requested_items = models.JSONField(_("需补充的材料"), default=list, blank=True)
    started_on = models.DateField(_("中止日"))
    resumed_on = models.DateField(_("恢复日"), null=True, blank=True)
    days = models.PositiveIntegerField(_("中止工作日数"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("中止人"), on_delete=models.PROTECT, related_name="+"
    )
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("恢复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("计时中止")
        verbose_name_plural = _("计时中止")
        ordering = ["case", "started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} {self.started_on}"


class Extension(models.Model):
    """An approved extension (延期) of the time limit."""

    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveIntegerField(_("延长工作日数"))
    reason = models.TextField(_("理由"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("批准人"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准时间"))

    class Meta:
        verbose_name = _("延期")
        verbose_name_plural = _("延期")
        ordering = ["case", "approved_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} +{self.days}"


class Visit(models.Model):
    """One in-person contact of the applicant at a window (到现场次数 realised)."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="visits")
    hall = models.ForeignKey(
        "organisations.Hall",
        verbose_name=_("大厅"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"))
    purpose = models.CharField(_("事由"), max_length=32, choices=EventKind.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("到现场记录")
        verbose_name_plural = _("到现场记录")
        ordering = ["case", "at"]

    def __str__(self) -> str:
        return f"{self.case} {self.at:%Y-%m-%d}"


class InstantAuthorisation(TimeStampedModel):
    """A department authorises a window clerk to accept and conclude its 即办件 on the spot (马上办)."""

    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("授权部门"),
        on_delete=models.CASCADE,
        related_name="instant_authorisations",
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("窗口人员"),
        on_delete=models.CASCADE,
        related_name="instant_authorisations",
    )
    is_active = models.BooleanField(_("有效"), default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("授权人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("即办授权")
        verbose_name_plural = _("即办授权")
        constraints = [
            models.UniqueConstraint(fields=["department", "clerk"], name="instant_authorisation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.department} → {self.clerk}"


class CaseNotice(models.Model):
    """A notice (告知书、决定书、回执) as issued: one fixed PDF per step it records (its CaseEvent).

    Issued in the background when the step commits (cases.tasks), or on the first download if that has
    not run yet, and served as stored ever after. Sealed with the department's approval seal (电子印章)
    when it has a usable one: `canonical_json` is then what the SM2 signature covers (it names the SM3 of
    the notice's text). Without one the notice is stored all the same, marked 未加盖电子印章 (no seal, no
    signature). `pdf_sm3` is the digest of the stored PDF either way. The decision notice (准予/不予行政
    许可决定书) of the conclusion is the case's result document (电子送达 hands over this file).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("文书"), max_length=24)
    event = models.ForeignKey(
        CaseEvent,
        verbose_name=_("所记录的办理环节"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
    )
    content_sm3 = models.CharField(_("内容摘要（SM3）"), max_length=64)
    issued_at = models.DateTimeField(_("出具时间"))
    canonical_json = models.TextField(_("签名数据"))
    signature = models.TextField(_("SM2签名（DER，十六进制）"), blank=True, default="")
    seal = models.ForeignKey(
        "documents.Seal",
        verbose_name=_("印章"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("为空表示出具时未加盖电子印章。"),
    )
    key_version = models.PositiveIntegerField(_("密钥版本"), null=True, blank=True)
    key_fingerprint = models.CharField(_("公钥指纹"), max_length=64, blank=True, default="")
    pdf = models.FileField(_("PDF"), upload_to="cases/notices/%Y/", max_length=200)
    pdf_sm3 = models.CharField(_("PDF摘要（SM3）"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("办件文书")
        verbose_name_plural = _("办件文书")
        ordering = ["case", "issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "event"],
                condition=models.Q(event__isnull=False),
                name="case_notice_unique_step",
            ),
        ]
        indexes = [models.Index(fields=["case", "kind", "content_sm3"], name="case_notice_content")]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"

    @property
    def is_sealed(self) -> bool:
        return self.seal_id is not None
