"""Keep the daily case summary fresh (bianmin.kpi.summary): marked cells every minute, everything nightly, and
the first build when a read finds none (queued by summary.request_rebuild(), never run in the request)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from bianmin.core.schedule import local_crontab
from bianmin.kpi import summary

FIRST_BUILD_LOCK = "kpi-summary-first-build"


@db_task()
def build_case_summary() -> bool:
    """Build a summary that was never built; returns whether this task built it. Does nothing when it is
    built already or another worker is building it (a second request from another process)."""
    try:
        with HUEY.lock_task(FIRST_BUILD_LOCK):
            try:
                if summary.is_built():
                    return False
                summary.rebuild()
                return True
            finally:
                summary.release_rebuild_request()
    except TaskLockedException:
        return False  # the worker holding the lock builds it (and releases the request)


@db_periodic_task(crontab(minute="*"))
def refresh_case_summary() -> None:
    """Recompute the (department, day) cells that case transitions marked since the last refresh; build a
    summary never built (should the task a read queued have been lost)."""
    if not summary.is_built():
        build_case_summary.call_local()
        return
    summary.refresh()


@db_periodic_task(local_crontab(hour=2, minute=40))
def rebuild_case_summary() -> None:
    """Recompute every cell: picks up calendar changes and rows written outside the case services."""
    summary.rebuild()
