import pytest
from django.db import connection

from bianmin.audit.db import audit_maintenance
from bianmin.audit.models import AuditEntry
from bianmin.audit.services import _private_keys


@pytest.fixture(autouse=True)
def _audit_settings(settings):
    settings.AUDIT_PARTITIONS = 4
    settings.AUDIT_CHECKPOINT_EVERY = 5
    _private_keys.clear()
    yield
    _private_keys.clear()


class Attacker:
    """Someone with write access to the database but not the HMAC key or the SM2 private key."""

    def sql(self, statement: str, params=None) -> None:
        with audit_maintenance(), connection.cursor() as cursor:
            cursor.execute(statement, params or [])

    def json_param(self) -> str:
        return "%s::jsonb" if connection.vendor == "postgresql" else "%s"

    def entry(self, partition: int, seq: int) -> AuditEntry:
        return AuditEntry.objects.get(partition=partition, seq=seq)

    def delete_entries(self, partition: int, seqs) -> None:
        for seq in seqs:
            self.sql("DELETE FROM audit_auditentry WHERE partition = %s AND seq = %s", [partition, seq])

    def rewind_head(self, partition: int, seq: int) -> None:
        mac = self.entry(partition, seq).mac
        self.sql(
            "UPDATE audit_auditchainhead SET seq = %s, mac = %s WHERE partition = %s", [seq, mac, partition]
        )


@pytest.fixture
def attacker():
    return Attacker()
