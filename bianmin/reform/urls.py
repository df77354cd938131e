from django.urls import path

from bianmin.reform import views

app_name = "reform"

urlpatterns = [
    path("workbench/reform/", views.task_list, name="list"),
    path("workbench/reform/summary.<str:fmt>", views.summary_export, name="summary"),
    path("workbench/reform/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("workbench/reform/<int:number>/", views.task_detail, name="task"),
]
