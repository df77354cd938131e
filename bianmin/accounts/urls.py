from django.urls import path

from bianmin.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register, name="register"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("privacy/", views.privacy, name="privacy"),
    path("profile/", views.profile, name="profile"),
    path("profile/mobile/", views.mobile_change, name="mobile_change"),
    path("enterprise/", views.enterprise_home, name="enterprise"),
    path("enterprise/register/", views.enterprise_register, name="enterprise_register"),
    path("enterprise/<str:uscc>/", views.enterprise_members, name="enterprise_members"),
    path("oidc/<str:provider>/login/", views.oidc_login, name="oidc_login"),
    path("oidc/<str:provider>/callback/", views.oidc_callback, name="oidc_callback"),
]
