"""Speed of the public catalog with 10,000 published items (5 materials each), over HTTP against gunicorn.

Measured with the harness (bench/harness.py: gunicorn with config/gunicorn.conf.py, 2 sync workers, load
tool on the same machine) next to the /api/v1/ping/ floor of the same run:
- latency: one connection, so the median is the time one request takes (target ≤ 50 ms with SQLite);
- throughput: the harness's default connections, reported with its ratio to the floor.
Pages: a colloquial search, a search by name, browsing with a filter, an item's 办事指南 page, and the API.

    .venv/bin/python -m bench.run catalog_speed        # writes its section of bench/RESULTS.md
    .venv/bin/python bench/catalog_speed.py            # prints the same report, RESULTS.md untouched
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":  # bench/http.py must not shadow the stdlib when run as a script
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
    sys.path.insert(0, str(ROOT))

from bench.harness import Context, Report  # noqa: E402

ITEMS = 10_000
TARGET_MS = 50.0


def pages() -> list[tuple[str, str]]:
    from bench.catalog_generate import PREFIX
    from bianmin.catalog.models import ServiceItem

    item = ServiceItem.objects.filter(catalog_code__startswith=PREFIX).order_by("pk")[ITEMS // 2]
    return [
        ("search “开饭店需要办什么证”", "/items/?q=" + quote("开饭店需要办什么证")),
        ("search “食品经营许可”", "/items/?q=" + quote("食品经营许可")),
        ("browse, filter 网上办 + 自然人", "/items/?online=1&target=natural"),
        ("item guide (5 materials)", f"/items/{item.code}/"),
        ("API search ?q=社保卡", "/api/v1/items/?q=" + quote("社保卡")),
    ]


def measure(ctx: Context, report: Report) -> Report:
    from bench import catalog_generate  # noqa: F401  (registers the catalog_items generator)

    counts = ctx.generate(catalog_items=ITEMS)
    ctx.restart_server()
    report.figure("published items", counts["catalog_items"], "items", "generated, 5 materials each")
    import urllib.request

    slow = []
    targets = pages()
    for _label, path in targets:  # warm every worker (connections, template and dictionary caches)
        for _n in range(6):
            urllib.request.urlopen(ctx.url(path), timeout=60).read()
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
    report.note(
        "Median latency at one connection is the time a single request takes; at more connections the "
        "median includes queueing behind the 2 workers, so compare those rows by their ratio to the floor."
    )
    report.note("Over the 50 ms target: " + (", ".join(slow) if slow else "none."))
    return report


def main() -> None:
    from bench.server import bench_environment

    env = bench_environment()
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    ctx = Context(env=env, duration=float(os.environ.get("BENCH_DURATION", "8")))
    try:
        print(measure(ctx, Report()).markdown())
    finally:
        ctx.stop()


if __name__ == "__main__":
    main()
