"""Keep the district dashboard's cached figures fresh (settings.KPI_CACHE_SECONDS bounds their age)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bianmin.kpi import selectors


def refresh_district_dashboard() -> None:
    period = selectors.parse_period("")
    selectors.figure_values(period=period, refresh=True)


@db_periodic_task(crontab(minute="*/5"))
def refresh_district_dashboard_task() -> None:
    refresh_district_dashboard()
