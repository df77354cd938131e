"""Append-only triggers on audit entries and checkpoints (see bianmin/audit/db.py for how they are lifted).

SQL written out here so that this migration keeps its meaning whatever the code later becomes.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry WHEN bianmin_audit_guard() BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry WHEN bianmin_audit_guard() BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_auditcheckpoint_no_update BEFORE UPDATE ON audit_auditcheckpoint WHEN bianmin_audit_guard() BEGIN SELECT RAISE(ABORT, 'audit_auditcheckpoint is append-only'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_auditcheckpoint_no_delete BEFORE DELETE ON audit_auditcheckpoint WHEN bianmin_audit_guard() BEGIN SELECT RAISE(ABORT, 'audit_auditcheckpoint is append-only'); END;",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditcheckpoint_no_update",
    "DROP TRIGGER IF EXISTS audit_auditcheckpoint_no_delete",
]

POSTGRES_FORWARD = [
    "\nCREATE OR REPLACE FUNCTION bianmin_audit_refuse_change() RETURNS trigger AS $$\nBEGIN\n    IF coalesce(current_setting('bianmin.audit_maintenance', true), '') = 'on' THEN\n        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n        RETURN NEW;\n    END IF;\n    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP\n        USING ERRCODE = 'insufficient_privilege';\nEND\n$$ LANGUAGE plpgsql;\n",
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    "CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry FOR EACH ROW EXECUTE FUNCTION bianmin_audit_refuse_change()",
    "DROP TRIGGER IF EXISTS audit_auditcheckpoint_append_only ON audit_auditcheckpoint",
    "CREATE TRIGGER audit_auditcheckpoint_append_only BEFORE UPDATE OR DELETE ON audit_auditcheckpoint FOR EACH ROW EXECUTE FUNCTION bianmin_audit_refuse_change()",
]

POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry",
    "DROP TRIGGER IF EXISTS audit_auditcheckpoint_append_only ON audit_auditcheckpoint",
    "DROP FUNCTION IF EXISTS bianmin_audit_refuse_change()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, None)  # None: no placeholder parsing of '%'

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_auditcheckpoint_signingkey_and_more")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
