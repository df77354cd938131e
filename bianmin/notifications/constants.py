from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    CASE = "case", _("办件")
    REQUEST = "request", _("诉求")
    EVALUATION = "evaluation", _("评价")
    APPOINTMENT = "appointment", _("预约")
    SYSTEM = "system", _("系统")


SMS_PREFIX = _("【龙湖政务】")
