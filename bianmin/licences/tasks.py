"""Periodic expiry of licences (huey)."""

from huey.contrib.djhuey import db_periodic_task

from bianmin.core.schedule import local_crontab
from bianmin.licences import services


@db_periodic_task(local_crontab(hour=0, minute=10))
def expire_licences() -> int:
    return services.licence_expire_due()
