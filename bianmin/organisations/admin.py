"""Reference data is edited in the admin, but saved through the services (validated, audited). No deletion."""

from django.contrib import admin, messages

from bianmin.core.exceptions import ApplicationError
from bianmin.organisations import services
from bianmin.organisations.models import Department, Hall, Region, Window


class ServiceSavingAdmin(admin.ModelAdmin):
    create_service = None
    update_service = None
    update_kwarg = ""
    allowed_fields: tuple[str, ...] = ()

    def has_delete_permission(self, request, obj=None):
        return False

    def _data(self, form, change):
        names = form.changed_data if change else form.cleaned_data.keys()
        return {f: form.cleaned_data[f] for f in names if f in self.allowed_fields}

    def save_model(self, request, obj, form, change):
        data = self._data(form, change)
        try:
            if change:
                saved = type(self).update_service(
                    **{self.update_kwarg: obj}, acting_user=request.user, **data
                )
            else:
                saved = type(self).create_service(acting_user=request.user, **data)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            raise
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(Region)
class RegionAdmin(ServiceSavingAdmin):
    list_display = ["code", "name", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    fields = services.REGION_FIELDS
    allowed_fields = services.REGION_FIELDS
    create_service = services.region_create
    update_service = services.region_update
    update_kwarg = "region"


@admin.register(Department)
class DepartmentAdmin(ServiceSavingAdmin):
    list_display = ["short_code", "name", "short_name", "uscc", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "uscc", "short_code"]
    list_select_related = ["region"]
    autocomplete_fields = ["parent", "region"]
    fields = services.DEPARTMENT_FIELDS
    allowed_fields = services.DEPARTMENT_FIELDS
    create_service = services.department_create
    update_service = services.department_update
    update_kwarg = "department"


@admin.register(Hall)
class HallAdmin(ServiceSavingAdmin):
    list_display = ["name", "kind", "region", "address", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "address"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "managing_department"]
    fields = services.HALL_FIELDS
    allowed_fields = services.HALL_FIELDS
    create_service = services.hall_create
    update_service = services.hall_update
    update_kwarg = "hall"


@admin.register(Window)
class WindowAdmin(ServiceSavingAdmin):
    list_display = ["hall", "number", "name", "kind", "is_active"]
    list_filter = ["kind", "is_active", "hall"]
    search_fields = ["name", "number", "hall__name"]
    list_select_related = ["hall"]
    filter_horizontal = ["departments"]
    fields = [*services.WINDOW_FIELDS, "departments"]
    allowed_fields = (*services.WINDOW_FIELDS, "departments")
    create_service = services.window_create
    update_service = services.window_update
    update_kwarg = "window"

    def save_related(self, request, form, formsets, change):
        # departments were saved by the service (audited); skip the form's direct m2m write
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
