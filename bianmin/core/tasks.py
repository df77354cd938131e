"""Housekeeping of the database itself."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bianmin.core.dbstats import refresh_planner_statistics


@db_periodic_task(crontab(minute="17", hour="3"))
def refresh_planner_statistics_task() -> None:
    refresh_planner_statistics()
