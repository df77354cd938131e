from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestKind(models.TextChoices):
    CONSULTATION = "consultation", _("咨询")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")
    HELP = "help", _("求助")


class RequestChannel(models.TextChoices):
    WEB = "web", _("网站")
    PHONE = "phone", _("电话（热线坐席录入）")
    API = "api", _("接口")


class RequestState(models.TextChoices):
    RECEIVED = "received", _("待分办")
    DISPATCHED = "dispatched", _("办理中")
    RETURNED = "returned", _("部门退回")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


OPEN_STATES = (RequestState.RECEIVED, RequestState.DISPATCHED, RequestState.RETURNED)


class CloseReason(models.TextChoices):
    CONFIRMED = "confirmed", _("诉求人确认")
    CALLBACK = "callback", _("回访确认")
    REVIEWED = "reviewed", _("匿名诉求经监督员审核")


class EventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("request event", "登记")
    CLASSIFIED = "classified", pgettext_lazy("request event", "分类")
    DISPATCHED = "dispatched", pgettext_lazy("request event", "分办")
    REDISPATCHED = "redispatched", pgettext_lazy("request event", "重新分办")
    RETURNED = "returned", _("部门退回")
    ANSWERED = "answered", _("部门答复")
    CONFIRMED = "confirmed", _("诉求人确认")
    CALLBACK = "callback", _("回访")
    REVIEWED = "reviewed", _("监督员审核")
    ESCALATED = "escalated", _("超期督办")


# Response limits in working days by kind (settings.HOTLINE_RESPONSE_DAYS overrides any of them).
DEFAULT_RESPONSE_DAYS = {
    RequestKind.CONSULTATION: 3,
    RequestKind.COMPLAINT: 5,
    RequestKind.REPORT: 15,
    RequestKind.SUGGESTION: 10,
    RequestKind.HELP: 3,
}
# Kinds that may be filed without a name (举报).
ANONYMOUS_KINDS = frozenset({RequestKind.REPORT})


class AttributeDatatype(models.TextChoices):
    """Open311 GeoReport v2 attribute datatypes."""

    STRING = "string", _("短文本")
    NUMBER = "number", _("数字")
    DATETIME = "datetime", _("日期时间")
    TEXT = "text", _("长文本")
    SINGLE = "singlevaluelist", _("单选")
    MULTI = "multivaluelist", _("多选")


LIST_DATATYPES = (AttributeDatatype.SINGLE, AttributeDatatype.MULTI)


class AttributeValuesSource(models.TextChoices):
    """Where a list attribute takes its choices from: fixed on the attribute, or live reference data."""

    FIXED = "", _("固定选项")
    DEPARTMENTS = "departments", _("承办部门")
    STREETS = "streets", _("街道（镇）")
    HALLS = "halls", _("办事大厅")


class AttributeRole(models.TextChoices):
    """What an answer does besides being kept on the request."""

    PLAIN = "", _("仅记录")
    ANONYMOUS = "anonymous", _("是否匿名（举报）")
    DEPARTMENT = "department", _("建议承办部门")
    LOCATION = "location", _("事发位置")
