from django.contrib import admin

from bianmin.notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by the services of the apps they report on."""

    list_display = ["title", "recipient", "category", "created_at", "read_at"]
    list_filter = ["category"]
    search_fields = ["title", "target_ref", "recipient__username"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
