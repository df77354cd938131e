"""Enumerations of the service item catalog.

Where the national 政务服务事项实施清单 has a code list (design.md §4, standards.md §1.4) the stored
VALUE is the national code and the label is the Chinese name; where it has none (time-limit units,
version states, form-field kinds) the value is English snake_case.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class ItemType(models.TextChoices):
    """事项类型. Only the types that are applied for (依申请) are items of this catalog.

    The national list also has 02 行政处罚, 03 行政强制, 04 行政征收 and 06 行政检查: nobody applies
    for those, so they are not choices here; an import that meets them says so (NON_APPLICATION_TYPES).
    """

    LICENSING = "01", _("行政许可")
    BENEFIT = "05", _("行政给付")
    CONFIRMATION = "07", _("行政确认")
    REWARD = "08", _("行政奖励")
    ADJUDICATION = "09", _("行政裁决")
    OTHER_POWER = "10", _("其他行政权力")
    PUBLIC_SERVICE = "20", _("公共服务")


NON_APPLICATION_TYPES = {
    "02": _("行政处罚"),
    "03": _("行政强制"),
    "04": _("行政征收"),
    "06": _("行政检查"),
}

# The plan's six types (审批服务便民化 plan); 10 其他行政权力 completes the 依申请 scope.
PLAN_TYPES = frozenset({"01", "05", "07", "08", "09", "20"})
APPLICATION_TYPES = frozenset(ItemType.values)


class ExerciseLevel(models.TextChoices):
    """行使层级 (the 19th character of the 实施编码)."""

    NATIONAL = "1", _("国家级")
    PROVINCE = "2", _("省级")
    CITY = "3", _("市级")
    COUNTY = "4", _("县（区）级")
    TOWNSHIP = "5", _("乡镇（街道）级")
    VILLAGE = "6", _("村（社区）级")


class ServiceObject(models.TextChoices):
    """服务对象 (several per item)."""

    NATURAL_PERSON = "1", _("自然人")
    ENTERPRISE = "2", _("企业法人")
    PUBLIC_INSTITUTION = "3", _("事业法人")
    SOCIAL_ORGANISATION = "4", _("社会组织法人")
    NON_LEGAL_ENTERPRISE = "5", _("非法人企业")
    ADMINISTRATIVE_ORGAN = "6", _("行政机关")
    OTHER_ORGANISATION = "9", _("其他组织")


class Target(models.TextChoices):
    """The two groups the UI shows: 自然人 and 法人 (every other 服务对象)."""

    NATURAL = "natural", _("自然人")
    LEGAL = "legal", _("法人")


NATURAL_PERSON_OBJECTS = frozenset({ServiceObject.NATURAL_PERSON.value})
LEGAL_PERSON_OBJECTS = frozenset(set(ServiceObject.values) - NATURAL_PERSON_OBJECTS)


class HandleKind(models.TextChoices):
    """办件类型."""

    INSTANT = "1", _("即办件")
    PROMISED = "2", _("承诺件")


class HandlingForm(models.TextChoices):
    """办理形式 (several)."""

    WINDOW = "1", _("窗口办理")
    ONLINE = "2", _("网上办理")
    EXPRESS = "3", _("快递申请")


class OnlineDepth(models.TextChoices):
    """网上办理深度 (several)."""

    CONSULTATION = "1", _("互联网咨询")
    SUBMISSION = "2", _("互联网收件")
    PRE_REVIEW = "3", _("互联网预审")
    ACCEPTANCE = "4", _("互联网受理")
    HANDLING = "5", _("互联网办理")
    RESULT_FEEDBACK = "6", _("办理结果信息反馈")
    LICENCE_FEEDBACK = "7", _("电子证照反馈")


class UniversalScope(models.TextChoices):
    """通办范围."""

    NATIONWIDE = "1", _("全国")
    PROVINCE = "2", _("全省")
    CITY = "3", _("全市")
    DISTRICT = "4", _("全县（区）")
    TOWNSHIP = "5", _("全镇（街道）")
    CROSS_VILLAGE = "6", _("跨村（社区）")


class ItemStatus(models.TextChoices):
    """事项状态 — a field of the version; 暂停 stops new applications."""

    IN_USE = "1", _("在用")
    SUSPENDED = "2", _("暂停")
    CANCELLED = "3", _("取消")


class Necessity(models.TextChoices):
    """材料必要性; only 容缺后补 may be missing at a 容缺 acceptance."""

    REQUIRED = "1", _("必要")
    OPTIONAL = "2", _("非必要")
    TOLERATED = "3", _("容缺后补")


class MaterialSource(models.TextChoices):
    """来源渠道."""

    APPLICANT = "10", _("申请人自备")
    GOVERNMENT = "20", _("政府部门核发")
    INTERMEDIARY = "30", _("中介机构出具")
    OTHER = "99", _("其他")


class MaterialForm(models.TextChoices):
    """材料形式."""

    PAPER = "1", _("纸质")
    ELECTRONIC = "2", _("电子")
    PAPER_OR_ELECTRONIC = "3", _("纸质/电子")


class LimitUnit(models.TextChoices):
    """Unit of a time limit. Only working-day limits are compared or summed (design.md §4)."""

    WORKING_DAY = "working_day", _("工作日")
    NATURAL_DAY = "natural_day", _("自然日")
    HOUR = "hour", _("小时")
    MONTH = "month", _("个月")
    YEAR = "year", _("年")


def limit_length(number: int, unit: str) -> str:
    """“10工作日” / “10 working days”: a time limit's length in the active language, with plural forms."""
    try:
        count = int(number)  # a special step's duration may arrive as text from JSON
    except (TypeError, ValueError):
        count = 0
    forms = {
        LimitUnit.WORKING_DAY: ngettext("%(n)s工作日", "%(n)s工作日", count),
        LimitUnit.NATURAL_DAY: ngettext("%(n)s自然日", "%(n)s自然日", count),
        LimitUnit.HOUR: ngettext("%(n)s小时", "%(n)s小时", count),
        LimitUnit.MONTH: ngettext("%(n)s个月", "%(n)s个月", count),
        LimitUnit.YEAR: ngettext("%(n)s年", "%(n)s年", count),
    }
    text = forms.get(unit)
    if text is None:
        return f"{number}{unit}"
    return text % {"n": number}


class VersionState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待审核")
    PUBLISHED = "published", _("已发布")
    RETIRED = "retired", _("已停用")


class CertificateState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公布")
    RETIRED = "retired", _("已取消")


class ResultType(models.TextChoices):
    """审批结果类型 (source code lists differ, so stored in English)."""

    LICENCE = "licence", _("证照")
    APPROVAL = "approval", _("批文")
    OTHER = "other", _("其他")
    NONE = "none", _("无")


class FormFieldKind(models.TextChoices):
    """Kinds of the declarative form fields the applicant fills in (online and at the window)."""

    TEXT = "text", _("单行文本")
    TEXTAREA = "textarea", _("多行文本")
    NUMBER = "number", _("数字")
    DATE = "date", _("日期")
    CHOICE = "choice", _("选项")
    ID_CARD = "id_card", _("身份证号")
    USCC = "uscc", _("统一社会信用代码")
    MOBILE = "mobile", _("手机号码")
    ADDRESS = "address", _("地址")


class ThemeAudience(models.TextChoices):
    PERSON = "person", _("个人")
    LEGAL = "legal", _("法人")
