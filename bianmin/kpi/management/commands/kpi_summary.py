"""manage.py kpi_summary [--rebuild]: refresh (or fully rebuild) the daily case summary of the KPI dashboard."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from bianmin.kpi import summary
from bianmin.kpi.models import CaseDaySummary, SummaryDirtyDay


class Command(BaseCommand):
    help = "刷新效能监督的办件日汇总（--rebuild：按全部办件全量重建）。"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="recompute every (department, day) cell")

    def handle(self, *args, rebuild: bool = False, **options):
        started = time.perf_counter()
        if rebuild:
            rows = summary.rebuild()
            what = f"rebuilt: {rows} cells"
        else:
            marks = summary.refresh()
            what = f"refreshed: {marks} marks cleared"
        self.stdout.write(
            f"kpi summary {what} in {time.perf_counter() - started:.1f} s; "
            f"{CaseDaySummary.objects.count()} cells, {SummaryDirtyDay.objects.count()} marks pending, "
            f"as of {summary.as_of():%Y-%m-%d %H:%M:%S %Z}"
        )
