from django.urls import path

from bianmin.notifications import views

app_name = "notifications"

urlpatterns = [
    path("my/messages/", views.message_list, name="list"),
    path("my/messages/preferences/", views.preferences, name="preferences"),
    path("my/messages/read-all/", views.message_read_all, name="read_all"),
    path("my/messages/<int:pk>/", views.message_detail, name="detail"),
    path("my/messages/<int:pk>/read/", views.message_read, name="read"),
    path("workbench/messages/", views.workbench_list, name="workbench"),
    path("workbench/messages/preferences/", views.workbench_preferences, name="workbench_preferences"),
    path("workbench/messages/read-all/", views.workbench_read_all, name="workbench_read_all"),
    path("workbench/messages/<int:pk>/", views.workbench_detail, name="workbench_detail"),
    path("workbench/messages/<int:pk>/read/", views.workbench_read, name="workbench_read"),
]
