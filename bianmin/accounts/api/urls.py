from django.urls import path

from bianmin.accounts.api import views

app_name = "accounts-api"

urlpatterns = [
    path("auth/token/", views.TokenObtainApi.as_view(), name="token"),
    path("auth/otp/", views.OtpSendApi.as_view(), name="otp-send"),
    path("auth/register/", views.RegisterApi.as_view(), name="register"),
    path("auth/password-reset/", views.PasswordResetApi.as_view(), name="password-reset"),
    path("me/", views.MeApi.as_view(), name="me"),
    path("enterprises/", views.EnterpriseListApi.as_view(), name="enterprise-list"),
    path(
        "enterprises/<str:uscc>/members/", views.EnterpriseMemberListApi.as_view(), name="enterprise-members"
    ),
    path(
        "enterprises/<str:uscc>/members/<int:pk>/",
        views.EnterpriseMemberRemoveApi.as_view(),
        name="enterprise-member-remove",
    ),
    path("role-assignments/", views.RoleAssignmentListApi.as_view(), name="role-assignment-list"),
    path("role-assignments/grant/", views.RoleGrantApi.as_view(), name="role-grant"),
    path("role-assignments/<int:pk>/revoke/", views.RoleRevokeApi.as_view(), name="role-revoke"),
    path("staff/", views.StaffListApi.as_view(), name="staff-list"),
]
