"""The chain: recording, verification and detection of every kind of tampering."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, transaction

from bianmin.audit.models import AppendOnlyError, AuditChainHead, AuditCheckpoint, AuditEntry, SigningKey
from bianmin.audit.services import (
    GENESIS_MAC,
    audit_checkpoint_partitions,
    audit_record,
    entry_mac,
    partition_for,
    signing_key_rotate,
)
from bianmin.audit.verification import verify_audit, verify_partition
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _object_in(partition: int, start: int = 0) -> str:
    """An object id whose entries land in the given partition."""
    n = start
    while partition_for("cases.case", str(n)) != partition:
        n += 1
    return str(n)


def _record_many(count: int, *, partition: int = 0, actor=None) -> list[AuditEntry]:
    object_id = _object_in(partition)
    return [
        audit_record(
            actor=actor,
            action="cases.case_reviewed",
            object_type="cases.case",
            object_id=object_id,
            object_repr=f"办件 {object_id}",
            changes={"status": ["accepted", "in_review"], "step": i},
        )
        for i in range(count)
    ]


def _problem(partition: int):
    return verify_partition(partition)


def test_entries_chain_per_partition_and_verify_ok():
    actor = StaffFactory(reviewer=True)
    entries = _record_many(7, partition=1, actor=actor)
    other = _record_many(3, partition=2, actor=actor)
    assert [e.seq for e in entries] == list(range(1, 8))
    assert entries[0].prev_mac == GENESIS_MAC
    assert all(b.prev_mac == a.mac for a, b in zip(entries, entries[1:], strict=False))
    assert {e.partition for e in entries} == {1} and {e.partition for e in other} == {2}
    assert AuditChainHead.objects.get(partition=1).seq == 7
    assert AuditChainHead.objects.get(partition=1).mac == entries[-1].mac
    stored = AuditEntry.objects.get(pk=entries[3].pk)
    assert entry_mac(stored) == stored.mac  # the MAC survives the database round trip
    report = verify_audit()
    assert report.ok, report.problems
    assert report.partitions == {0: 0, 1: 7, 2: 3, 3: 0}  # every head exists from the first append
    assert report.checkpoints == 1  # partition 1 reached seq 5 (AUDIT_CHECKPOINT_EVERY = 5)


def test_record_captures_who_role_object_and_address(rf, settings):
    from bianmin.core.middleware import _current_request

    actor = StaffFactory(reviewer=True)
    request = rf.post("/x", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1")
    token = _current_request.set(request)
    try:
        entry = audit_record(actor=actor, action="organisations.department_updated", target=actor, changes={})
    finally:
        _current_request.reset(token)
    assert entry.actor == actor
    assert entry.actor_label == actor.username
    assert entry.actor_role == "reviewer"  # the one role the actor holds
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(actor.pk)
    assert entry.ip_address == "10.1.2.3"  # X-Forwarded-For is client-controlled unless a proxy is configured
    settings.TRUST_X_FORWARDED_FOR = True
    token = _current_request.set(request)
    try:
        proxied = audit_record(
            actor=actor, action="organisations.department_updated", target=actor, changes={}
        )
    finally:
        _current_request.reset(token)
    assert proxied.ip_address == "10.0.0.1"  # the hop our proxy appended, not what the client claimed
    system = audit_record(
        actor=None, action="workdays.provisional_year_stored", object_type="x", object_id="1"
    )
    assert system.actor is None and system.actor_label == "system" and system.actor_role == ""
    explicit = audit_record(actor=actor, action="a", object_type="x", object_id="2", role="head")
    assert explicit.actor_role == "head"


def test_altered_changes_detected_at_that_seq(attacker):
    _record_many(8, partition=1)
    target = attacker.entry(1, 4)
    forged = dict(target.changes, status=["accepted", "concluded"])
    attacker.sql(
        f"UPDATE audit_auditentry SET changes = {attacker.json_param()} WHERE id = %s",
        [json.dumps(forged), target.pk],
    )
    problem = _problem(1)
    assert (problem.seq, problem.kind) == (4, "altered")


def test_altered_actor_detected(attacker):
    _record_many(3, partition=1)
    other = StaffFactory()
    attacker.sql("UPDATE audit_auditentry SET actor_id = %s WHERE partition = 1 AND seq = 2", [other.pk])
    assert (_problem(1).seq, _problem(1).kind) == (2, "altered")


def test_deleted_middle_entry_detected(attacker):
    _record_many(8, partition=1)
    attacker.delete_entries(1, [3])
    problem = _problem(1)
    assert (problem.seq, problem.kind) == (3, "missing")
    assert "3" in problem.detail and "4" in problem.detail


def test_inserted_forged_entry_detected(attacker):
    entries = _record_many(6, partition=1)
    # Replace entry 3 by a forgery linked to entry 2: without the key its MAC cannot be right.
    attacker.delete_entries(1, [3])
    copy = entries[2]
    attacker.sql(
        "INSERT INTO audit_auditentry (partition, seq, created_at, actor_label, actor_role, action, object_type,"
        " object_id, object_repr, changes, ip_address, prev_mac, mac) VALUES"
        f" (1, 3, %s, 'intruder', '', 'cases.case_approved', 'cases.case', %s, '', {attacker.json_param()},"
        " '', %s, %s)",
        [
            copy.created_at,
            copy.object_id,
            json.dumps({"status": ["in_review", "concluded"]}),
            entries[1].mac,
            "f" * 64,
        ],
    )
    problem = _problem(1)
    assert (problem.seq, problem.kind) == (3, "altered")


def test_inserted_entry_with_borrowed_mac_breaks_the_link(attacker):
    entries = _record_many(5, partition=1)
    # An entry squeezed in at seq 3 that reuses an existing entry's valid MAC but not its link.
    attacker.delete_entries(1, [3])
    attacker.sql(
        "INSERT INTO audit_auditentry (partition, seq, created_at, actor_label, actor_role, action, object_type,"
        " object_id, object_repr, changes, ip_address, prev_mac, mac) SELECT partition, 3, created_at,"
        " actor_label, actor_role, action, object_type, object_id, object_repr, changes, ip_address, prev_mac, mac"
        " FROM audit_auditentry WHERE partition = 1 AND seq = 5",
    )
    problem = _problem(1)
    assert (problem.seq, problem.kind) == (3, "inserted")
    assert entries[4].mac  # the borrowed entry itself is untouched


def test_appended_forgery_detected(attacker):
    entries = _record_many(4, partition=1)
    attacker.sql(
        "INSERT INTO audit_auditentry (partition, seq, created_at, actor_label, actor_role, action, object_type,"
        " object_id, object_repr, changes, ip_address, prev_mac, mac) VALUES"
        f" (1, 5, %s, 'x', '', 'cases.case_voided', '', '', '', {attacker.json_param()}, '', %s, %s)",
        [entries[-1].created_at, "{}", entries[-1].mac, "a" * 64],
    )
    attacker.sql("UPDATE audit_auditchainhead SET seq = 5, mac = %s WHERE partition = 1", ["a" * 64])
    problem = _problem(1)
    assert (problem.seq, problem.kind) == (5, "altered")


def test_deleted_newest_entry_detected_by_head(attacker):
    _record_many(4, partition=1)
    attacker.delete_entries(1, [4])
    problem = _problem(1)
    assert (problem.seq, problem.kind) == (4, "truncated")


def test_deleted_tail_with_head_rewound_detected_by_signed_checkpoint(attacker):
    _record_many(12, partition=1)  # checkpoints at 5 and 10
    assert list(AuditCheckpoint.objects.filter(partition=1).values_list("seq", flat=True)) == [5, 10]
    attacker.delete_entries(1, [12, 11, 10, 9])
    attacker.rewind_head(1, 8)
    problem = _problem(1)
    assert (problem.seq, problem.kind) == (9, "truncated")
    assert "10" in problem.detail


def test_periodic_checkpoint_covers_a_short_tail(attacker):
    _record_many(7, partition=1)
    from bianmin.audit.tasks import audit_checkpoint_periodic

    made = audit_checkpoint_periodic.call_local()
    assert made == 1
    assert AuditCheckpoint.objects.filter(partition=1).order_by("-seq").first().seq == 7
    assert audit_checkpoint_periodic.call_local() == 0  # nothing moved since
    attacker.delete_entries(1, [7])
    attacker.rewind_head(1, 6)
    problem = _problem(1)
    assert (problem.seq, problem.kind) == (7, "truncated")


def test_forged_checkpoint_detected(attacker):
    _record_many(5, partition=1)
    checkpoint = AuditCheckpoint.objects.get(partition=1, seq=5)
    attacker.sql(
        "UPDATE audit_auditcheckpoint SET seq = 50 WHERE id = %s",
        [checkpoint.pk],
    )
    problem = _problem(1)
    assert (problem.seq, problem.kind) == (50, "checkpoint_invalid")


def test_rotation_keeps_old_checkpoints_verifiable():
    _record_many(5, partition=1)
    first = SigningKey.objects.get(is_active=True)
    new = signing_key_rotate(acting_user=None)
    _record_many(5, partition=2)
    assert new.fingerprint != first.fingerprint
    first.refresh_from_db()
    assert not first.is_active and first.retired_at is not None
    fingerprints = set(AuditCheckpoint.objects.values_list("key_fingerprint", flat=True))
    assert fingerprints == {first.fingerprint, new.fingerprint}
    assert verify_audit().ok
    assert AuditEntry.objects.filter(action="audit.signing_key_rotated").count() == 1


def test_checkpoint_signed_by_unknown_key_detected(attacker):
    _record_many(5, partition=1)
    attacker.sql("UPDATE audit_auditcheckpoint SET key_fingerprint = %s", ["0" * 64])
    assert _problem(1).kind == "checkpoint_invalid"


def test_private_key_is_sealed_at_rest():
    _record_many(5, partition=1)
    key = SigningKey.objects.get(is_active=True)
    assert key.sealed_private_key.startswith("sm4g-pkcs8:")
    assert "PRIVATE KEY" not in key.sealed_private_key


def test_partitions_are_independent(attacker):
    _record_many(6, partition=0)
    _record_many(6, partition=3)
    attacker.delete_entries(0, [2])
    report = verify_audit()
    assert [(p.partition, p.seq, p.kind) for p in report.problems] == [(0, 2, "missing")]
    assert verify_audit(partitions=[3]).ok
    assert report.partitions[3] == 6


def test_other_partitions_are_not_locked_by_an_append():
    _record_many(1, partition=0)
    _record_many(1, partition=1)
    heads_before = dict(AuditChainHead.objects.values_list("partition", "seq"))
    _record_many(2, partition=0)
    heads_after = dict(AuditChainHead.objects.values_list("partition", "seq"))
    assert heads_after == {**heads_before, 0: heads_before[0] + 2}
    assert set(heads_after) == {0, 1, 2, 3}  # every partition's head is made on first use


def test_verify_audit_command_exit_codes(attacker, capsys):
    _record_many(6, partition=2)
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert out.startswith("OK 6 entries in 4 partitions, 1 checkpoints")
    attacker.delete_entries(2, [6])
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit")
    assert excinfo.value.returncode == 1
    out = capsys.readouterr().out
    assert "partition 2 seq 6: truncated" in out


def test_verify_audit_command_on_an_empty_trail(capsys):
    call_command("verify_audit")
    assert capsys.readouterr().out.startswith("OK 0 entries")


def test_verify_scales_with_small_chunks(attacker):
    _record_many(23, partition=1)
    assert verify_partition(1, chunk_size=3) is None
    attacker.sql("UPDATE audit_auditentry SET action = 'x' WHERE partition = 1 AND seq = 17")
    problem = verify_partition(1, chunk_size=3)
    assert (problem.seq, problem.kind) == (17, "altered")


# --- append-only, at every layer ---------------------------------------------------------------------


def test_orm_refuses_updates_and_deletes():
    entry = _record_many(1, partition=1)[0]
    entry.action = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["action"])
    checkpoint = AuditCheckpoint.objects.first()
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.all().delete()
    assert checkpoint is None or AuditCheckpoint.objects.filter(pk=checkpoint.pk).exists()
    assert AuditEntry.objects.get(pk=entry.pk).action == "cases.case_reviewed"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET action = 'changed'",
        "DELETE FROM audit_auditentry",
        "UPDATE audit_auditcheckpoint SET seq = seq + 100",
        "DELETE FROM audit_auditcheckpoint",
    ],
)
def test_database_trigger_refuses_raw_sql(statement):
    from django.db import connection

    _record_many(5, partition=1)
    with pytest.raises((DatabaseError, IntegrityError)) as excinfo:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert "append-only" in str(excinfo.value)
    assert AuditEntry.objects.filter(partition=1).count() == 5
    assert AuditCheckpoint.objects.filter(partition=1, seq=5).exists()
    assert verify_audit().ok


def test_flush_still_empties_the_database():
    """Django's flush (test teardown of transactional tests) wipes audit rows with the rest."""
    from django.db import connection

    _record_many(2, partition=1)
    if connection.vendor == "postgresql":  # TRUNCATE refuses while deferred FK checks are pending
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()


def test_checkpoint_partitions_skips_untouched_partitions():
    _record_many(5, partition=1)  # checkpoint at 5 already written inline
    assert audit_checkpoint_partitions() == []
    _record_many(1, partition=1)
    made = audit_checkpoint_partitions()
    assert [(c.partition, c.seq) for c in made] == [(1, 6)]


def test_verify_audit_command_limited_to_partitions(attacker, capsys):
    _record_many(3, partition=1)
    _record_many(3, partition=2)
    attacker.sql("UPDATE audit_auditentry SET ip_address = '6.6.6.6' WHERE partition = 1 AND seq = 2")
    call_command("verify_audit", "--partition", "2")
    assert capsys.readouterr().out.startswith("OK 3 entries in 1 partitions")
    with pytest.raises(CommandError):
        call_command("verify_audit", "--partition", "1", "--partition", "2")
    out = capsys.readouterr().out
    assert "partition 1 seq 2: altered" in out and "partition 2" not in out


def test_triggers_come_back_after_migrate():
    """A later migration that rebuilds an audit table on SQLite loses its triggers; post_migrate restores them."""
    from django.db import connection

    from bianmin.audit.db import ensure_triggers

    _record_many(1, partition=1)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_auditentry_append_only ON audit_auditentry")
        else:
            cursor.execute("DROP TRIGGER audit_auditentry_no_update")
    with transaction.atomic():  # unguarded now
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET ip_address = '1.1.1.1'")
        transaction.set_rollback(True)
    assert ensure_triggers() is True
    with pytest.raises((DatabaseError, IntegrityError)):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET ip_address = '1.1.1.1'")
