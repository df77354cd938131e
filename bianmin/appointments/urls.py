from django.urls import path

from bianmin.appointments import views

app_name = "appointments"

urlpatterns = [
    path("halls/", views.hall_finder, name="finder"),
    path("halls/<int:pk>/book/", views.hall_book, name="book"),
    path("halls/<int:pk>/kiosk/", views.kiosk, name="kiosk"),
    path("halls/<int:pk>/display/", views.display, name="display"),
    path("halls/<int:pk>/display/board/", views.display_board, name="display_board"),
    path("tickets/<str:token>/", views.ticket_status, name="ticket"),
    path("tickets/<str:token>/status/", views.ticket_status_fragment, name="ticket_status"),
    path("my/appointments/", views.my_appointments, name="mine"),
    path("my/appointments/<str:code>/cancel/", views.appointment_cancel, name="cancel"),
    path("my/appointments/<str:code>/reschedule/", views.appointment_reschedule, name="reschedule"),
    path("workbench/appointments/", views.staff_appointments, name="staff_list"),
    path(
        "workbench/appointments/<str:code>/reschedule/",
        views.staff_appointment_reschedule,
        name="staff_reschedule",
    ),
    path("workbench/appointments/<str:code>/cancel/", views.staff_appointment_cancel, name="staff_cancel"),
    path("workbench/queue/", views.counter, name="counter"),
    path("workbench/halls/", views.hall_dashboard, name="hall"),
    path("workbench/halls/setup/", views.hall_setup_first, name="hall_setup_first"),
    path("workbench/halls/<int:pk>/setup/", views.hall_setup, name="hall_setup"),
]
