from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    CASE = "case", _("办件")
    REQUEST = "request", _("诉求")
    EVALUATION = "evaluation", _("评价")
    APPOINTMENT = "appointment", _("预约")
    SYSTEM = "system", _("系统")


SMS_PREFIX = _("【龙湖政务】")

# What still goes by SMS to someone who declined SMS (shown on the preferences page and in the API);
# the case steps themselves are listed in bianmin.cases.notify.MANDATORY.
MANDATORY_NOTICES = (
    _("受理或不予受理"),
    _("补正、补充材料"),
    _("特别程序、延期"),
    _("审批决定、结果送达"),
    _("办件作废"),
)
