"""HTTP load measurement: `wrk` when installed, otherwise a bounded Python load generator with threads.

`measure(url, duration, connections)` returns a Measurement (requests/s, latency percentiles, errors).
Benchmarks do not call it directly for their figures: `Context.measure()` (bench/harness.py) measures the
figure and the floor (/api/v1/ping/) in the same run and reports the ratio.
Loopback only: a non-loopback URL is refused.
"""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

WRK = shutil.which("wrk")
MAX_DURATION = 120  # seconds; every loop is bounded
MAX_CONNECTIONS = 256
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}

# wrk's done() hook prints one JSON line we can parse (latencies in microseconds).
_WRK_SCRIPT = """
{setup}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {{"requests":%d,"duration_us":%d,"bytes":%d,'
    .. '"errors":{{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}},'
    .. '"latency_us":{{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"mean":%.1f,"max":%d}}}}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.mean, latency.max))
end
"""


@dataclass
class Measurement:
    url: str
    tool: str
    duration_s: float
    connections: int
    requests: int
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    error_detail: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"{self.requests_per_s:,.0f} req/s, p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms"
            f" ({self.tool}, {self.connections} conn, {self.duration_s:.0f} s, {self.errors} errors)"
        )


def _check(url: str, duration: float, connections: int) -> None:
    host = urlsplit(url).hostname
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"benchmarks load loopback addresses only, not {host!r}")
    if not 0 < duration <= MAX_DURATION:
        raise ValueError(f"duration must be in (0, {MAX_DURATION}] seconds")
    if not 0 < connections <= MAX_CONNECTIONS:
        raise ValueError(f"connections must be in (0, {MAX_CONNECTIONS}]")


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for our inputs


def measure(
    url: str,
    duration: float = 10,
    connections: int = 16,
    *,
    threads: int = 1,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: str | bytes | None = None,
    tool: str | None = None,
) -> Measurement:
    """Load `url` for `duration` seconds over `connections` keep-alive connections and measure it."""
    _check(url, duration, connections)
    tool = tool or ("wrk" if WRK else "python")
    if tool == "wrk":
        if not WRK:
            raise RuntimeError("wrk is not installed (Debian package wrk)")
        return _measure_wrk(url, duration, connections, threads, method, headers or {}, body)
    return _measure_python(url, duration, connections, method, headers or {}, body)


def _measure_wrk(url, duration, connections, threads, method, headers, body) -> Measurement:
    setup = [f"wrk.method = {_lua_string(method)}"]
    if body is not None:
        text = body.decode() if isinstance(body, bytes) else body
        setup.append(f"wrk.body = {_lua_string(text)}")
    for name, value in headers.items():
        setup.append(f"wrk.headers[{_lua_string(name)}] = {_lua_string(value)}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT.format(setup="\n".join(setup)))
    try:
        cmd = [
            WRK,
            f"-t{max(1, min(threads, connections))}",
            f"-c{connections}",
            f"-d{int(round(duration))}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            url,
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=False)
    finally:
        Path(script.name).unlink(missing_ok=True)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stdout[-2000:]} {proc.stderr[-2000:]}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = data["duration_us"] / 1e6
    lat = data["latency_us"]
    errors = data["errors"]
    return Measurement(
        url=url,
        tool="wrk",
        duration_s=seconds,
        connections=connections,
        requests=data["requests"],
        requests_per_s=data["requests"] / seconds if seconds else 0.0,
        p50_ms=lat["p50"] / 1000,
        p90_ms=lat["p90"] / 1000,
        p99_ms=lat["p99"] / 1000,
        max_ms=lat["max"] / 1000,
        errors=sum(errors.values()),
        error_detail={k: v for k, v in errors.items() if v},
    )


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * (len(sorted_values) - 1))))
    return sorted_values[index]


def _measure_python(url, duration, connections, method, headers, body) -> Measurement:
    """A keep-alive load generator with one thread per connection (slower than wrk: the GIL is shared)."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    payload = body.encode() if isinstance(body, str) else body
    latencies: list[list[float]] = [[] for _ in range(connections)]
    failures = [0] * connections
    start_gate = threading.Event()
    deadline_box: list[float] = []

    def worker(slot: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=10)
        start_gate.wait()
        deadline = deadline_box[0]
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=payload, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    failures[slot] += 1
                latencies[slot].append(time.perf_counter() - t0)
            except (OSError, http.client.HTTPException):
                failures[slot] += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=10)
        conn.close()

    workers = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for thread in workers:
        thread.start()
    began = time.perf_counter()
    deadline_box.append(began + duration)
    start_gate.set()
    for thread in workers:
        thread.join(timeout=duration + 30)
    elapsed = time.perf_counter() - began
    flat = sorted(x for per in latencies for x in per)
    return Measurement(
        url=url,
        tool="python",
        duration_s=elapsed,
        connections=connections,
        requests=len(flat),
        requests_per_s=len(flat) / elapsed if elapsed else 0.0,
        p50_ms=_percentile(flat, 50) * 1000,
        p90_ms=_percentile(flat, 90) * 1000,
        p99_ms=_percentile(flat, 99) * 1000,
        max_ms=(flat[-1] * 1000) if flat else 0.0,
        errors=sum(failures),
        error_detail={"failed": sum(failures)} if sum(failures) else {},
    )
