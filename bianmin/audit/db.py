"""Database-level guard: triggers refuse UPDATE and DELETE of audit entries and checkpoints.

The ORM refuses first (AppendOnlyQuerySet, AppendOnlyModel); the triggers catch raw SQL and bugs. They are
not a defence against someone who controls the database (who can drop a trigger): the HMAC chain and the
signed checkpoints are. `audit_maintenance()` lifts the guard inside one transaction; application code
never calls it — tests use it to act as that attacker.

SQLite: the triggers ask the application-defined function bianmin_audit_guard(), registered on every
connection Django opens. It answers 0 (allow) inside audit_maintenance() and while Django's `flush`
command empties the whole database, which on PostgreSQL is a TRUNCATE that row triggers do not see either.
A connection without the function (the sqlite3 shell) gets an error instead of a change.
PostgreSQL: the trigger function allows the change only when the transaction-local setting
bianmin.audit_maintenance is 'on'. The trigger SQL itself is in migration audit/0003_append_only_triggers.
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import transaction

_state = threading.local()


def _maintenance_on() -> bool:
    return getattr(_state, "depth", 0) > 0


def _inside_flush() -> bool:
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_globals.get("__name__") == "django.core.management.commands.flush":
            return True
        frame = frame.f_back
    return False


def sqlite_guard() -> int:
    """1 = refuse the change (the trigger raises), 0 = allow it."""
    return 0 if (_maintenance_on() or _inside_flush()) else 1


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite" and connection.connection is not None:
        connection.connection.create_function("bianmin_audit_guard", 0, sqlite_guard)


@contextmanager
def audit_maintenance(using: str | None = None):
    """Lift the append-only triggers for the current transaction (tests modelling an attacker only)."""
    conn = transaction.get_connection(using) if using else default_connection
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        if conn.vendor == "postgresql":
            with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
                cursor.execute("SELECT set_config('bianmin.audit_maintenance', 'on', true)")
                try:
                    yield conn
                finally:
                    cursor.execute("SELECT set_config('bianmin.audit_maintenance', 'off', true)")
        else:
            yield conn
    finally:
        _state.depth -= 1


def _trigger_sql(vendor: str) -> list[str]:
    import importlib

    migration = importlib.import_module("bianmin.audit.migrations.0003_append_only_triggers")
    return {"sqlite": migration.SQLITE_FORWARD, "postgresql": migration.POSTGRES_FORWARD}.get(vendor, [])


def ensure_triggers(using: str = "default") -> bool:
    """(Re)create the append-only triggers; idempotent. Run after every migrate: on SQLite, a later
    migration that alters an audit table rebuilds the table, and the rebuilt table has no triggers."""
    from django.db import connections

    conn = connections[using]
    if not {"audit_auditentry", "audit_auditcheckpoint"} <= set(conn.introspection.table_names()):
        return False
    with conn.cursor() as cursor:
        for statement in _trigger_sql(conn.vendor):
            cursor.execute(statement, None)
    return True


def ensure_triggers_after_migrate(sender, using="default", **kwargs) -> None:
    ensure_triggers(using)
