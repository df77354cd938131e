from django.urls import path

from bianmin.hotline.api import views

app_name = "hotline-api"

urlpatterns = [
    path("service-requests/", views.ServiceRequestListCreateApi.as_view(), name="requests"),
    path("service-requests/<str:number>/", views.ServiceRequestDetailApi.as_view(), name="request"),
    path(
        "service-requests/<str:number>/classify/", views.ServiceRequestClassifyApi.as_view(), name="classify"
    ),
    path(
        "service-requests/<str:number>/dispatch/", views.ServiceRequestDispatchApi.as_view(), name="dispatch"
    ),
    path("service-requests/<str:number>/return/", views.ServiceRequestReturnApi.as_view(), name="return"),
    path("service-requests/<str:number>/answer/", views.ServiceRequestAnswerApi.as_view(), name="answer"),
    path("service-requests/<str:number>/confirm/", views.ServiceRequestConfirmApi.as_view(), name="confirm"),
    path(
        "service-requests/<str:number>/callback/", views.ServiceRequestCallbackApi.as_view(), name="callback"
    ),
    path("service-requests/<str:number>/review/", views.ServiceRequestReviewApi.as_view(), name="review"),
    path("request-categories/", views.RequestCategoryListApi.as_view(), name="categories"),
    path("faq/", views.FaqListCreateApi.as_view(), name="faq"),
    path("faq/<int:pk>/", views.FaqDetailApi.as_view(), name="faq-detail"),
    path("guide/", views.GuideApi.as_view(), name="guide"),
]
