"""Run registered benchmarks and record their figures in bench/RESULTS.md.

    .venv/bin/python -m bench.run                 # every benchmark registered with default=True
    .venv/bin/python -m bench.run floor audit     # only these
    .venv/bin/python -m bench.run --list
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bianmin_bench .venv/bin/python -m bench.run floor

The benchmark database is a separate SQLite file, bench/out/bench.sqlite3 (or DATABASE_URL when set:
never point it at a database you care about — generators bulk-insert into it). Every loop is bounded;
all load goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import REGISTRY, Context, Report
from bench.server import OUT, ROOT, bench_environment

RESULTS = ROOT / "bench" / "RESULTS.md"
HISTORY_KEEP = 30
RESULTS_HEADER = """# Benchmark results

Written by `python -m bench.run` (bench/run.py, `make bench`). Each benchmark owns one section; a new run
rewrites its section and moves the previous headline into that section's history table. HTTP figures are
measured next to the floor (the trivial JSON endpoint `/api/v1/ping/`) in the same run, with the same load
tool and connections, on the same machine as the server (loopback, gunicorn with config/gunicorn.conf.py:
2 sync workers): compare ratios across machines, not raw requests/s.
"""


HARNESS_MODULES = {"__init__", "run", "harness", "http", "server", "generate"}


def load_benchmarks() -> None:
    """Import every module of bench/ that is not harness or generator code; @benchmark registers them."""
    for path in sorted((ROOT / "bench").glob("*.py")):
        if path.stem not in HARNESS_MODULES and not path.stem.startswith("gen_"):
            importlib.import_module(f"bench.{path.stem}")


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
        ).stdout.strip()
    except OSError:
        return ""


def machine_info() -> dict[str, str]:
    import sqlite3

    import django
    from django.db import connection

    cpuinfo = _read("/proc/cpuinfo")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    meminfo = re.search(r"^MemTotal:\s*(\d+) kB", _read("/proc/meminfo"), re.M)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version
        database = f"PostgreSQL {version // 10000}.{version % 10000} ({connection.settings_dict['NAME']})"
    else:
        name = Path(connection.settings_dict["NAME"])
        shown = name.relative_to(ROOT) if name.is_relative_to(ROOT) else name
        database = f"SQLite {sqlite3.sqlite_version} ({shown})"
    wrk = ""
    try:
        wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=5).stdout.split("\n")[0]
    except OSError:
        wrk = "wrk not installed (Python load generator)"
    os_name = re.search(r'^PRETTY_NAME="?([^"\n]+)', _read("/etc/os-release"), re.M)
    return {
        "cpu": model.group(1).strip() if model else platform.processor() or "unknown",
        "cores": str(cores),
        "memory": f"{int(meminfo.group(1)) / 1024 / 1024:.1f} GiB" if meminfo else "unknown",
        "os": os_name.group(1) if os_name else platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "database": database,
        "load tool": wrk.split(" [")[0] if wrk else "unknown",
        "load average before": " ".join(_read("/proc/loadavg").split()[:3]) or "unknown",
    }


def command_line(argv: list[str]) -> str:
    python = Path(sys.executable)
    shown = python.relative_to(ROOT) if python.is_relative_to(ROOT) else python
    prefix = ""
    if os.environ.get("DATABASE_URL"):
        prefix = (
            "DATABASE_URL=" + re.sub(r"//([^:@/]+):[^@/]+@", r"//\1:***@", os.environ["DATABASE_URL"]) + " "
        )
    return f"{prefix}{shown} -m bench.run {' '.join(shlex.quote(a) for a in argv)}".rstrip()


def render_section(
    *,
    name: str,
    title: str,
    report: Report,
    machine: dict,
    command: str,
    when: str,
    commit: str,
    seconds: float,
    history: list[str],
) -> str:
    machine_line = " · ".join(f"{k} {v}" for k, v in machine.items())
    db_kind = machine["database"].split(" ")[0]
    headline = f"| {when} | {commit} | {db_kind} | {report.headline()} |"
    parts = [
        f"<!-- bench:{name}:begin -->",
        f"## {name} — {title}",
        "",
        f"Latest run: {when} · commit {commit} · {seconds:.0f} s  ",
        f"Command: `{command}`  ",
        f"Machine: {machine_line}",
        "",
        report.markdown().rstrip(),
        "",
        f"<!-- headline: {headline} -->",
        "",
        "History (earlier runs of this benchmark, newest first):",
        "<!-- history -->",
        "",
        "| date | commit | database | headline |",
        "|---|---|---|---|",
        *(history[:HISTORY_KEEP] or ["| — | — | — | no earlier run |"]),
        f"<!-- bench:{name}:end -->",
    ]
    return "\n".join(parts) + "\n"


SECTION_RE = r"<!-- bench:{name}:begin -->\n.*?<!-- bench:{name}:end -->\n?"


def previous_history(text: str, name: str) -> list[str]:
    match = re.search(SECTION_RE.format(name=re.escape(name)), text, re.S)
    if not match:
        return []
    section = match.group(0)
    rows: list[str] = []
    headline = re.search(r"<!-- headline: (\|.*\|) -->", section)
    if headline:
        rows.append(headline.group(1))
    _, _, tail = section.partition("<!-- history -->")
    for line in tail.splitlines():
        if re.match(r"^\| \d{4}-\d\d-\d\d", line):
            rows.append(line)
    return rows


def write_results(path: Path, name: str, section: str) -> None:
    text = path.read_text() if path.exists() else RESULTS_HEADER
    pattern = SECTION_RE.format(name=re.escape(name))
    if re.search(pattern, text, re.S):
        text = re.sub(pattern, lambda _m: section, text, count=1, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


def prepare_django(env: dict[str, str], *, static: bool = True) -> None:
    """Point Django at the benchmark database, migrate it, and collect static files for the server."""
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    if static and static_outdated():
        call_command("collectstatic", interactive=False, verbosity=0)


def static_outdated() -> bool:
    """collectstatic (whitenoise compresses every file, ≈1 min) only when a static source changed."""
    from django.conf import settings

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [ROOT / ".venv" / ".installed", *ROOT.glob("bianmin/**/static/**/*")]
    return any(p.is_file() and p.stat().st_mtime > built for p in sources)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all with default=True)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per HTTP measurement (≤ 120)")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections (wrk -c)")
    parser.add_argument("--threads", type=int, default=1, help="load generator threads (wrk -t)")
    parser.add_argument("--list", action="store_true", help="list the registered benchmarks")
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="file to write (default bench/RESULTS.md)"
    )
    parser.add_argument("--no-write", action="store_true", help="print the sections, leave RESULTS.md alone")
    args = parser.parse_args(argv)

    load_benchmarks()
    if args.list:
        for bench in REGISTRY.values():
            print(f"{bench.name:<16} {'default' if bench.default else 'on demand':<10} {bench.title}")
        return 0
    unknown = [n for n in args.names if n not in REGISTRY]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    selected = [REGISTRY[n] for n in args.names] or [b for b in REGISTRY.values() if b.default]

    env = bench_environment(OUT)
    prepare_django(env)
    machine = machine_info()
    command = command_line(argv)
    commit = _git("rev-parse", "--short", "HEAD") + (
        "+dirty" if _git("status", "--porcelain", "--", "bianmin", "config") else ""
    )
    ctx = Context(env=env, duration=args.duration, connections=args.connections, threads=args.threads)
    try:
        for bench in selected:
            print(f"== {bench.name}: {bench.title}", flush=True)
            started = time.monotonic()
            load_before = os.getloadavg()[0]
            report = bench.func(ctx)
            busy = max(load_before, os.getloadavg()[0])
            if busy > (os.cpu_count() or 1) * 0.5:
                report.note(
                    f"The machine was busy with other work (load average {busy:.1f} on {os.cpu_count()} cores):"
                    " absolute figures are depressed; the ratios to the floor, measured under the same"
                    " conditions, are the comparable part. Re-run on an idle machine for absolute figures."
                )
            seconds = time.monotonic() - started
            when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            text = args.results.read_text() if args.results.exists() else ""
            section = render_section(
                name=bench.name,
                title=bench.title,
                report=report,
                machine=machine,
                command=command,
                when=when,
                commit=commit or "unknown",
                seconds=seconds,
                history=previous_history(text, bench.name),
            )
            print(report.markdown())
            if not args.no_write:
                write_results(args.results, bench.name, section)
    finally:
        ctx.stop()
    if not args.no_write:
        print(
            f"written: {args.results.relative_to(ROOT) if args.results.is_relative_to(ROOT) else args.results}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
