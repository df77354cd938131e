from django.contrib import admin

from bianmin.kpi.models import KpiTarget


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ("figure", "year", "value", "source", "set_by", "updated_at")
    list_filter = ("figure", "source", "year")
    readonly_fields = ("set_by", "updated_at")
