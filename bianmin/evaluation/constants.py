from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy


class Level(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    FAIR = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)
SATISFIED_MIN = Level.FAIR  # 满意率 counts 基本满意 or better (design.md §7)


class Subject(models.TextChoices):
    CASE = "case", _("办件")
    WINDOW = "window", _("窗口服务")
    REQUEST = "request", pgettext_lazy("rated service", "诉求")


class ServiceMode(models.TextChoices):
    ONLINE = "online", _("网上办事")
    ON_SITE = "on_site", _("现场办事")


class Channel(models.TextChoices):
    PC = "pc", _("电脑端")
    MOBILE = "mobile", _("移动端")
    QR = "qr", _("二维码")
    HALL_TABLET = "hall_tablet", _("窗口评价器")
    HALL_TERMINAL = "hall_terminal", _("大厅自助终端")
    SMS = "sms", _("短信")
    DEFAULT = "default", _("默认评价")


class RectificationState(models.TextChoices):
    OPEN = "open", _("待核实")
    RESPONDED = "responded", _("已核实整改")
    DONE = "done", _("已办结")


class Outcome(models.TextChoices):
    RECTIFIED = "rectified", _("已整改")
    EXPLAINED = "explained", _("已解释说明")
    UNFOUNDED = "unfounded", _("经核实不属实")
    APPEAL_UPHELD = "appeal_upheld", _("申诉成立")


class AppealState(models.TextChoices):
    PENDING = "pending", _("待复核")
    UPHELD = "upheld", _("申诉成立")
    REJECTED = "rejected", _("申诉不成立")


# 测评内容 (national indicators of 国办发〔2019〕51号) offered as reason tags; settings.EVALUATION_TAGS overrides.
DEFAULT_TAGS = {
    ServiceMode.ONLINE: [
        gettext_noop("整体满意度"),
        gettext_noop("办事效率"),
        gettext_noop("办事指南精确度"),
        gettext_noop("办事便捷度"),
        gettext_noop("平台操作性"),
    ],
    ServiceMode.ON_SITE: [
        gettext_noop("整体满意度"),
        gettext_noop("服务效率"),
        gettext_noop("服务水平"),
        gettext_noop("服务态度"),
    ],
}
