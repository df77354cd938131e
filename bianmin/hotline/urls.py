from django.urls import path

from bianmin.hotline import views

app_name = "hotline"

urlpatterns = [
    path("guide/", views.guide_page, name="guide"),
    path("requests/new/", views.request_new, name="request-new"),
    path("my/requests/", views.my_requests, name="my-requests"),
    path("my/requests/<str:number>/", views.my_request, name="my-request"),
    path("workbench/requests/", views.workbench, name="workbench"),
    path("workbench/requests/new/", views.workbench_intake, name="workbench-intake"),
    path("workbench/requests/<str:number>/", views.workbench_request, name="workbench-request"),
    path("workbench/faq/", views.faq_list, name="faq-list"),
    path("workbench/faq/new/", views.faq_edit, name="faq-new"),
    path("workbench/faq/<int:pk>/", views.faq_edit, name="faq-edit"),
]
