from django.urls import path

from bianmin.licences import (
    converters,  # noqa: F401  (registers <licence_id:…>)
    staff_views,
    views,
)

app_name = "licences"

urlpatterns = [
    path("licences/verify/", views.verify_form, name="verify_form"),
    path("licences/verify/<licence_id:identifier>/", views.verify_page, name="verify"),
    path("licences/s/<str:token>/", views.shared_link, name="shared"),
    path("workbench/licences/", staff_views.licence_list, name="wb-list"),
    path("workbench/licences/<licence_id:identifier>/", staff_views.licence_detail, name="wb-detail"),
    path("my/licences/", views.wallet, name="wallet"),
    path("my/licences/<licence_id:identifier>/", views.wallet_detail, name="wallet_detail"),
    path("my/licences/<licence_id:identifier>/pdf/", views.wallet_pdf, name="wallet_pdf"),
    path("my/licences/<licence_id:identifier>/file/", views.wallet_file, name="wallet_file"),
    path("my/licences/<licence_id:identifier>/share/", views.wallet_share, name="wallet_share"),
]
