from django.urls import path

from bianmin.evaluation.api import views

app_name = "evaluation-api"

urlpatterns = [
    path("evaluations/", views.EvaluationListCreateApi.as_view(), name="evaluations"),
    path("evaluations/invitations/<str:token>/", views.InvitationDetailApi.as_view(), name="invitation"),
    path("evaluations/<int:pk>/appeal/", views.EvaluationAppealApi.as_view(), name="appeal"),
    path("appeals/<int:pk>/decide/", views.AppealDecideApi.as_view(), name="appeal-decide"),
    path("rectifications/", views.RectificationListApi.as_view(), name="rectifications"),
    path("rectifications/<int:pk>/", views.RectificationDetailApi.as_view(), name="rectification"),
    path("rectifications/<int:pk>/respond/", views.RectificationRespondApi.as_view(), name="respond"),
    path("rectifications/<int:pk>/callback/", views.RectificationCallbackApi.as_view(), name="callback"),
    path("rectifications/<int:pk>/complete/", views.RectificationCompleteApi.as_view(), name="complete"),
    path("ratings/figures/", views.RatingFiguresApi.as_view(), name="figures"),
    path("ratings/rectifications/", views.PublicRectificationListApi.as_view(), name="public-rectifications"),
]
