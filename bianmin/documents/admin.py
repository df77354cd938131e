from django.contrib import admin

from bianmin.documents.models import Seal, SealKey


class SealKeyInline(admin.TabularInline):
    model = SealKey
    fields = ("version", "fingerprint", "is_current", "created_at", "retired_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Seal)
class SealAdmin(admin.ModelAdmin):
    """Read-only: seals are created and rotated through documents.services (audited); no private keys."""

    list_display = ("code", "name", "department", "valid_from", "valid_until", "is_active")
    search_fields = ("code", "name")
    readonly_fields = (
        "department",
        "code",
        "name",
        "seal_type",
        "valid_from",
        "valid_until",
        "is_active",
        "created_by",
    )
    exclude = ("image_svg",)
    inlines = [SealKeyInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
