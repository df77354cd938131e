"""Concurrent appends: each partition's chain stays gapless and verifiable; partitions do not block each other."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction

from bianmin.audit.models import AuditEntry
from bianmin.audit.services import audit_record, partition_for
from bianmin.audit.verification import verify_audit


def _object_in(partition: int, start: int) -> str:
    n = start
    while partition_for("bench.object", str(n)) != partition:
        n += 1
    return str(n)


def _append(**kwargs) -> None:
    """One append in its own transaction. The SQLite test database is in-memory with a shared cache, where
    a writer that finds the database busy gets "table is locked" at once instead of waiting: retry then."""
    for _attempt in range(500):
        try:
            with transaction.atomic():
                audit_record(actor=None, **kwargs)
            return
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.02)
    raise AssertionError("database stayed locked")


def _run_threads(target, count: int) -> list[BaseException]:
    errors: list[BaseException] = []

    def wrapped(i):
        try:
            target(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_appends_keep_every_chain_gapless():
    per_thread = 15

    def append(i):
        for n in range(per_thread):
            partition = (i + n) % 2
            _append(
                action="test.concurrent",
                object_type="bench.object",
                object_id=_object_in(partition, 1000 * i + n * 10),
                changes={"thread": i, "n": n},
            )

    errors = _run_threads(append, 4)
    assert errors == []
    assert AuditEntry.objects.count() == 4 * per_thread
    for partition in (0, 1):
        seqs = list(
            AuditEntry.objects.filter(partition=partition).order_by("seq").values_list("seq", flat=True)
        )
        assert seqs == list(range(1, len(seqs) + 1))
    assert verify_audit().ok


@pytest.mark.parametrize("same_partition", [False, True])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_held_partition_does_not_block_other_writers(same_partition):
    """While one transaction holds partition 0's head, another append commits without waiting: into its own
    partition, or into a free one when it preferred the held partition too (PostgreSQL, SKIP LOCKED).
    On SQLite the whole database serialises writers, so there the second append waits instead."""
    audit_record(actor=None, action="test.setup", object_type="bench.object", object_id=_object_in(0, 0))
    audit_record(actor=None, action="test.setup", object_type="bench.object", object_id=_object_in(1, 0))
    target = 0 if same_partition else 1
    holding = threading.Event()
    release = threading.Event()
    finished: dict[str, float] = {}

    def holder(_):
        with transaction.atomic():
            audit_record(
                actor=None, action="test.hold", object_type="bench.object", object_id=_object_in(0, 50)
            )
            holding.set()
            release.wait(timeout=10)

    def other(_):
        holding.wait(timeout=10)
        _append(action="test.other", object_type="bench.object", object_id=_object_in(target, 60))
        finished["other"] = time.monotonic()

    def releaser(_):
        holding.wait(timeout=10)
        time.sleep(0.5)
        finished["released"] = time.monotonic()
        release.set()

    errors = _run_threads(lambda i: (holder, other, releaser)[i](i), 3)
    assert errors == []
    other_entry = AuditEntry.objects.get(action="test.other")
    if connection.vendor == "postgresql":
        assert finished["other"] < finished["released"]  # did not wait for partition 0
        assert other_entry.partition != 0
    else:
        assert finished["other"] >= finished["released"]
        assert other_entry.partition == target
    assert verify_audit().ok
    assert AuditEntry.objects.count() == 4
