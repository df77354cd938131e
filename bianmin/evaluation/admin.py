from django.contrib import admin

from bianmin.evaluation.models import Appeal, Evaluation, Rectification


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ratings are never edited; rectifications and appeals change through the workbench services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "subject", "level", "channel", "department", "is_follow_up", "created_at"]
    list_filter = ["level", "channel", "subject"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "department", "state", "due_on", "outcome", "is_overdue"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["pk", "evaluation", "state", "created_at"]
