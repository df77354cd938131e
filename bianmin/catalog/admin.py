"""Read-only admin views of the catalog: every change goes through the services (and the workbench)."""

from django.contrib import admin

from bianmin.catalog.models import Certificate, FormField, ItemVersion, Material, ServiceItem, Theme


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    fields = ["order", "name", "necessity", "form", "source", "certificate", "licence_type_code"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class FormFieldInline(admin.TabularInline):
    model = FormField
    extra = 0
    fields = ["order", "key", "label", "kind", "required"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ServiceItem)
class ServiceItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "department", "current_version", "codes_valid", "is_nearby"]
    list_filter = ["codes_valid", "department"]
    search_fields = ["code", "catalog_code", "versions__name"]
    list_select_related = ["department", "current_version"]


@admin.register(ItemVersion)
class ItemVersionAdmin(ReadOnlyAdmin):
    list_display = ["name", "item", "number", "state", "status", "published_at"]
    list_filter = ["state", "status", "item_type"]
    search_fields = ["name", "item__code"]
    list_select_related = ["item"]
    inlines = [MaterialInline, FormFieldInline]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["name", "requesting_department", "issuing_unit", "commitment_allowed", "state"]
    list_filter = ["state", "commitment_allowed"]
    search_fields = ["name"]


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "audience", "order"]
    list_filter = ["audience"]
