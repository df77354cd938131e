from django.urls import path

from bianmin.web import views

app_name = "web"

urlpatterns = [
    path("", views.portal_home, name="portal_home"),
    path("home/", views.home_for_role, name="home_for_role"),
    path("workbench/", views.workbench_home, name="workbench_home"),
    path("my/", views.my_home, name="my_home"),
    path("lookup/", views.lookup, name="lookup"),
    path("sitemap/", views.sitemap, name="sitemap"),
    path("contact/", views.contact, name="contact"),
    path("elderly/", views.elderly_switch, name="elderly_switch"),
]
