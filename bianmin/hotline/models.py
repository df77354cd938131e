"""The request desk (诉求): requests and their events, request categories (Open311 services), API keys, FAQ."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bianmin.core.fields import EncryptedTextField
from bianmin.core.masking import mask_mobile, mask_name, mask_text
from bianmin.core.models import TimeStampedModel
from bianmin.hotline.constants import (
    ANONYMOUS_KINDS,
    OPEN_STATES,
    AttributeDatatype,
    AttributeRole,
    AttributeValuesSource,
    CloseReason,
    EventKind,
    RequestChannel,
    RequestKind,
    RequestState,
)
from bianmin.hotline.labels import relabel


class RequestCategory(TimeStampedModel):
    """A kind of matter people raise (市容环境, 噪音扰民 …); the public ones are Open311's services."""

    code = models.SlugField(_("类别编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    group = models.CharField(_("分组"), max_length=50, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True, help_text=_("以逗号分隔。"))
    default_kind = models.CharField(
        _("默认诉求类型"), max_length=16, choices=RequestKind.choices, default=RequestKind.COMPLAINT
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("默认承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request_categories",
    )
    is_public = models.BooleanField(_("对外公开（Open311）"), default=True)
    requires_location = models.BooleanField(
        _("须填写事发位置"),
        default=True,
        help_text=_("经纬度、地址或“事发位置”类附加信息之一；咨询、建议等类别可不填。"),
    )
    is_active = models.BooleanField(_("有效"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class CategoryAttribute(TimeStampedModel):
    """One extra question of a category (an Open311 service definition attribute, GeoReport v2)."""

    category = models.ForeignKey(
        RequestCategory, verbose_name=_("类别"), on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.CharField(_("编码"), max_length=40, help_text=_("Open311 的 attribute code，如 SOURCE。"))
    datatype = models.CharField(_("数据类型"), max_length=16, choices=AttributeDatatype.choices)
    is_variable = models.BooleanField(
        _("需填写"), default=True, help_text=_("否：仅为提示信息（Open311 variable=false）。")
    )
    is_required = models.BooleanField(_("必填"), default=False)
    description = models.CharField(_("问题"), max_length=200)
    datatype_description = models.CharField(_("填写说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    values = models.JSONField(
        _("选项"), default=list, blank=True, help_text=_('固定选项：[{"key": "night", "name": "夜间"}]')
    )
    values_source = models.CharField(
        _("选项来源"), max_length=16, choices=AttributeValuesSource.choices, blank=True, default=""
    )
    role = models.CharField(_("用途"), max_length=16, choices=AttributeRole.choices, blank=True, default="")

    class Meta:
        verbose_name = _("类别附加信息")
        verbose_name_plural = _("类别附加信息")
        ordering = ["category", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="hotline_attr_code_unique")]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.code}"


class ApiKey(TimeStampedModel):
    """A key an Open311 client sends as api_key to create requests. Only its SM3 digest is stored."""

    name = models.CharField(_("客户端名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=8, db_index=True)
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ServiceRequest(TimeStampedModel):
    """One 诉求: a consultation, complaint, report (举报), suggestion or call for help."""

    number = models.CharField(_("诉求编号"), max_length=20, unique=True)
    kind = models.CharField(_("诉求类型"), max_length=16, choices=RequestKind.choices)
    channel = models.CharField(_("渠道"), max_length=8, choices=RequestChannel.choices)
    category = models.ForeignKey(
        RequestCategory,
        verbose_name=_("类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("诉求内容"))
    address = models.CharField(_("事发地点"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    media_url = models.URLField(_("图片链接"), blank=True)
    attributes = models.JSONField(_("附加信息"), default=dict, blank=True)

    is_anonymous = models.BooleanField(_("匿名"), default=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("诉求人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    requester_name = models.CharField(_("诉求人姓名"), max_length=64, blank=True)
    requester_mobile = EncryptedTextField(_("联系电话"), blank=True, default="")
    requester_mobile_hash = models.CharField(_("联系电话索引"), max_length=64, blank=True, db_index=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    api_key = models.ForeignKey(
        ApiKey,
        verbose_name=_("接口客户端"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    idempotency_key = models.CharField(_("幂等键"), max_length=64, blank=True)

    state = models.CharField(
        _("状态"), max_length=16, choices=RequestState.choices, default=RequestState.RECEIVED, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    suggested_department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("建议承办部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    received_on = models.DateField(_("登记日"))
    limit_days = models.PositiveSmallIntegerField(_("答复时限（工作日）"))
    due_on = models.DateField(_("答复期限"), db_index=True)
    dispatch_count = models.PositiveSmallIntegerField(_("分办次数"), default=0)
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    return_reason = models.TextField(_("退回理由"), blank=True)
    dispatched_at = models.DateTimeField(_("分办时间"), null=True, blank=True)

    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_overdue = models.BooleanField(_("超期"), default=False)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)

    close_reason = models.CharField(_("办结方式"), max_length=16, choices=CloseReason.choices, blank=True)
    callback_note = models.TextField(_("回访记录"), blank=True)
    is_satisfied = models.BooleanField(_("诉求人认可"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "due_on"], name="hotline_req_state_due")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def hides_identity_from_department(self) -> bool:
        """A 举报人 is never shown to the department concerned (anonymous or not)."""
        return self.kind in ANONYMOUS_KINDS

    def redact(self, text: str) -> str:
        """Free text as the department concerned (or the public) may read it: the requester's own name and
        number blotted out wholly wherever the text repeats them, any other ID or mobile number masked."""
        text = text or ""
        if self.requester_mobile:
            text = text.replace(self.requester_mobile, "*" * len(self.requester_mobile))
        name = (self.requester_name or "").strip()
        if len(name) >= 2:
            text = text.replace(name, "*" * len(name))
        return mask_text(text)

    @property
    def masked_requester_name(self) -> str:
        return mask_name(self.requester_name)

    @property
    def masked_requester_mobile(self) -> str:
        return mask_mobile(self.requester_mobile)

    def can_classify(self) -> bool:
        return self.state in (RequestState.RECEIVED, RequestState.RETURNED)

    def can_dispatch(self) -> bool:
        return self.state in (RequestState.RECEIVED, RequestState.RETURNED)

    def can_return(self) -> bool:
        return self.state == RequestState.DISPATCHED

    def can_answer(self) -> bool:
        return self.state == RequestState.DISPATCHED

    def can_close(self) -> bool:
        return self.state == RequestState.ANSWERED


class RequestEvent(models.Model):
    """The request's timeline (append-only)."""

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事件"), max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("诉求事件")
        verbose_name_plural = _("诉求事件")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.get_kind_display()}"

    @property
    def shown_note(self) -> str:
        """The note in the reader's language where the desk wrote a label (the channel on registration, the kind
        on classification); free text as written."""
        if self.kind == EventKind.CREATED:
            return relabel(self.note, RequestChannel)
        if self.kind == EventKind.CLASSIFIED:
            return relabel(self.note, RequestKind)
        return self.note


class FaqEntry(TimeStampedModel):
    """A maintained question and answer of the smart guide (智能导办), jieba-indexed."""

    code = models.SlugField(_("编码"), max_length=60, unique=True)
    question = models.CharField(_("问题"), max_length=200)
    answer = models.TextField(_("答复"))
    keywords = models.CharField(
        _("关键词"), max_length=200, blank=True, help_text=_("以逗号分隔，如俗称、简称。")
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("相关部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("相关事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_published = models.BooleanField(_("发布"), default=True)
    search_question = models.TextField(_("问题分词"), blank=True, editable=False)
    search_keywords = models.TextField(_("关键词分词"), blank=True, editable=False)
    search_answer = models.TextField(_("答复分词"), blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("维护人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.question
