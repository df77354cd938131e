"""Periodic expiry of licences (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bianmin.licences import services


@db_periodic_task(crontab(minute="10", hour="0"))
def expire_licences() -> int:
    return services.licence_expire_due()
