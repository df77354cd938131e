"""Catalog pages. Staff pages live under /workbench/catalog/; public guide pages come from public_urls."""

import importlib
import importlib.util

from django.urls import path

from bianmin.catalog import file_views, staff_views

app_name = "catalog"

urlpatterns = [
    path("catalog/materials/<int:pk>/<str:kind>/", file_views.material_file, name="material-file"),
    path("workbench/catalog/", staff_views.item_list, name="wb-items"),
    path("workbench/catalog/new/", staff_views.item_create, name="wb-item-create"),
    path("workbench/catalog/review/", staff_views.review_queue, name="wb-review"),
    path("workbench/catalog/items/<int:pk>/", staff_views.item_detail, name="wb-item"),
    path("workbench/catalog/items/<int:pk>/codes/", staff_views.item_codes, name="wb-item-codes"),
    path("workbench/catalog/items/<int:pk>/new-draft/", staff_views.version_new_draft, name="wb-version-new"),
    path("workbench/catalog/versions/<int:pk>/", staff_views.version_detail, name="wb-version"),
    path("workbench/catalog/versions/<int:pk>/edit/", staff_views.version_edit, name="wb-version-edit"),
    path(
        "workbench/catalog/versions/<int:pk>/<str:action>/",
        staff_views.version_action,
        name="wb-version-action",
    ),
    path("workbench/catalog/certificates/", staff_views.certificate_list, name="wb-certificates"),
    path("workbench/catalog/certificates/new/", staff_views.certificate_edit, name="wb-certificate-create"),
    path("workbench/catalog/certificates/<int:pk>/", staff_views.certificate_edit, name="wb-certificate"),
    path(
        "workbench/catalog/certificates/<int:pk>/<str:action>/",
        staff_views.certificate_action,
        name="wb-certificate-action",
    ),
]

# The public 办事指南 pages (another module, owned separately) plug in here when present.
if importlib.util.find_spec("bianmin.catalog.public_urls") is not None:
    urlpatterns += importlib.import_module("bianmin.catalog.public_urls").urlpatterns
