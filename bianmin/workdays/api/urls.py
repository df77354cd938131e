from django.urls import path

from bianmin.workdays.api import views

app_name = "workdays-api"

urlpatterns = [
    path("calendar/deadline/", views.CalendarDeadlineApi.as_view(), name="deadline"),
    path("calendar/between/", views.CalendarBetweenApi.as_view(), name="between"),
    path("calendar/days/", views.CalendarDaysApi.as_view(), name="days"),
    path("calendar/years/", views.CalendarYearPublishApi.as_view(), name="year-publish"),
]
