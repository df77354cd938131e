from django.contrib import admin

from bianmin.licences.models import Licence, LicenceAccessLog, LicenceType


class ReadOnlyAdmin(admin.ModelAdmin):
    """Licences are written only through licences.services (signed and audited)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LicenceType)
class LicenceTypeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "issuing_department", "validity_years", "is_active")
    search_fields = ("code", "name")


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = (
        "identifier",
        "licence_type",
        "licence_no",
        "holder_name",
        "holder_code_masked",
        "status",
        "issued_on",
    )
    list_filter = ("status", "licence_type")
    search_fields = ("identifier", "licence_no", "holder_name")
    exclude = ("holder_code", "canonical_json")


@admin.register(LicenceAccessLog)
class LicenceAccessLogAdmin(ReadOnlyAdmin):
    list_display = (
        "at",
        "requested_by",
        "department",
        "holder_code_masked",
        "purpose",
        "case_number",
        "result_count",
    )
    exclude = ("holder_code_hash",)
