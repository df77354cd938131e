from django.urls import path

from bianmin.licences import converters  # noqa: F401  (registers <licence_id:…>)
from bianmin.licences.api import views

app_name = "licences-api"

urlpatterns = [
    path("licences/", views.LicenceListApi.as_view(), name="licence-list"),
    path("licences/verify/", views.LicenceVerifyApi.as_view(), name="licence-verify"),
    path("licences/shared/", views.LicenceSharedQueryApi.as_view(), name="licence-shared"),
    path("seals/keys/", views.SealKeysApi.as_view(), name="seal-keys"),
    path("licences/<licence_id:identifier>/", views.LicenceDetailApi.as_view(), name="licence-detail"),
    path("licences/<licence_id:identifier>/revoke/", views.LicenceRevokeApi.as_view(), name="licence-revoke"),
    path("licences/<licence_id:identifier>/renew/", views.LicenceRenewApi.as_view(), name="licence-renew"),
    path("licences/<licence_id:identifier>/change/", views.LicenceChangeApi.as_view(), name="licence-change"),
    path("licences/<licence_id:identifier>/share/", views.LicenceShareApi.as_view(), name="licence-share"),
]
