from django.db import models
from django.utils.translation import gettext_lazy as _

# Lead units file a report every quarter; a quarter's report is due this many days after it ends.
REPORT_GRACE_DAYS = 10


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    MISSED = "missed", _("逾期未完成")
