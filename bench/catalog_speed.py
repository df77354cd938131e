"""Speed of the public catalog with 10,000 published items (5 materials each), over HTTP against gunicorn.

Runs on a database of its own (bench/out/catalog.sqlite3, or <DATABASE_URL>_catalog), generated once by
bench/catalog_generate.py in a child process and reused (a later run only tops it up), served by a gunicorn
of its own. Measured with the harness (bench/harness.py: gunicorn with config/gunicorn.conf.py, 2 sync workers, load
tool on the same machine) next to the /api/v1/ping/ floor of the same run:
- latency: one connection, so the median is the time one request takes (target ≤ 50 ms with SQLite);
- throughput: the harness's default connections, reported with its ratio to the floor.
Pages: a colloquial search, a search by name, browsing with a filter, an item's 办事指南 page, and the API.
The guide's article and the result cards are cached per published version (catalog.views_public): the
repeated-page rows show the cached path, and two more figures show first requests — 200 different item
guides and the ≥ 50 different questions of the relevance set, one request each — which the cache does not
help.

A re-run on the kept database takes about 3 minutes. The “server CPU per request” figures come from a child
process that calls the pages in-process (no HTTP): CPU time changes far less with the load of a shared
machine than latency does.

    .venv/bin/python -m bench.run catalog_speed        # writes its section of bench/RESULTS.md
    .venv/bin/python bench/catalog_speed.py            # prints the same report, RESULTS.md untouched
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":  # bench/http.py must not shadow the stdlib when run as a script
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
    sys.path.insert(0, str(ROOT))

from bench.harness import Context, Report  # noqa: E402

ITEMS = 10_000
TARGET_MS = 50.0


def pages(page_code: str) -> list[tuple[str, str]]:
    return [
        ("search “开饭店需要办什么证”", "/items/?q=" + quote("开饭店需要办什么证")),
        ("search “食品经营许可”", "/items/?q=" + quote("食品经营许可")),
        ("browse, filter 网上办 + 自然人", "/items/?online=1&target=natural"),
        ("item guide (5 materials)", f"/items/{page_code}/"),
        ("API search ?q=社保卡", "/api/v1/items/?q=" + quote("社保卡")),
    ]


def search_queries() -> list[str]:
    from bench.catalog_search_relevance import load_queries

    return [entry["q"] for entry in load_queries()]


def _sequential(ctx: Context, paths: list[str]) -> list[float]:
    """Milliseconds of each request, one after the other on one connection at a time (urllib)."""
    import urllib.request

    times = []
    for path in paths:
        start = time.perf_counter()
        with urllib.request.urlopen(ctx.url(path), timeout=60) as response:
            response.read()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def measure(ctx: Context, report: Report) -> Report:
    """Generate (or reuse) the catalog's own database in a child process, serve it with a gunicorn of its
    own (and its own floor), measure."""
    from bench.catalog_generate import catalog_environment, run_child

    data = run_child(["bench/catalog_generate.py", str(ITEMS)], name="catalog", tag="CATALOG-DATA")
    own = Context(
        env=catalog_environment("catalog"),
        duration=ctx.duration,
        connections=ctx.connections,
        threads=ctx.threads,
    )
    try:
        return _measure(own, report, data)
    finally:
        own.stop()


def _measure(ctx: Context, report: Report, data: dict) -> Report:
    import urllib.request

    database = "PostgreSQL" if ctx.env.get("DATABASE_URL") else "SQLite"
    where = ctx.env.get("DATABASE_URL", "").rpartition("/")[2] or "bench/out/catalog.sqlite3"
    report.figure(
        "published items",
        data["published"],
        "items",
        f"{data['items']:,} generated with 5 materials each; {database} {where} (the catalog's own database)",
    )
    targets = pages(data["page_code"])
    for _label, path in targets:  # warm every worker (connections, templates, dictionary, these pages)
        for _n in range(6):
            urllib.request.urlopen(ctx.url(path), timeout=60).read()
    slow = []
    floor_seq = _sequential(ctx, ["/api/v1/ping/"] * 200)
    cold_guides = _sequential(ctx, [f"/items/{code}/" for code in data["other_codes"]])
    queries = search_queries()
    cold_searches = _sequential(ctx, ["/items/?q=" + quote(q) for q in queries])
    for label, times, detail in (
        (
            "item guide, not cached: median latency",
            cold_guides,
            f"{len(cold_guides)} different items, one request each",
        ),
        (
            "search, different questions: median latency",
            cold_searches,
            f"the {len(queries)} questions of bench/data/search_queries.json, one request each",
        ),
        ("floor /api/v1/ping/, same loop: median latency", floor_seq, "200 requests"),
    ):
        median = statistics.median(times)
        report.figure(label, median, "ms", f"{detail}; urllib, one at a time; p90 {_p90(times):.1f} ms")
        if median > TARGET_MS:
            slow.append(label.split(":")[0])
    for label, path in targets:
        one = ctx.measure(path, label=f"{label} — 1 connection", connections=1, duration=min(ctx.duration, 5))
        report.http(one)
        report.figure(
            f"{label}: median latency", one.measurement.p50_ms, "ms", f"target ≤ {TARGET_MS:.0f} ms"
        )
        if one.measurement.p50_ms > TARGET_MS:
            slow.append(label)
        report.http(ctx.measure(path, label=f"{label} — {ctx.connections} connections"))
    floor = ctx.floor(connections=1, duration=min(ctx.duration, 5))
    report.figure("floor /api/v1/ping/: median latency", floor.p50_ms, "ms", "1 connection, same run")
    cpu_figures(report)
    report.note(
        "Median latency at one connection is the time a single request takes; at more connections the "
        "median includes queueing behind the 2 workers, so compare those rows by their ratio to the floor."
    )
    report.note(
        "The guide's article and the result cards are cached per gunicorn worker (LocMemCache; Redis when"
        " REDIS_URL is set), keyed by the published version, which never changes: the repeated-page rows"
        " measure that path, the two “different …” figures measure first requests."
    )
    report.note("Over the 50 ms target: " + ("; ".join(slow) if slow else "none."))
    return report


def cpu_child() -> None:
    """In a child on the catalog database: CPU time of each page in-process (Django's test client, no
    HTTP), which load on a shared machine changes far less than wall-clock latency. Prints CATALOG-CPU."""
    import json

    from bench.catalog_generate import sample_codes, setup_child

    setup_child("catalog")
    from django.core.cache import cache
    from django.test import Client

    from bianmin.catalog import search

    search.warm_up()
    client = Client(HTTP_HOST="127.0.0.1")
    middle, others = sample_codes()
    guides = [f"/items/{code}/" for code in others]
    questions = ["/items/?q=" + quote(q) for q in search_queries()]

    def cpu(paths: list[str]) -> list[float]:
        times = []
        for path in paths:
            start = time.process_time()
            response = client.get(path)
            times.append((time.process_time() - start) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: {response.status_code}")
        return times

    cpu(["/api/v1/ping/", f"/items/{middle}/", questions[0], "/items/?online=1&target=natural"] * 3)
    out = {"ping": cpu(["/api/v1/ping/"] * 200)}
    cache.clear()
    out["guide_cold"] = cpu(guides)
    out["guide_warm"] = cpu(guides)
    cache.clear()
    out["search_cold"] = cpu(questions)
    out["search_warm"] = cpu(questions)
    out["browse"] = cpu(["/items/?online=1&target=natural"] * 30)
    out["api_search"] = cpu(["/api/v1/items/?q=" + quote("社保卡")] * 30)
    print("CATALOG-CPU " + json.dumps(out))


CPU_FIGURES = (
    ("guide_cold", "item guide, not cached", "200 different items, empty cache"),
    ("guide_warm", "item guide, cached", "the same 200 items again"),
    ("search_cold", "search, different questions, empty cache", "the relevance questions"),
    ("search_warm", "search, the same questions again", "cards and sidebar cached, the search is not"),
    ("browse", "browse, filter 网上办 + 自然人", "30 requests"),
    ("api_search", "API search ?q=社保卡", "30 requests"),
    ("ping", "floor /api/v1/ping/", "200 requests"),
)


def cpu_figures(report: Report) -> None:
    from bench.catalog_generate import run_child

    data = run_child(["bench/catalog_speed.py", "--cpu"], name="catalog", tag="CATALOG-CPU")
    for key, label, detail in CPU_FIGURES:
        times = data[key]
        report.figure(
            f"server CPU per request: {label}",
            statistics.median(times),
            "ms",
            f"median, in-process (test client, no HTTP); {detail}; p90 {_p90(times):.1f} ms",
        )


def main() -> None:
    if "--cpu" in sys.argv:
        cpu_child()
        return
    from bench.server import bench_environment

    ctx = Context(env=bench_environment(), duration=float(os.environ.get("BENCH_DURATION", "8")))
    print(measure(ctx, Report()).markdown())


if __name__ == "__main__":
    main()
