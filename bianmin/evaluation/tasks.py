from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="30", hour="8"))
def flag_overdue_rectifications() -> int:
    from bianmin.evaluation.services import rectification_flag_overdue

    return rectification_flag_overdue()
