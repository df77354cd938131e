"""Enumerations of the case (办件) domain. Stored values English snake_case, labels Chinese."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待受理")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    DECLINED = "declined", _("不予受理")
    ACCEPTED = "accepted", _("已受理")
    IN_REVIEW = "in_review", _("审查中")
    CONCLUDED = "concluded", _("已办结")
    DELIVERED = "delivered", _("已送达")
    WITHDRAWN = "withdrawn", _("已撤回")
    VOIDED = "voided", _("已作废")


OPEN_STATES = frozenset(
    {
        CaseState.SUBMITTED,
        CaseState.AWAITING_CORRECTION,
        CaseState.ACCEPTED,
        CaseState.IN_REVIEW,
    }
)
CLOCK_STATES = frozenset({CaseState.ACCEPTED, CaseState.IN_REVIEW})
BEFORE_CONCLUDED = frozenset(
    {
        CaseState.DRAFT,
        CaseState.SUBMITTED,
        CaseState.AWAITING_CORRECTION,
        CaseState.ACCEPTED,
        CaseState.IN_REVIEW,
    }
)


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申请")
    WINDOW = "window", _("窗口申请")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ENTERPRISE = "enterprise", _("法人")


class AcceptanceMode(models.TextChoices):
    STANDARD = "standard", _("标准受理")
    TOLERANT = "tolerant", _("容缺受理")


class Decision(models.TextChoices):
    APPROVED = "approved", _("准予")
    DENIED = "denied", _("不予许可")


class DeliveryChannel(models.TextChoices):
    PICKUP = "pickup", _("窗口领取")
    POST = "post", _("快递送达")
    ELECTRONIC = "electronic", _("电子送达")


class MaterialKind(models.TextChoices):
    UPLOAD = "upload", _("上传文件")
    LICENCE = "licence", _("电子证照")
    COMMITMENT = "commitment", _("告知承诺")
    MISSING = "missing", _("容缺后补")


class TrustLevel(models.TextChoices):
    """Trust level of a reused material (design.md §4)."""

    A = "A", _("A 发证机关签发")
    B = "B", _("B 窗口核验原件")
    C = "C", _("C 申请人上传")
    D = "D", _("D 申请人承诺")


class ReviewTaskState(models.TextChoices):
    OPEN = "open", _("待审查")
    DONE = "done", _("已完成")


class SuspensionKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("补充材料")
    SPECIAL_PROCEDURE = "special_procedure", _("特别程序")


class SpecialProcedure(models.TextChoices):
    """行政许可法 第45条."""

    HEARING = "hearing", _("听证")
    TENDERING = "tendering", _("招标")
    AUCTION = "auction", _("拍卖")
    INSPECTION = "inspection", _("检验")
    TESTING = "testing", _("检测")
    QUARANTINE = "quarantine", _("检疫")
    APPRAISAL = "appraisal", _("鉴定")
    EXPERT_REVIEW = "expert_review", _("专家评审")


class ClockColour(models.TextChoices):
    NONE = "none", _("未计时")
    GREEN = "green", _("正常")
    YELLOW = "yellow", _("预警")
    RED = "red", _("超期")


class EventKind(models.TextChoices):
    """CaseEvent kinds: one per action of the transition table, plus bookkeeping events."""

    SAVE_DRAFT = "save_draft", _("保存草稿")
    SUBMIT = "submit", _("提交申请")
    REQUEST_CORRECTION = "request_correction", _("一次性告知补正")
    RESUBMIT = "resubmit", _("补正后重新提交")
    DECLINE = "decline", _("不予受理")
    ACCEPT = "accept", _("受理")
    ACCEPT_AND_CONCLUDE = "accept_and_conclude", _("即办办结")
    SUPPLEMENT = "supplement", _("补齐容缺材料")
    START_REVIEW = "start_review", _("开始审查")
    REVIEW = "review", _("审查意见")
    RETURN_TO_APPLICANT = "return_to_applicant", _("退回补充材料")
    SUSPEND = "suspend", _("中止计时（特别程序）")
    RESUME = "resume", _("恢复计时")
    EXTEND = "extend", _("延期")
    CONCLUDE = "conclude", _("办结")
    DELIVER = "deliver", _("送达")
    WITHDRAW = "withdraw", _("撤回")
    VOID = "void", _("作废")
    PAY = "pay", _("缴费")
    MATERIAL = "material", _("提交材料")
    DEADLINE_RECOMPUTED = "deadline_recomputed", _("期限按正式日历重算")


# 行政许可法 第32条: the intake decision is due within this many working days of submission.
INTAKE_DUE_WORKDAYS = 5
# 行政许可法 第42条: extension caps (working days): 10, or 15 for joint handling (并联).
EXTENSION_MAX_DAYS = 10
EXTENSION_MAX_DAYS_JOINT = 15
# Yellow warning when this share of the working days is used.
YELLOW_RATIO = 0.8
# Remedies stated on a denial (不予许可决定书).
REVIEW_REMEDY_DAYS = 60  # 行政复议法: 60 days
LITIGATION_REMEDY_MONTHS = 6  # 行政诉讼法: 6 months

ALLOWED_UPLOAD_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
}
