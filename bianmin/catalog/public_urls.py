"""Public 办事指南 pages and the catalog import page, plugged into catalog/urls.py (which includes this module)."""

from django.urls import path

from bianmin.catalog import views_import, views_public

urlpatterns = [
    path("items/", views_public.item_list, name="items"),
    path("items/<str:code>/", views_public.item_detail, name="item"),
    path("certificates/", views_public.certificate_list, name="certificates"),
    path("workbench/catalog/import/", views_import.import_upload, name="import"),
    path("workbench/catalog/import/<str:token>/", views_import.import_report, name="import-report"),
    path(
        "workbench/catalog/import/<str:token>/progress/", views_import.import_progress, name="import-progress"
    ),
    path("workbench/catalog/export/<str:fmt>/", views_import.export_download, name="export"),
]
