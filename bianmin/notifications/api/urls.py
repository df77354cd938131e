from django.urls import path

from bianmin.notifications.api import views

app_name = "notifications-api"

urlpatterns = [
    path("messages/", views.MessageListApi.as_view(), name="messages"),
    path("messages/read-all/", views.MessageReadAllApi.as_view(), name="read-all"),
    path("messages/preferences/", views.NotificationPreferenceApi.as_view(), name="preferences"),
    path("messages/unread-count/", views.MessageUnreadCountApi.as_view(), name="unread-count"),
    path("messages/<int:pk>/", views.MessageDetailApi.as_view(), name="message"),
    path("messages/<int:pk>/read/", views.MessageReadApi.as_view(), name="read"),
]
