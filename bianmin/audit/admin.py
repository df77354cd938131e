"""Read-only admin: audit rows are browsed here, never added, changed or deleted."""

from django.contrib import admin

from bianmin.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry, SigningKey


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "actor_label",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "partition",
        "seq",
    ]
    list_filter = ["action", "actor_role", "partition"]
    search_fields = ["actor_label", "object_type", "object_id", "action"]
    date_hierarchy = "created_at"
    exclude = ["actor"]  # actor_label says who; no user lookup widget
    show_full_result_count = False


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(ReadOnlyAdmin):
    list_display = ["partition", "seq", "mac"]


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ["partition", "seq", "created_at", "key_fingerprint"]
    list_filter = ["partition"]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    list_display = ["purpose", "fingerprint", "is_active", "created_at", "retired_at"]
    exclude = ["sealed_private_key"]
