"""Housekeeping of the database itself."""

from __future__ import annotations

from huey.contrib.djhuey import db_periodic_task

from bianmin.core.dbstats import refresh_planner_statistics
from bianmin.core.schedule import local_crontab


@db_periodic_task(local_crontab(hour=3, minute=17))
def refresh_planner_statistics_task() -> None:
    refresh_planner_statistics()
