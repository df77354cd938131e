"""Periodic escalation of overdue requests to the supervisors (every working morning)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="15", hour="8"))
def escalate_overdue_requests() -> int:
    from bianmin.hotline.services import request_escalate_overdue

    return request_escalate_overdue()
