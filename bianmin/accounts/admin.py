"""Accounts in the Django admin. Personal numbers are shown masked and never edited here; every save goes
through services (validated, audited): staff accounts, account flags, role grants and revocations."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bianmin.accounts import services
from bianmin.accounts.constants import Role
from bianmin.accounts.models import Enterprise, EnterpriseMembership, ExternalIdentity, RoleAssignment, User
from bianmin.audit.services import audit_record
from bianmin.core.exceptions import ApplicationError


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RoleAssignmentInline(ReadOnlyInline):
    model = RoleAssignment
    fk_name = "user"
    fields = ["role", "department", "hall", "is_active", "granted_by", "created_at"]
    readonly_fields = fields


class MembershipInline(ReadOnlyInline):
    model = EnterpriseMembership
    fk_name = "user"
    fields = ["enterprise", "is_admin", "is_active", "created_at"]
    readonly_fields = fields


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "kind", "masked_mobile", "masked_id_card", "is_active"]
    list_filter = ["kind", "is_active", "is_superuser"]
    search_fields = ["username", "full_name"]
    readonly_fields = [
        "masked_id_card",
        "masked_mobile",
        "mobile_verified_at",
        "privacy_accepted_at",
        "privacy_version",
        "last_login",
        "date_joined",
    ]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("个人信息"),
            {
                "fields": [
                    "full_name",
                    "kind",
                    "email",
                    "masked_id_card",
                    "masked_mobile",
                    "mobile_verified_at",
                ]
            },
        ),
        (_("权限"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("记录"), {"fields": ["privacy_accepted_at", "privacy_version", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["username", "password1", "password2"]})]
    inlines = [RoleAssignmentInline, MembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("手机号"))
    def masked_mobile(self, obj):
        return obj.masked_mobile

    @admin.display(description=_("身份证号"))
    def masked_id_card(self, obj):
        return obj.masked_id_card

    def save_model(self, request, obj, form, change):
        try:
            if change:
                data = {f: form.cleaned_data[f] for f in form.changed_data if f in services.USER_ADMIN_FIELDS}
                saved = services.user_update(acting_user=request.user, user=obj, **data)
            else:
                saved = services.staff_create(
                    acting_user=request.user,
                    username=form.cleaned_data["username"],
                    full_name="",
                    password=form.cleaned_data.get("password1"),
                )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            raise
        obj.pk = saved.pk
        obj.refresh_from_db()

    def user_change_password(self, request, id, form_url=""):
        # Django's own form sets the password; the audit entry is written in the same transaction
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                audit_record(
                    actor=request.user,
                    action="user.password_set_by_admin",
                    target=User.objects.get(pk=id),
                    role=Role.PLATFORM_ADMIN,
                )
        return response

    def save_related(self, request, form, formsets, change):
        # inlines are read-only and groups/permissions are not used (roles are): nothing to write
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "department", "hall", "is_active", "granted_by", "created_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user", "department", "hall", "granted_by"]
    autocomplete_fields = ["user", "department", "hall"]
    fields = ["user", "role", "department", "hall", "is_active"]
    actions = ["revoke"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["user", "role", "department", "hall"] if obj else []

    def save_model(self, request, obj, form, change):
        try:
            if change:
                if "is_active" in form.changed_data:
                    if obj.is_active:
                        saved = services.role_grant(
                            acting_user=request.user,
                            user=obj.user,
                            role=obj.role,
                            department=obj.department,
                            hall=obj.hall,
                        )
                    else:
                        saved = services.role_revoke(acting_user=request.user, assignment=obj)
                else:
                    saved = obj
            else:
                saved = services.role_grant(
                    acting_user=request.user,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                    department=form.cleaned_data.get("department"),
                    hall=form.cleaned_data.get("hall"),
                )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
            raise
        obj.pk = saved.pk
        obj.refresh_from_db()

    @admin.action(description=_("撤销所选角色"))
    def revoke(self, request, queryset):
        done = 0
        for assignment in queryset.filter(is_active=True):
            services.role_revoke(acting_user=request.user, assignment=assignment)
            done += 1
        self.message_user(request, _("已撤销 %(n)d 个角色。") % {"n": done})


class EnterpriseMembershipInline(ReadOnlyInline):
    model = EnterpriseMembership
    fk_name = "enterprise"
    fields = ["user", "is_admin", "is_active", "added_by", "created_at"]
    readonly_fields = fields


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "legal_representative", "created_at"]
    search_fields = ["name", "uscc"]
    readonly_fields = ["name", "uscc", "legal_representative", "address", "object_type", "created_at"]
    fields = readonly_fields
    inlines = [EnterpriseMembershipInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "subject", "created_at"]
    list_filter = ["provider"]
    search_fields = ["user__username", "subject"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
