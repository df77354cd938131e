from django.contrib import admin

from bianmin.reform.models import Milestone, PlanSubTask, PlanTask, ProgressReport


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class SubTaskInline(admin.StackedInline):
    model = PlanSubTask
    extra = 0


@admin.register(PlanTask)
class PlanTaskAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "section")
    inlines = [SubTaskInline, MilestoneInline]
    filter_horizontal = ("lead_departments", "partner_departments")


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ("task", "period", "department", "percentage", "filed_at")
    readonly_fields = ("filed_by", "filed_at")
