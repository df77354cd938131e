from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "bianmin.audit"
    label = "audit"
    verbose_name = _("审计")

    def ready(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from bianmin.audit.db import ensure_triggers_after_migrate, register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="bianmin_audit_sqlite_guard")
        post_migrate.connect(
            ensure_triggers_after_migrate, sender=self, dispatch_uid="bianmin_audit_triggers"
        )
        for conn in connections.all(initialized_only=True):  # opened before ready(): register now
            register_sqlite_functions(sender=None, connection=conn)
