"""The HTTP floor: the trivial JSON endpoint /api/v1/ping/ through the whole stack (gunicorn, middleware)."""

from bench.harness import FLOOR_PATH, Context, HttpFigure, Report, benchmark
from bench.http import measure


@benchmark("floor", "HTTP 基线：/api/v1/ping/ 的吞吐量与延迟")
def run(ctx: Context) -> Report:
    report = Report()
    floor = ctx.floor()
    report.http(HttpFigure(f"GET {FLOOR_PATH} (the floor)", floor, floor))
    single = measure(ctx.url(FLOOR_PATH), duration=min(ctx.duration, 5), connections=1)
    report.figure("one connection: p50 latency", single.p50_ms, "ms", single.summary())
    report.figure("one connection: p99 latency", single.p99_ms, "ms")
    report.note(
        "Every other HTTP figure in this file is reported next to this floor, measured in its own run "
        "with the same tool and connection count."
    )
    return report
