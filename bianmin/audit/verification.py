"""Verification of the audit chain: finds the first altered, inserted or deleted entry of each partition.

Streams entries in seq order (values() + iterator, so memory stays flat), recomputes each HMAC-SM3,
checks the link to the previous entry, then compares the end of the chain with the partition's head row
and its SM2-signed checkpoints. A deleted tail leaves a head or a checkpoint pointing past the last entry.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable

from bianmin.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry, SigningKey
from bianmin.audit.services import GENESIS_MAC, MAC_FIELDS, canonical_payload, checkpoint_payload, payload_mac
from bianmin.documents import sm2

CHUNK_SIZE = 2000


@dataclasses.dataclass(frozen=True)
class Problem:
    partition: int
    seq: int | None
    kind: str  # missing | inserted | altered | truncated | checkpoint_invalid | head_mismatch
    detail: str

    def __str__(self) -> str:
        where = f"seq {self.seq}" if self.seq is not None else "-"
        return f"partition {self.partition} {where}: {self.kind}: {self.detail}"


@dataclasses.dataclass
class Report:
    problems: list[Problem] = dataclasses.field(default_factory=list)
    partitions: dict[int, int] = dataclasses.field(default_factory=dict)  # partition -> entries checked
    checkpoints: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def entries(self) -> int:
        return sum(self.partitions.values())


class _KeyRing:
    """Public keys by fingerprint, retired ones included (rotation keeps old checkpoints verifiable)."""

    def __init__(self) -> None:
        self._keys = {fp: pem for fp, pem in SigningKey.objects.values_list("fingerprint", "public_key_pem")}

    def verify(self, checkpoint: AuditCheckpoint) -> str:
        pem = self._keys.get(checkpoint.key_fingerprint)
        if pem is None:
            return f"signed by an unknown key {checkpoint.key_fingerprint[:16]}"
        payload = checkpoint_payload(
            partition=checkpoint.partition,
            seq=checkpoint.seq,
            mac=checkpoint.mac,
            created_at=checkpoint.created_at,
            key_fingerprint=checkpoint.key_fingerprint,
        )
        try:
            signature = bytes.fromhex(checkpoint.signature)
        except ValueError:
            return "signature is not hex"
        if not sm2.is_valid(sm2.load_public_key_pem(pem), signature, payload):
            return "SM2 signature does not verify"
        return ""


def all_partitions() -> list[int]:
    found = set(AuditChainHead.objects.values_list("partition", flat=True))
    found.update(AuditCheckpoint.objects.values_list("partition", flat=True).distinct())
    found.update(AuditEntry.objects.values_list("partition", flat=True).distinct().order_by())
    return sorted(found)


def verify_partition(
    partition: int,
    *,
    keyring: _KeyRing | None = None,
    chunk_size: int = CHUNK_SIZE,
    report: Report | None = None,
) -> Problem | None:
    """The first problem of one partition, or None when its chain, head and checkpoints agree."""
    keyring = keyring or _KeyRing()
    head = AuditChainHead.objects.filter(partition=partition).first()
    checkpoints = list(AuditCheckpoint.objects.filter(partition=partition).order_by("seq"))
    if report is not None:
        report.checkpoints += len(checkpoints)
    for checkpoint in checkpoints:  # a forged or corrupted checkpoint proves nothing: say so first
        reason = keyring.verify(checkpoint)
        if reason:
            return Problem(partition, checkpoint.seq, "checkpoint_invalid", f"checkpoint {reason}")
    by_seq = {c.seq: c for c in checkpoints}

    rows = (
        AuditEntry.objects.filter(partition=partition)
        .order_by("seq")
        .values("id", "mac", *MAC_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    expected, prev_mac, checked = 1, GENESIS_MAC, 0
    problem = None
    for row in rows:
        seq = row["seq"]
        if seq != expected:
            problem = Problem(
                partition,
                expected,
                "missing",
                f"entry {expected} is missing (deleted); the next entry is {seq}",
            )
            break
        if row["prev_mac"] != prev_mac:
            problem = Problem(
                partition,
                seq,
                "inserted",
                "link to the previous entry is broken (entry inserted or replaced)",
            )
            break
        if payload_mac(canonical_payload(row)) != row["mac"]:
            problem = Problem(
                partition, seq, "altered", "content does not match its HMAC-SM3 (altered or forged)"
            )
            break
        checkpoint = by_seq.get(seq)
        if checkpoint is not None and checkpoint.mac != row["mac"]:
            problem = Problem(
                partition, seq, "altered", "entry differs from the one its signed checkpoint names"
            )
            break
        prev_mac, expected, checked = row["mac"], expected + 1, checked + 1
    if report is not None:
        report.partitions[partition] = checked
    if problem is not None:
        return problem

    last = expected - 1
    beyond = [c for c in checkpoints if c.seq > last]
    if beyond:
        return Problem(
            partition,
            last + 1,
            "truncated",
            f"entries end at {last} but a signed checkpoint covers up to {beyond[-1].seq} (tail deleted)",
        )
    if head is None:
        if last:
            return Problem(partition, None, "head_mismatch", "entries exist but the chain head is missing")
        return None
    if head.seq > last:
        return Problem(
            partition,
            last + 1,
            "truncated",
            f"entries end at {last} but the chain head is at {head.seq} (tail deleted)",
        )
    if head.seq < last:
        return Problem(
            partition,
            head.seq + 1,
            "inserted",
            f"entries continue past the chain head ({head.seq}) to {last}",
        )
    if head.mac != prev_mac:
        return Problem(
            partition, last, "head_mismatch", "the chain head names a different MAC for this entry"
        )
    return None


def verify_audit(*, partitions: Iterable[int] | None = None, chunk_size: int = CHUNK_SIZE) -> Report:
    started = time.perf_counter()
    report = Report()
    keyring = _KeyRing()
    for partition in sorted(set(partitions)) if partitions is not None else all_partitions():
        problem = verify_partition(partition, keyring=keyring, chunk_size=chunk_size, report=report)
        if problem is not None:
            report.problems.append(problem)
    report.seconds = time.perf_counter() - started
    return report
