"""Start gunicorn exactly as `make run` does (config/gunicorn.conf.py: 2 sync workers, preload) on a free
loopback port against a benchmark database, wait until /api/v1/ping/ answers, stop it afterwards.

    with BenchServer(env=bench_environment(out_dir)) as server:
        measure(server.url("/api/v1/ping/"))
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "bench" / "out")  # BENCH_OUT: another scratch folder
GUNICORN_CONFIG = ROOT / "config" / "gunicorn.conf.py"
READY_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_environment(out_dir: Path = OUT, *, sqlite_name: str = "bench.sqlite3") -> dict[str, str]:
    """Environment for the benchmark process and its server: a separate SQLite file (unless DATABASE_URL
    is set), its own var folder (huey queue, media, static files), production-like DEBUG off."""
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "BIANMIN_VAR_DIR": str(out_dir / "var"),
        "BIANMIN_SQLITE_PATH": str(out_dir / sqlite_name),
        "LOG_LEVEL": "WARNING",
    }
    return env


class BenchServer:
    def __init__(self, *, env: dict[str, str] | None = None, port: int | None = None, workers: int = 2):
        self.port = port or free_port()
        self.workers = workers
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen | None = None
        self.log_path = OUT / f"gunicorn-{self.port}.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> BenchServer:
        OUT.mkdir(parents=True, exist_ok=True)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        cmd = [
            str(gunicorn),
            "-c",
            str(GUNICORN_CONFIG),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "config.wsgi:application",
        ]
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}); see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url("/api/v1/ping/"), timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn not ready after {READY_TIMEOUT:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own session: only our gunicorn
            self.process.wait(timeout=10)

    def __enter__(self) -> BenchServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
