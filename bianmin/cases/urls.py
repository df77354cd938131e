from django.urls import path

from bianmin.cases import views, views_applicant, views_staff

app_name = "cases"

urlpatterns = [
    path("cases/lookup/", views.progress_lookup, name="lookup"),
    path("cases/notices/verify/<uuid:pk>/", views.notice_verify, name="notice_verify"),
    # applying (online; clerks use the same draft steps for window applications)
    path("apply/<str:code>/", views_applicant.apply_start, name="apply"),
    path("apply/draft/<uuid:ref>/", views_applicant.apply_form, name="apply_form"),
    path("apply/draft/<uuid:ref>/materials/", views_applicant.apply_materials, name="apply_materials"),
    path("apply/draft/<uuid:ref>/confirm/", views_applicant.apply_confirm, name="apply_confirm"),
    # 我的办件
    path("my/cases/", views_applicant.my_cases, name="my_cases"),
    path("my/cases/<str:ref>/", views_applicant.my_case, name="my_case"),
    path("my/cases/<str:ref>/act/<str:action>/", views_applicant.my_case_act, name="my_case_act"),
    path("my/cases/<str:ref>/notices/<str:kind>.pdf", views_applicant.notice_pdf, name="my_notice"),
    path("my/cases/<str:ref>/result.pdf", views_applicant.result_pdf, name="my_result"),
    path(
        "cases/<str:ref>/materials/<int:material_id>/file/",
        views_applicant.material_file,
        name="material_file",
    ),
    # workbench
    path("workbench/intake/", views_staff.intake, name="intake"),
    path("workbench/cases/", views_staff.queue, name="queue"),
    path("workbench/cases/overdue/", views_staff.overdue, name="overdue"),
    path(
        "workbench/instant-authorisations/",
        views_staff.instant_authorisations,
        name="instant_authorisations",
    ),
    path("workbench/cases/<str:ref>/", views_staff.case_page, name="staff_case"),
    path("workbench/cases/<str:ref>/act/<str:action>/", views_staff.case_act, name="staff_act"),
    path("workbench/cases/<str:ref>/notices/<str:kind>.pdf", views_applicant.notice_pdf, name="staff_notice"),
    path("workbench/cases/<str:ref>/result.pdf", views_applicant.result_pdf, name="staff_result"),
]
