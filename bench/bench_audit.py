"""Audit trail throughput: appends per second (one and several threads), SM2 checkpoint signing, verification.

Run alone:            .venv/bin/python bench/bench_audit.py [--entries 3000] [--threads 4]
Or with the harness:  .venv/bin/python -m bench.run audit
Alone it uses bench/out/bench_audit.sqlite3 (or DATABASE_URL when set); under the harness, the harness's
benchmark database. Never the development one. Entries are append-only, so every run adds to the trail;
verification is measured over the whole trail.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path, where bench/http.py would shadow the stdlib.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import Context, Report, benchmark  # noqa: E402

DEFAULT_ENTRIES = 3000
DEFAULT_THREADS = 4


def _append(count: int, *, tag: str, offset: int = 0) -> float:
    """Append `count` entries, each in its own transaction as a service would; returns seconds."""
    from django.db import connection, transaction

    from bianmin.audit.services import audit_record

    started = time.perf_counter()
    for n in range(count):
        with transaction.atomic():
            audit_record(
                actor=None,
                action="bench.audit_append",
                object_type="bench.object",
                object_id=f"{tag}-{offset + n}",
                object_repr=f"基准对象 {offset + n}",
                changes={
                    "status": ["accepted", "in_review"],
                    "n": offset + n,
                    "note": "联系电话 13912345678",
                },
            )
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def _floor(count: int) -> float:
    """Floor: one bare INSERT + COMMIT of a row of similar size into a scratch table; returns rows/s."""
    from django.db import connection, transaction

    body = "x" * 400
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_audit_floor")
        cursor.execute("CREATE TABLE bench_audit_floor (id integer PRIMARY KEY, body text)")
    try:
        started = time.perf_counter()
        for n in range(count):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("INSERT INTO bench_audit_floor (id, body) VALUES (%s, %s)", [n, body])
        return count / (time.perf_counter() - started)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_audit_floor")


def measure(report: Report, *, entries: int, threads: int) -> Report:
    from django.conf import settings
    from django.db import connection

    from bianmin.audit.models import AuditEntry
    from bianmin.audit.services import entry_payload, payload_mac, signing_key_active
    from bianmin.audit.verification import verify_audit
    from bianmin.documents import sm2

    vendor = connection.vendor
    tag = f"run{int(time.time())}"
    before = AuditEntry.objects.count()

    floor = _floor(entries)
    seconds = _append(entries, tag=tag + "-1t")
    report.figure(
        "audit_record, 1 thread",
        entries / seconds,
        "entries/s",
        f"{entries} entries, {vendor}; {entries / seconds / floor:.2f} of the floor",
    )
    report.figure("floor: bare INSERT + COMMIT, 1 thread", floor, "rows/s", f"{entries} rows, {vendor}")

    per_thread = max(1, entries // threads)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            _append(per_thread, tag=f"{tag}-{threads}t-{i}")
        except BaseException as exc:  # reported below; a failed thread must not hide in the figure
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - started
    if errors:
        report.note(f"{len(errors)} thread(s) failed: {errors[0]!r}")
    report.figure(
        f"audit_record, {threads} threads",
        per_thread * threads / seconds,
        "entries/s",
        f"{per_thread * threads} entries over {settings.AUDIT_PARTITIONS} partitions, {vendor}",
    )

    sample = AuditEntry.objects.order_by("-id").first()
    payload = entry_payload(sample)
    rounds = 20000
    started = time.perf_counter()
    for _ in range(rounds):
        payload_mac(payload)
    report.figure("HMAC-SM3 of one entry payload", rounds / (time.perf_counter() - started), "MACs/s")

    _key_row, private_key = signing_key_active()
    rounds = 1000
    started = time.perf_counter()
    for _ in range(rounds):
        sm2.sign(private_key, payload)
    report.figure("SM2 checkpoint signature", rounds / (time.perf_counter() - started), "signatures/s")

    result = verify_audit()
    report.figure(
        "verify_audit over the whole trail",
        result.entries / result.seconds if result.seconds else 0.0,
        "entries/s",
        f"{result.entries} entries, {result.checkpoints} checkpoints, {result.seconds:.2f} s, "
        f"{'OK' if result.ok else f'{len(result.problems)} problem(s)'}",
    )
    report.note(
        f"Trail grew from {before} to {AuditEntry.objects.count()} entries in this run; "
        f"checkpoint every {settings.AUDIT_CHECKPOINT_EVERY} entries per partition (signed inline)."
    )
    if not result.ok:
        report.note("verification problems: " + "; ".join(str(p) for p in result.problems[:5]))
    return report


@benchmark("audit", "审计写入与校验：每秒可记录、可校验的审计条目")
def run(ctx: Context) -> Report:
    return measure(Report(), entries=DEFAULT_ENTRIES, threads=DEFAULT_THREADS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=DEFAULT_ENTRIES)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    args = parser.parse_args(argv)

    from bench.server import OUT, bench_environment

    # Alone, the script keeps its appends out of the shared benchmark database.
    os.environ.update(bench_environment(OUT, sqlite_name="bench_audit.sqlite3"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    report = measure(Report(), entries=args.entries, threads=args.threads)
    print(report.markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
