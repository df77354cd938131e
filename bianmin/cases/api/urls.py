from django.urls import path

from bianmin.cases.api import views

app_name = "cases-api"

urlpatterns = [
    path("cases/", views.CaseListCreateApi.as_view(), name="case-list"),
    path("cases/queue/", views.CaseWorkQueueApi.as_view(), name="case-queue"),
    path("cases/overdue/", views.CaseOverdueListApi.as_view(), name="case-overdue"),
    path("cases/progress/", views.CasePublicProgressApi.as_view(), name="case-progress"),
    path(
        "cases/instant-authorisations/",
        views.InstantAuthorisationApi.as_view(),
        name="case-instant-authorisations",
    ),
    path("cases/notices/<uuid:pk>/verify/", views.CaseNoticeVerifyApi.as_view(), name="case-notice-verify"),
    path("cases/<str:ref>/", views.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<str:ref>/timeline/", views.CaseTimelineApi.as_view(), name="case-timeline"),
    path("cases/<str:ref>/materials/", views.CaseMaterialAddApi.as_view(), name="case-materials"),
    path(
        "cases/<str:ref>/materials/<int:pk>/file/",
        views.CaseMaterialFileApi.as_view(),
        name="case-material-file",
    ),
    path("cases/<str:ref>/notices/<str:kind>/", views.CaseNoticeApi.as_view(), name="case-notice"),
    path(
        "cases/<str:ref>/result-document/",
        views.CaseResultDocumentApi.as_view(),
        name="case-result-document",
    ),
    *[
        path(f"cases/<str:ref>/{action}/", view.as_view(), name=f"case-{action.replace('_', '-')}")
        for action, view in views.ACTION_VIEWS.items()
    ],
]
