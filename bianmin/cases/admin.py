"""Read-only admin for the case spine (design.md §3: stateful domain models are never edited here)."""

from django.contrib import admin

from bianmin.cases.models import Case, CaseEvent, CaseNotice, InstantAuthorisation, ReviewTask


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ("at", "kind", "actor", "role", "state_from", "state_to")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "state", "department", "applicant_name", "submitted_at", "deadline_on")
    list_filter = ("state", "channel", "department")
    search_fields = ("number",)
    list_select_related = ("department",)
    exclude = ("applicant_id_no", "applicant_mobile", "agent_id_no", "agent_mobile", "applicant_id_hash")
    inlines = [CaseEventInline]


@admin.register(ReviewTask)
class ReviewTaskAdmin(ReadOnlyAdmin):
    list_display = ("case", "department", "is_lead", "state", "done_at")
    list_select_related = ("case", "department")


@admin.register(InstantAuthorisation)
class InstantAuthorisationAdmin(ReadOnlyAdmin):
    list_display = ("department", "clerk", "is_active", "granted_by")
    list_select_related = ("department", "clerk", "granted_by")


@admin.register(CaseNotice)
class CaseNoticeAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "issued_at", "seal", "key_version", "key_fingerprint")
    list_filter = ("kind",)
    search_fields = ("case__number", "pdf_sm3")
    list_select_related = ("case", "seal")
