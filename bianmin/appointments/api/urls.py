from django.urls import path

from bianmin.appointments.api import views

app_name = "appointments-api"

urlpatterns = [
    path("slots/", views.SlotListApi.as_view(), name="slots"),
    path("appointments/", views.AppointmentListCreateApi.as_view(), name="appointments"),
    path("appointments/<str:code>/", views.AppointmentDetailApi.as_view(), name="appointment"),
    path(
        "appointments/<str:code>/reschedule/",
        views.AppointmentRescheduleApi.as_view(),
        name="appointment-reschedule",
    ),
    path("appointments/<str:code>/cancel/", views.AppointmentCancelApi.as_view(), name="appointment-cancel"),
    path(
        "appointments/<str:code>/check-in/",
        views.AppointmentCheckInApi.as_view(),
        name="appointment-check-in",
    ),
    path("tickets/", views.TicketListCreateApi.as_view(), name="tickets"),
    path("tickets/call-next/", views.TicketCallNextApi.as_view(), name="ticket-call-next"),
    path("tickets/<int:pk>/recall/", views.TicketRecallApi.as_view(), name="ticket-recall"),
    path("tickets/<int:pk>/start/", views.TicketStartApi.as_view(), name="ticket-start"),
    path("tickets/<int:pk>/no-show/", views.TicketNoShowApi.as_view(), name="ticket-no-show"),
    path("tickets/<int:pk>/transfer/", views.TicketTransferApi.as_view(), name="ticket-transfer"),
    path("tickets/<int:pk>/finish/", views.TicketFinishApi.as_view(), name="ticket-finish"),
    path("tickets/<int:pk>/open-case/", views.TicketOpenCaseApi.as_view(), name="ticket-open-case"),
    path("nearest-halls/", views.NearestHallsApi.as_view(), name="nearest-halls"),
    path("hall-figures/<int:pk>/", views.HallFiguresApi.as_view(), name="hall-figures"),
    path("hall-figures/nearby-share/", views.NearbyShareApi.as_view(), name="nearby-share"),
    path("halls/<int:pk>/items/", views.HallItemsApi.as_view(), name="hall-items"),
    path("halls/<int:pk>/window-setup/", views.HallScheduleApi.as_view(), name="hall-window-setup"),
    path("halls/<int:pk>/booking-setting/", views.HallSettingApi.as_view(), name="hall-booking-setting"),
    path(
        "halls/<int:pk>/ticket-categories/", views.TicketCategoryListApi.as_view(), name="ticket-categories"
    ),
    path(
        "halls/<int:pk>/ticket-categories/<str:letter>/",
        views.TicketCategoryDetailApi.as_view(),
        name="ticket-category",
    ),
    path("windows/<int:pk>/schedule/", views.WindowScheduleApi.as_view(), name="window-schedule"),
    path("windows/<int:pk>/items/", views.WindowItemsApi.as_view(), name="window-items"),
]
