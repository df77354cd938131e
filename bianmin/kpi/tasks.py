"""Keep the daily case summary fresh (bianmin.kpi.summary): marked cells every minute, everything nightly."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bianmin.core.schedule import local_crontab
from bianmin.kpi import summary


@db_periodic_task(crontab(minute="*"))
def refresh_case_summary() -> None:
    """Recompute the (department, day) cells that case transitions marked since the last refresh."""
    summary.refresh()


@db_periodic_task(local_crontab(hour=2, minute=40))
def rebuild_case_summary() -> None:
    """Recompute every cell: picks up calendar changes and rows written outside the case services."""
    summary.rebuild()
