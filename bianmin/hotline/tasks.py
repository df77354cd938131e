"""Periodic escalation of overdue requests to the supervisors (every working morning)."""

from huey.contrib.djhuey import db_periodic_task

from bianmin.core.schedule import in_site_language, local_crontab


@db_periodic_task(local_crontab(hour=8, minute=15))
@in_site_language
def escalate_overdue_requests() -> int:
    from bianmin.hotline.services import request_escalate_overdue

    return request_escalate_overdue()
