"""Working-day arithmetic: deadlines per second in one process, next to bare date arithmetic as its floor."""

import datetime as dt
import time

from bench.harness import Context, Report, benchmark


@benchmark("workdays", "工作日计算：每秒可计算的期限数")
def run(ctx: Context) -> Report:
    import django

    django.setup()
    from bianmin.workdays.services import add, between

    today = dt.date.today()
    add(today, 1)  # loads the calendar once
    starts = [today + dt.timedelta(days=i % 500) for i in range(10_000)]
    began = time.perf_counter()
    for start in starts:
        between(start, add(start, 20))
    spent = time.perf_counter() - began
    began = time.perf_counter()
    for start in starts:
        dt.date.fromordinal(start.toordinal() + 20)
    floor = time.perf_counter() - began
    report = Report()
    report.figure("add + between per second", len(starts) / spent, "ops/s")
    report.figure("bare date arithmetic per second (floor)", len(starts) / floor, "ops/s")
    report.figure("1,000,000 deadlines would take", 1_000_000 * spent / len(starts), "s")
    return report
