"""The benchmark harness every benchmark plugs into.

A benchmark is a function in a module of bench/ (conventionally `bench_<topic>.py`) registered with `@benchmark`:

    from bench.harness import Context, Report, benchmark

    @benchmark("audit", "审计写入：每秒可记录的审计条目", default=True)
    def run(ctx: Context) -> Report:
        ctx.generate(people=10_000)                      # bench/generate.py, idempotent
        report = Report()
        report.figure("audit_record, 1 thread", 1234.5, "entries/s")   # a non-HTTP figure
        report.http(ctx.measure("/api/v1/audit/", headers=ctx.auth_headers("admin")))  # figure + floor
        report.note("…")
        return report

`python -m bench.run [names…]` (or `make bench`) sets up Django on a separate database (bench/out/), runs
the named benchmarks (all with default=True when none are named) and rewrites their sections of
bench/RESULTS.md. `Context.measure()` loads the given path with the same tool and settings as the floor
(/api/v1/ping/, measured once per run) and reports both and their ratio.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bench.http import Measurement, measure
from bench.server import BenchServer

FLOOR_PATH = "/api/v1/ping/"


def _number(value: float) -> str:
    """1,234 for large figures, three significant digits for small ones (0.0123, 4.56)."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


@dataclass
class Figure:
    label: str
    value: float
    unit: str
    detail: str = ""

    def markdown_row(self) -> str:
        return f"| {self.label} | {_number(self.value)} {self.unit} | {self.detail} |"


@dataclass
class HttpFigure:
    label: str
    measurement: Measurement
    floor: Measurement

    @property
    def ratio(self) -> float:
        return (
            self.measurement.requests_per_s / self.floor.requests_per_s if self.floor.requests_per_s else 0.0
        )

    def markdown_row(self) -> str:
        m = self.measurement
        return (
            f"| {self.label} | {m.requests_per_s:,.0f} | {m.p50_ms:.1f} | {m.p90_ms:.1f} | {m.p99_ms:.1f}"
            f" | {m.errors} | {self.floor.requests_per_s:,.0f} | {self.ratio:.2f} |"
        )


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    http_figures: list[HttpFigure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def figure(self, label: str, value: float, unit: str, detail: str = "") -> Figure:
        item = Figure(label, value, unit, detail)
        self.figures.append(item)
        return item

    def http(self, item: HttpFigure) -> HttpFigure:
        self.http_figures.append(item)
        return item

    def note(self, text: str) -> None:
        self.notes.append(text)

    def headline(self) -> str:
        """One line for the history table: the first figure of the run."""
        if self.http_figures:
            h = self.http_figures[0]
            return (
                f"{h.label}: {h.measurement.requests_per_s:,.0f} req/s, p99 {h.measurement.p99_ms:.1f} ms"
                f" (floor {h.floor.requests_per_s:,.0f}, ratio {h.ratio:.2f})"
            )
        if self.figures:
            f = self.figures[0]
            return f"{f.label}: {_number(f.value)} {f.unit}"
        return "no figures"

    def markdown(self) -> str:
        lines: list[str] = []
        if self.http_figures:
            lines += [
                "| measurement | req/s | p50 ms | p90 ms | p99 ms | errors | floor req/s | ratio to floor |",
                "|---|---:|---:|---:|---:|---:|---:|---:|",
                *(h.markdown_row() for h in self.http_figures),
                "",
            ]
            tools = {
                (h.measurement.tool, h.measurement.connections, round(h.measurement.duration_s))
                for h in self.http_figures
            }
            lines.append(
                "Load: "
                + "; ".join(f"{tool}, {conn} connections, {secs} s" for tool, conn, secs in sorted(tools))
                + " — on the same machine as the server (loopback)."
            )
            lines.append("")
        if self.figures:
            lines += [
                "| figure | value | detail |",
                "|---|---:|---|",
                *(f.markdown_row() for f in self.figures),
                "",
            ]
        for text in self.notes:
            lines.append(f"- {text}")
        if self.notes:
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"


@dataclass
class Benchmark:
    name: str
    title: str
    func: Callable[[Context], Report]
    default: bool = True


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, title: str, *, default: bool = True):
    """Register a benchmark. default=False: only runs when named (long or heavy benchmarks)."""

    def register(func: Callable[[Context], Report]) -> Callable[[Context], Report]:
        if name in REGISTRY and REGISTRY[name].func is not func:
            raise ValueError(f"benchmark {name!r} registered twice")
        REGISTRY[name] = Benchmark(name, title, func, default)
        return func

    return register


class Context:
    """What a benchmark gets: the server (started lazily, stopped by the runner), the floor, the loaders."""

    def __init__(self, *, env: dict[str, str], duration: float = 10, connections: int = 16, threads: int = 1):
        self.env = env
        self.duration = duration
        self.connections = connections
        self.threads = threads
        self._server: BenchServer | None = None
        self._floors: dict[tuple, Measurement] = {}

    # --- server -------------------------------------------------------------------------------------------
    @property
    def server(self) -> BenchServer:
        if self._server is None:
            self._server = BenchServer(env=self.env).start()
        return self._server

    def restart_server(self) -> BenchServer:
        """Restart gunicorn, e.g. after generating data that a preloaded process caches."""
        self.stop()
        self._floors.clear()
        return self.server

    def url(self, path: str) -> str:
        return self.server.url(path)

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    # --- data -----------------------------------------------------------------------------------------------
    def generate(self, **targets: int) -> dict[str, int]:
        """Make sure the benchmark database holds at least these volumes (see bench/generate.py)."""
        from bench.generate import ensure

        return ensure(**targets)

    def auth_headers(self, username: str) -> dict[str, str]:
        """`Authorization: Token …` for a user of the benchmark database (DRF token, created if missing)."""
        from django.contrib.auth import get_user_model
        from rest_framework.authtoken.models import Token

        user = get_user_model().objects.get(username=username)
        token, _ = Token.objects.get_or_create(user=user)
        return {"Authorization": f"Token {token.key}"}

    # --- load -----------------------------------------------------------------------------------------------
    def floor(self, *, duration: float | None = None, connections: int | None = None) -> Measurement:
        key = (duration or self.duration, connections or self.connections, self.threads)
        if key not in self._floors:
            self._floors[key] = measure(
                self.url(FLOOR_PATH), duration=key[0], connections=key[1], threads=self.threads
            )
        return self._floors[key]

    def measure(
        self,
        path: str,
        *,
        label: str | None = None,
        duration: float | None = None,
        connections: int | None = None,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        body: str | bytes | None = None,
        allow_errors: bool = False,
    ) -> HttpFigure:
        """Measure `path` and the floor in the same run with the same load; returns both and the ratio.

        Errors (non-2xx/3xx answers, timeouts) make the figure meaningless: they raise unless allowed."""
        duration = duration or self.duration
        connections = connections or self.connections
        floor = self.floor(duration=duration, connections=connections)
        result = measure(
            self.url(path),
            duration=duration,
            connections=connections,
            threads=self.threads,
            method=method,
            headers=headers,
            body=body,
        )
        if result.errors and not allow_errors:
            raise RuntimeError(f"{path}: {result.errors} errors under load {result.error_detail}")
        return HttpFigure(label or f"{method} {path}", result, floor)


def session_cookie(user) -> str:
    """A signed-in session for `user` (the Cookie header value), made directly in the session store."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b.lower())
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
