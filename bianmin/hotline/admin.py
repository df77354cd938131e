from django.contrib import admin

from bianmin.hotline.models import ApiKey, CategoryAttribute, FaqEntry, RequestCategory, ServiceRequest


class CategoryAttributeInline(admin.TabularInline):
    model = CategoryAttribute
    fields = [
        "order",
        "code",
        "datatype",
        "is_variable",
        "is_required",
        "description",
        "values_source",
        "role",
    ]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RequestCategory)
class RequestCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "default_kind", "department", "is_public", "is_active"]
    inlines = [CategoryAttributeInline]

    def has_change_permission(self, request, obj=None):
        return False  # reference data comes from the seed; no unaudited edits


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    """Read-only here: FAQ entries are edited on the workbench (/workbench/faq/), through the service."""

    list_display = ["code", "question", "is_published", "updated_at"]
    search_fields = ["code", "question"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "is_active", "last_used_at"]
    readonly_fields = ["prefix", "key_hash", "last_used_at"]

    def has_add_permission(self, request):
        return False  # created with manage.py / the service so the raw key is shown once


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "state", "department", "due_on", "is_overdue"]
    list_filter = ["kind", "state", "is_overdue"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
