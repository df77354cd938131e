"""Catalog benchmarks registered with the harness: search relevance and page speed at 10,000 items."""

from bench.catalog_search_relevance import report_into, run_in_child
from bench.catalog_speed import measure
from bench.harness import Context, Report, benchmark


@benchmark("catalog_relevance", "事项搜索相关性：75 条群众常用问法的 top-1 / top-3 / MRR")
def relevance(ctx: Context) -> Report:
    report = Report()
    report_into(report, run_in_child())
    report.note(
        "Run on the demo district only (bench/out/catalog_demo.sqlite3, or <DATABASE_URL>_catalog_demo),"
        " in a child process: the generated items of the shared benchmark database would drown it."
    )
    return report


@benchmark("catalog_speed", "事项目录速度：1 万个已发布事项时的搜索与办事指南页", default=False)
def speed(ctx: Context) -> Report:
    return measure(ctx, Report())
