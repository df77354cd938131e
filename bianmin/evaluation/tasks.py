from huey.contrib.djhuey import db_periodic_task

from bianmin.core.schedule import in_site_language, local_crontab


@db_periodic_task(local_crontab(hour=8, minute=35))
@in_site_language
def flag_overdue_rectifications() -> int:
    from bianmin.evaluation.services import rectification_flag_overdue

    return rectification_flag_overdue()
